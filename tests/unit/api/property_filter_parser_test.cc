#include "api/property_filter_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::api {
namespace {

using filters::FilterNode;
using filters::FilterType;
using filters::Operator;

TEST(ParsePropertyFilters, ReadsListWithDefaultsAndValues) {
  auto tree = ParsePropertyFilters(
      R"([{"key":"$browser","value":"Chrome"},
          {"key":"n","value":[1,2],"operator":"exact","type":"event"},
          {"key":"email","operator":"is_set"}])",
      FilterType::kEvent);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  EXPECT_EQ(tree->kind, FilterNode::Kind::kAnd);
  ASSERT_EQ(tree->children.size(), 3u);
  EXPECT_EQ(tree->children[0].filter.key, "$browser");
  EXPECT_EQ(tree->children[0].filter.op, Operator::kExact);
  EXPECT_EQ(tree->children[0].filter.type, FilterType::kEvent);
  EXPECT_EQ(tree->children[1].filter.value_items.size(), 2u);
  EXPECT_EQ(tree->children[2].filter.op, Operator::kIsSet);
}

TEST(ParsePropertyFilters, AcceptsAndAndOrGroups) {
  auto and_group = ParsePropertyFilters(
      R"({"type":"AND","values":[{"key":"a","value":1,"operator":"gt"}]})", FilterType::kEvent);
  ASSERT_TRUE(and_group.ok());
  EXPECT_EQ(and_group->children[0].filter.op, Operator::kGt);
  auto or_group = ParsePropertyFilters(
      R"({"type":"OR","values":[{"type":"AND","values":[{"key":"a","value":1}]},
                                {"key":"b","value":2,"operator":"semver_gt"}]})",
      FilterType::kEvent);
  ASSERT_TRUE(or_group.ok()) << or_group.status().ToString();
  EXPECT_EQ(or_group->kind, FilterNode::Kind::kOr);
  EXPECT_EQ(or_group->children[1].filter.op, Operator::kSemverGt);
}

TEST(ParsePropertyFilters, RejectsWithMessagesNamingTheProblem) {
  auto not_json = ParsePropertyFilters("[{", FilterType::kEvent);
  EXPECT_EQ(not_json.status().code(), StatusCode::kInvalidArgument);
  auto no_key = ParsePropertyFilters(R"([{"value":1}])", FilterType::kEvent);
  EXPECT_NE(no_key.status().message().find("key"), std::string::npos);
  auto bad_op =
      ParsePropertyFilters(R"([{"key":"a","value":1,"operator":"near"}])", FilterType::kEvent);
  EXPECT_NE(bad_op.status().message().find("near"), std::string::npos);
  auto person =
      ParsePropertyFilters(R"([{"key":"a","value":1,"type":"person"}])", FilterType::kEvent);
  EXPECT_NE(person.status().message().find("person"), std::string::npos);
  auto no_value = ParsePropertyFilters(R"([{"key":"a","operator":"exact"}])", FilterType::kEvent);
  EXPECT_FALSE(no_value.ok());
  auto bad_regex = ParsePropertyFilters(R"([{"key":"big","value":"(a|b","operator":"regex"}])",
                                        FilterType::kEvent);
  EXPECT_EQ(bad_regex.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_regex.status().message(),
            "properties[0]: the filter on 'big' has a regex that RE2 cannot use: missing ): (a|b");
}

TEST(ParsePropertyFilters, UntypedFiltersTakeTheListsType) {
  auto person = ParsePropertyFilters(R"([{"key":"email","value":"a@b.c"}])", FilterType::kPerson);
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->children[0].filter.type, FilterType::kPerson);
  EXPECT_FALSE(
      ParsePropertyFilters(R"([{"key":"e","value":1,"type":"event"}])", FilterType::kPerson).ok());
}

TEST(ParsePropertyFilters, BoundsTheNumberOfFilters) {
  std::string many = "[";
  for (size_t i = 0; i <= kMaxListFilters; ++i) {
    many += std::string(i ? "," : "") + R"({"key":"k","value":1})";
  }
  EXPECT_FALSE(ParsePropertyFilters(many + "]", FilterType::kEvent).ok());
}

}  // namespace
}  // namespace hoglet::api
