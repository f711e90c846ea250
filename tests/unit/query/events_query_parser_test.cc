// Reading PostHog's EventsQuery JSON: the fields, PostHog's limits (absent or non-positive is
// 100, above 50,000 is 50,000), and errors that name the field.
#include "query/events_query_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::query {
namespace {

StatusOr<EventsQuery> Parse(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(json).get(element), simdjson::SUCCESS) << json;
  return ParseEventsQuery(element);
}

std::string ErrorOf(const std::string& json) {
  StatusOr<EventsQuery> query = Parse(json);
  EXPECT_FALSE(query.ok()) << json;
  if (query.ok()) return "ok";
  EXPECT_EQ(query.status().code(), StatusCode::kInvalidArgument);
  return query.status().message();
}

TEST(EventsQueryParser, ReadsTheFields) {
  StatusOr<EventsQuery> query = Parse(R"({"kind": "EventsQuery",
      "select": ["*", "count() -- Total"], "where": ["event = 'a'"], "event": "$pageview",
      "properties": [{"key": "$browser", "value": "Chrome"}],
      "fixedProperties": {"type": "OR", "values": [{"key": "email", "value": "x",
                                                     "type": "person"}]},
      "actionId": 3, "personId": "01890f4e-0000-7000-8000-000000000001",
      "after": "-7d", "before": "2024-01-01", "orderBy": ["timestamp ASC"],
      "filterTestAccounts": true, "limit": 20, "offset": 40, "unknownField": 1})");
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(query->select, (std::vector<std::string>{"*", "count() -- Total"}));
  EXPECT_EQ(query->where, (std::vector<std::string>{"event = 'a'"}));
  EXPECT_EQ(query->event, "$pageview");
  EXPECT_EQ(query->properties.children.size(), 1u);
  EXPECT_EQ(query->fixed_properties.kind, filters::FilterNode::Kind::kOr);
  EXPECT_EQ(query->action_id, 3);
  EXPECT_EQ(query->person_id, "01890f4e-0000-7000-8000-000000000001");
  EXPECT_EQ(query->after, "-7d");
  EXPECT_EQ(query->before, "2024-01-01");
  EXPECT_EQ(query->order_by, (std::vector<std::string>{"timestamp ASC"}));
  EXPECT_TRUE(query->filter_test_accounts);
  EXPECT_EQ(query->limit, 20);
  EXPECT_EQ(query->offset, 40);
}

TEST(EventsQueryParser, LimitsAsPostHogsPaginator) {
  EXPECT_EQ(Parse(R"({"kind": "EventsQuery", "select": []})")->limit, 100);
  EXPECT_EQ(Parse(R"({"limit": null, "offset": null})")->limit, 100);
  EXPECT_EQ(Parse(R"({"limit": 0})")->limit, 100);
  EXPECT_EQ(Parse(R"({"limit": -5})")->limit, 100);
  EXPECT_EQ(Parse(R"({"limit": 50001})")->limit, 50000);
  EXPECT_EQ(Parse(R"({"limit": 7.0})")->limit, 7);
  EXPECT_EQ(Parse(R"({"offset": -3})")->offset, 0);
  EXPECT_EQ(Parse(R"({"events": ["a"]})")->event, "a");
}

TEST(EventsQueryParser, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf(R"({"select": "event"})"), "query.select: must be a list of strings");
  EXPECT_EQ(ErrorOf(R"({"select": ["event", 3]})"), "query.select[1]: must be a string");
  EXPECT_EQ(ErrorOf(R"({"where": [true]})"), "query.where[0]: must be a string");
  EXPECT_EQ(ErrorOf(R"({"orderBy": {}})"), "query.orderBy: must be a list of strings");
  EXPECT_EQ(ErrorOf(R"({"limit": "10"})"), "query.limit: must be a whole number");
  EXPECT_EQ(ErrorOf(R"({"limit": 1.5})"), "query.limit: must be a whole number");
  EXPECT_EQ(ErrorOf(R"({"offset": 2000000})"),
            "query.offset: is at most 1000000 (narrow the query instead)");
  EXPECT_EQ(ErrorOf(R"({"event": 5})"), "query.event: must be a string or null");
  EXPECT_EQ(ErrorOf(R"({"actionId": "x"})"), "query.actionId: must be the id of an action");
  EXPECT_EQ(ErrorOf(R"({"personId": "123"})"), "query.personId: must be a person's UUID");
  EXPECT_EQ(ErrorOf(R"({"after": 5})"), "query.after: must be a string or null");
  EXPECT_EQ(ErrorOf(R"({"filterTestAccounts": "yes"})"),
            "query.filterTestAccounts: must be true or false");
  EXPECT_NE(ErrorOf(R"({"properties": [{"key": "a", "operator": "regex", "value": "("}]})")
                .find("query.properties"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"events": ["a", "b"]})"),
            "query.events: more than one event name is not supported by this server yet");
  EXPECT_EQ(ErrorOf(R"({"source": {"kind": "InsightActorsQuery"}})"),
            "query.source: an EventsQuery over an actors query is not supported by this server "
            "yet");
  std::string many = R"({"select": [)";
  for (int i = 0; i < 201; ++i) many += std::string(i ? "," : "") + "\"event\"";
  EXPECT_EQ(ErrorOf(many + "]}"), "query.select: has more than 200 entries");
}

}  // namespace
}  // namespace hoglet::query
