#include "filters/filter_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "filters/property_match.h"

namespace hoglet::filters {
namespace {

using ::testing::HasSubstr;
using Kind = FilterNode::Kind;

FilterNode Tree(std::string_view json, const FilterTreeOptions& options = {}) {
  StatusOr<FilterNode> tree = ParseFilterTree(json, options);
  EXPECT_TRUE(tree.ok()) << json << ": " << tree.status().ToString();
  return tree.ok() ? *tree : FilterNode();
}

std::string ErrorOf(std::string_view json, const FilterTreeOptions& options = {}) {
  StatusOr<FilterNode> tree = ParseFilterTree(json, options);
  EXPECT_EQ(tree.status().code(), StatusCode::kInvalidArgument) << json;
  return tree.status().message();
}

bool Holds(const FilterNode& tree, std::string_view properties_json) {
  StatusOr<Properties> properties = ParseProperties(properties_json);
  EXPECT_TRUE(properties.ok());
  return MatchTree(tree, [&](const PropertyFilter& filter) {
    return MatchProperty(filter, *properties, MatchContext{});
  });
}

FilterTreeOptions EventList() {
  FilterTreeOptions options;
  options.filter.default_type = FilterType::kEvent;
  options.filter.strict = true;
  options.only_type = FilterType::kEvent;
  options.max_filters = 3;
  return options;
}

TEST(ParseFilterTree, ReadsAListAsAnAnd) {
  FilterNode tree = Tree(R"([{"key":"a","value":1},{"key":"b","value":"x","operator":"is_not"}])");
  EXPECT_EQ(tree.kind, Kind::kAnd);
  ASSERT_EQ(tree.children.size(), 2u);
  EXPECT_EQ(tree.children[0].kind, Kind::kLeaf);
  EXPECT_EQ(tree.children[0].filter.key, "a");
  EXPECT_EQ(tree.children[1].filter.op, Operator::kIsNot);
  EXPECT_TRUE(Holds(tree, R"({"a":1})"));
  EXPECT_FALSE(Holds(tree, R"({"a":1,"b":"X"})"));
}

TEST(ParseFilterTree, ReadsNestedGroups) {
  FilterNode tree = Tree(R"({"type":"OR","values":[
      {"type":"AND","values":[{"key":"plan","value":"pro"},{"key":"seats","operator":"gt","value":5}]},
      {"type":"property","values":[{"key":"email","operator":"icontains","value":"@acme.com"}]}]})");
  EXPECT_EQ(tree.kind, Kind::kOr);
  ASSERT_EQ(tree.children.size(), 2u);
  EXPECT_EQ(tree.children[1].kind, Kind::kAnd);
  EXPECT_TRUE(Holds(tree, R"({"plan":"Pro","seats":"6"})"));
  EXPECT_FALSE(Holds(tree, R"({"plan":"pro","seats":5})"));
  EXPECT_TRUE(Holds(tree, R"({"email":"a@ACME.com"})"));
  EXPECT_FALSE(Holds(tree, R"({})"));
}

TEST(ParseFilterTree, EmptyGroupsFollowPostHog) {
  EXPECT_TRUE(Tree("[]").empty());
  EXPECT_TRUE(Tree("{}").empty());
  EXPECT_TRUE(Holds(Tree("{}"), "{}"));
  EXPECT_TRUE(Holds(Tree(R"({"type":"AND","values":[]})"), "{}"));
  EXPECT_FALSE(Holds(Tree(R"({"type":"OR","values":[]})"), "{}"));
}

TEST(ParseFilterTree, ReadsASingleFilter) {
  FilterNode tree = Tree(R"({"key":"a","value":"b"})");
  EXPECT_EQ(tree.kind, Kind::kLeaf);
  EXPECT_EQ(tree.filter.key, "a");
}

TEST(ParseFilterTree, NegationInvertsALeaf) {
  FilterNode tree = Tree(R"([{"key":"a","value":"b","negation":true}])");
  EXPECT_FALSE(Holds(tree, R"({"a":"b"})"));
  EXPECT_TRUE(Holds(tree, R"({"a":"c"})"));
}

TEST(ParseFilterTree, NamesThePlaceOfAnError) {
  EXPECT_EQ(ErrorOf(R"({"type":"OR"})"), "properties is a group without \"values\"");
  EXPECT_EQ(ErrorOf(R"({"type":"OR","values":{}})"), "properties.values must be a list");
  EXPECT_EQ(ErrorOf(R"([3])"), "properties[0] must be an object");
  EXPECT_EQ(ErrorOf(R"({"type":5,"values":[]})"),
            "properties.type of a group must be \"AND\" or \"OR\"");
  EXPECT_THAT(ErrorOf(R"({"values":[{"type":"AND","values":[{"value":1}]}]})"),
              HasSubstr("properties.values[0].values[0]: property filter 'key' must be a string"));
  EXPECT_THAT(ErrorOf("[{"), HasSubstr("properties is not valid JSON"));
}

TEST(ParseFilterTree, BoundsTheDepth) {
  std::string json = R"({"key":"a","value":1})";
  for (int i = 0; i < kMaxFilterTreeDepth; ++i) json = R"({"type":"AND","values":[)" + json + "]}";
  EXPECT_TRUE(ParseFilterTree(json).ok());
  EXPECT_THAT(ErrorOf(R"({"type":"AND","values":[)" + json + "]}"), HasSubstr("more than 16"));
  // Deeply nested JSON is refused (by the JSON parser's depth limit, or as a list of lists).
  ErrorOf(std::string(500, '[') + std::string(500, ']'));
}

TEST(ParseFilterTree, ListOptionsRefuseOtherTypesAndTooManyFilters) {
  FilterNode tree = Tree(R"([{"key":"$browser","value":"Chrome"}])", EventList());
  EXPECT_EQ(tree.children[0].filter.type, FilterType::kEvent);
  EXPECT_EQ(ErrorOf(R"([{"key":"id","value":3,"type":"cohort"}])", EventList()),
            "properties[0]: filters of type 'cohort' are not supported here; only event property "
            "filters are");
  EXPECT_EQ(ErrorOf(R"([{"key":"a","value":1},{"key":"b","value":1},{"type":"OR","values":[
                       {"key":"c","value":1},{"key":"d","value":1}]}])",
                    EventList()),
            "properties: at most 3 filters are accepted");
  EXPECT_EQ(ErrorOf(R"([{"key":"big","value":"(a|b","operator":"regex"}])", EventList()),
            "properties[0]: the filter on 'big' has a regex that RE2 cannot use: missing ): (a|b");
  EXPECT_EQ(
      ErrorOf(R"({"type":"OR","values":[{"key":"k","value":1,"operator":"near"}]})", EventList()),
      "properties.values[0]: the filter on 'k' has an unknown operator 'near'");
}

TEST(ForEachFilter, VisitsEveryLeafInOrder) {
  FilterNode tree = Tree(R"({"type":"OR","values":[{"key":"a","value":1},
      {"type":"AND","values":[{"key":"b","value":1},{"key":"c","value":1}]}]})");
  std::string keys;
  ForEachFilter(tree, [&](const PropertyFilter& filter) { keys += filter.key; });
  EXPECT_EQ(keys, "abc");
}

}  // namespace
}  // namespace hoglet::filters
