#include "flags/cohort.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hoglet::flags {
namespace {

using ::testing::HasSubstr;
using Kind = filters::FilterNode::Kind;

std::string ErrorOf(std::string_view json) {
  StatusOr<filters::FilterNode> root = ParseCohortFilters(json);
  EXPECT_FALSE(root.ok()) << json;
  if (root.ok()) return "";
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  return root.status().message();
}

TEST(CohortFilters, ParsesOrOfAndGroups) {
  StatusOr<filters::FilterNode> root =
      ParseCohortFilters(R"({"properties": {"type": "OR", "values": [
      {"type": "AND", "values": [
          {"key": "email", "value": "@acme.com", "operator": "icontains", "type": "person"},
          {"key": "id", "value": 12, "type": "cohort", "negation": true}]},
      {"type": "AND", "values": [
          {"key": "beta", "value": true, "operator": "flag_evaluates_to", "type": "flag"}]}]}})");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->kind, Kind::kOr);
  ASSERT_EQ(root->children.size(), 2u);
  const filters::FilterNode& first = root->children[0];
  EXPECT_EQ(first.kind, Kind::kAnd);
  ASSERT_EQ(first.children.size(), 2u);
  EXPECT_EQ(first.children[0].kind, Kind::kLeaf);
  EXPECT_EQ(first.children[0].filter.key, "email");
  EXPECT_EQ(first.children[0].filter.op, filters::Operator::kIContains);
  EXPECT_FALSE(first.children[0].filter.negation);
  EXPECT_EQ(first.children[1].filter.type, filters::FilterType::kCohort);
  EXPECT_EQ(first.children[1].filter.value.number, 12);
  EXPECT_TRUE(first.children[1].filter.negation);
  const filters::FilterNode& flag_leaf = root->children[1].children[0];
  EXPECT_EQ(flag_leaf.filter.type, filters::FilterType::kFlag);
  EXPECT_EQ(flag_leaf.filter.op, filters::Operator::kFlagEvaluatesTo);
}

TEST(CohortFilters, PropertyGroupsReadAsAnd) {
  StatusOr<filters::FilterNode> root = ParseCohortFilters(
      R"({"properties": {"type": "PROPERTY", "values": [{"key": "a", "value": "b"}]}})");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->kind, Kind::kAnd);
  ASSERT_EQ(root->children.size(), 1u);
  EXPECT_EQ(root->children[0].kind, Kind::kLeaf);

  StatusOr<filters::FilterNode> lower =
      ParseCohortFilters(R"({"properties": {"type": "property", "values": []}})");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(lower->kind, Kind::kAnd);
}

TEST(CohortFilters, EmptyGroupIsAnEmptyAnd) {
  for (std::string_view json : {R"({"properties": {}})", "{}", R"({"properties": null})",
                                R"({"name": "x", "groups": []})"}) {
    StatusOr<filters::FilterNode> root = ParseCohortFilters(json);
    ASSERT_TRUE(root.ok()) << json << ": " << root.status().ToString();
    EXPECT_EQ(root->kind, Kind::kAnd) << json;
    EXPECT_TRUE(root->children.empty()) << json;
  }
}

TEST(CohortFilters, GroupWithoutTypeReadsAsAnd) {
  StatusOr<filters::FilterNode> root =
      ParseCohortFilters(R"({"properties": {"values": [{"key": "a", "value": "b"}]}})");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->kind, Kind::kAnd);
}

// `levels` groups nested in each other (the root is the first) around one leaf.
std::string Nested(int levels) {
  std::string json = R"({"key": "a", "value": "b"})";
  for (int i = 0; i < levels; ++i) json = R"({"type": "AND", "values": [)" + json + "]}";
  return R"({"properties": )" + json + "}";
}

TEST(CohortFilters, AcceptsSixteenLevelsAndRejectsDeeper) {
  StatusOr<filters::FilterNode> ok = ParseCohortFilters(Nested(16));
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_THAT(ErrorOf(Nested(17)), HasSubstr("more than 16 levels"));
}

TEST(CohortFilters, RejectsMalformedGroupsNamingTheField) {
  EXPECT_EQ(ErrorOf(R"({"properties": {"type": "OR"}})"),
            "properties is a group without \"values\"");
  EXPECT_EQ(ErrorOf(R"({"properties": {"type": "OR", "values": {}}})"),
            "properties.values must be a list");
  EXPECT_EQ(ErrorOf(R"({"properties": {"type": "OR", "values": [3]}})"),
            "properties.values[0] must be an object");
  EXPECT_THAT(ErrorOf(R"({"properties": {"type": "AND", "values": [{"type": "AND",
                          "values": [{"value": 1, "type": "person"}]}]}})"),
              HasSubstr("properties.values[0].values[0]: "));
  EXPECT_EQ(ErrorOf(R"({"properties": {"type": 5, "values": []}})"),
            "properties.type of a group must be \"AND\" or \"OR\"");
  EXPECT_THAT(ErrorOf(R"({"properties": [1]})"), HasSubstr("properties must be an object"));
  EXPECT_THAT(ErrorOf("[]"), HasSubstr("must be a JSON object"));
  EXPECT_THAT(ErrorOf("{"), HasSubstr("not valid JSON"));
}

TEST(CohortFilters, RejectsCohortLeafWithoutAnId) {
  EXPECT_THAT(ErrorOf(R"({"properties": {"type": "OR", "values": [
                          {"key": "id", "type": "cohort", "value": "abc"}]}})"),
              HasSubstr("properties.values[0]"));
}

}  // namespace
}  // namespace hoglet::flags
