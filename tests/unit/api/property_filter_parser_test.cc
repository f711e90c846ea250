#include "api/property_filter_parser.h"

#include <gtest/gtest.h>

namespace hoglet::api {
namespace {

using Op = store::PropertyFilter::Op;

TEST(ParsePropertyFilters, ReadsListWithDefaultsAndValues) {
  auto filters = ParsePropertyFilters(
      R"([{"key":"$browser","value":"Chrome"},
          {"key":"n","value":[1,2],"operator":"exact","type":"event"},
          {"key":"email","operator":"is_set"}])",
      "event");
  ASSERT_TRUE(filters.ok()) << filters.status().ToString();
  ASSERT_EQ(filters->size(), 3u);
  EXPECT_EQ((*filters)[0].key, "$browser");
  EXPECT_EQ((*filters)[0].op, Op::kExact);
  EXPECT_EQ((*filters)[0].value_json, R"("Chrome")");
  EXPECT_EQ((*filters)[1].value_json, "[1,2]");
  EXPECT_EQ((*filters)[2].op, Op::kIsSet);
}

TEST(ParsePropertyFilters, AcceptsAndGroupObject) {
  auto filters = ParsePropertyFilters(
      R"({"type":"AND","values":[{"key":"a","value":1,"operator":"gt"}]})", "event");
  ASSERT_TRUE(filters.ok());
  EXPECT_EQ((*filters)[0].op, Op::kGt);
}

TEST(ParsePropertyFilters, RejectsWithMessagesNamingTheProblem) {
  auto not_json = ParsePropertyFilters("[{", "event");
  EXPECT_EQ(not_json.status().code(), StatusCode::kInvalidArgument);
  auto no_key = ParsePropertyFilters(R"([{"value":1}])", "event");
  EXPECT_NE(no_key.status().message().find("key"), std::string::npos);
  auto bad_op = ParsePropertyFilters(R"([{"key":"a","value":1,"operator":"near"}])", "event");
  EXPECT_NE(bad_op.status().message().find("near"), std::string::npos);
  auto person = ParsePropertyFilters(R"([{"key":"a","value":1,"type":"person"}])", "event");
  EXPECT_NE(person.status().message().find("person"), std::string::npos);
  auto no_value = ParsePropertyFilters(R"([{"key":"a","operator":"exact"}])", "event");
  EXPECT_FALSE(no_value.ok());
}

TEST(ParsePropertyFilters, UntypedFiltersTakeTheAcceptedTypeAndOrGroupsAreRefused) {
  auto person = ParsePropertyFilters(R"([{"key":"email","value":"a@b.c"}])", "person");
  ASSERT_TRUE(person.ok());
  EXPECT_FALSE(ParsePropertyFilters(R"([{"key":"e","value":1,"type":"event"}])", "person").ok());
  auto any = ParsePropertyFilters(R"({"type":"OR","values":[{"key":"a","value":1}]})", "event");
  EXPECT_NE(any.status().message().find("OR"), std::string::npos);
}

TEST(ParsePropertyFilters, BoundsTheNumberOfFilters) {
  std::string many = "[";
  for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + R"({"key":"k","value":1})";
  many += "]";
  EXPECT_FALSE(ParsePropertyFilters(many, "event").ok());
}

}  // namespace
}  // namespace hoglet::api
