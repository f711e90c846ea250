// The HogQL text of a TrendsQuery (api/trends_hogql.h): its shape for the shapes printed, and
// none for the rest. That the text computes the trends answer's numbers is checked by
// sdk.posthog_node_trends_hogql, which runs it.
#include "api/trends_hogql.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <string>

#include "base/time_format.h"
#include "filters/filter_tree.h"
#include "hogql/parser.h"
#include "query/date_range.h"
#include "query/trends_query_parser.h"

namespace hoglet::api {
namespace {

struct Printed {
  std::optional<std::string> hogql;
  bool parsed = false;
};

// The HogQL of the TrendsQuery `json` at 2024-03-12 15:30 UTC (11:30 in New York).
Printed Print(const std::string& json, const char* zone = "America/New_York",
              const filters::FilterNode& test_accounts = {}) {
  simdjson::dom::parser parser;
  simdjson::dom::element element = parser.parse(json);
  StatusOr<query::TrendsQuery> trends = query::ParseTrendsQuery(element);
  EXPECT_TRUE(trends.ok()) << trends.status().ToString();
  if (!trends.ok()) return {};
  query::ProjectClock clock;
  clock.now_us = *ParseIsoMicros("2024-03-12T15:30:00Z");
  clock.zone = *TimeZone::Load(zone);
  const query::Interval interval =
      trends->display == query::Display::kTotalValue ? query::Interval::kDay : trends->interval;
  StatusOr<query::DateRange> range = query::DateRange::Resolve(trends->date_range, interval, clock);
  EXPECT_TRUE(range.ok()) << range.status().ToString();
  if (!range.ok()) return {};
  Printed printed;
  printed.hogql = TrendsHogQL(*trends, *range, test_accounts);
  printed.parsed = printed.hogql && hogql::ParseSelect(*printed.hogql).ok();
  return printed;
}

TEST(TrendsHogQL, CountsByLocalDayOverTheRange) {
  Printed printed = Print(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})");
  ASSERT_TRUE(printed.hogql);
  // Eight days of New York: from 00:00 on the 5th to the end of the 12th (the clocks moved
  // forward on the 10th; the literals are local times).
  EXPECT_EQ(*printed.hogql,
            "SELECT toStartOfDay(timestamp) AS day_start, count() AS total FROM events AS e "
            "WHERE and(timestamp >= '2024-03-05 00:00:00', "
            "timestamp <= '2024-03-12 23:59:59.999999', event = '$pageview') "
            "GROUP BY day_start ORDER BY day_start LIMIT 50000");
  EXPECT_TRUE(printed.parsed);
}

TEST(TrendsHogQL, MathsFiltersAndIntervals) {
  Printed printed = Print(R"({"kind": "TrendsQuery", "interval": "week",
      "dateRange": {"date_from": "-14d"},
      "series": [{"kind": "EventsNode", "event": "paid", "math": "avg", "math_property": "price",
                  "properties": [{"key": "$browser", "value": "50%_off", "operator": "icontains",
                                  "type": "event"},
                                 {"key": "plan", "value": ["pro", "team"], "type": "person"}]}],
      "properties": [{"key": "$os", "operator": "is_set", "type": "event"},
                     {"key": "amount", "value": 10, "operator": "gte", "type": "event"}]})");
  ASSERT_TRUE(printed.hogql);
  const std::string& text = *printed.hogql;
  EXPECT_NE(text.find("toStartOfWeek(timestamp, 0) AS day_start"), std::string::npos) << text;
  EXPECT_NE(text.find("if(count(toFloat(properties.price)) = 0, 0, "
                      "avg(toFloat(properties.price))) AS total"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("properties.$browser ILIKE '%50\\\\%\\\\_off%'"), std::string::npos) << text;
  EXPECT_NE(text.find("person.properties.plan IN ('pro', 'team')"), std::string::npos) << text;
  EXPECT_NE(text.find("isNotNull(properties.$os)"), std::string::npos) << text;
  EXPECT_NE(text.find("toFloat(properties.amount) >= 10"), std::string::npos) << text;
  EXPECT_TRUE(printed.parsed);
}

TEST(TrendsHogQL, BreakdownRanksValuesAndFoldsTheRestIntoOther) {
  Printed printed = Print(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "a", "math": "dau"},
                 {"kind": "EventsNode", "event": "b"}],
      "breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event",
                          "breakdown_limit": 3}})");
  ASSERT_TRUE(printed.hogql);
  const std::string& text = *printed.hogql;
  EXPECT_EQ(
      text.rfind("SELECT series, day_start, breakdown_value, total FROM (SELECT 0 AS series", 0),
      0u)
      << text;
  EXPECT_NE(text.find("UNION ALL SELECT 1 AS series"), std::string::npos) << text;
  EXPECT_NE(text.find("'$$_posthog_breakdown_null_$$'"), std::string::npos) << text;
  EXPECT_NE(text.find("'$$_posthog_breakdown_other_$$'"), std::string::npos) << text;
  EXPECT_NE(text.find("count(DISTINCT person_id) AS value_total"), std::string::npos) << text;
  EXPECT_NE(text.find("sum(value_total) DESC, value LIMIT 3"), std::string::npos) << text;
  EXPECT_NE(text.find("ORDER BY series, day_start, breakdown_value LIMIT 50000"), std::string::npos)
      << text;
  EXPECT_TRUE(printed.parsed);
}

TEST(TrendsHogQL, TotalValueHasNoBuckets) {
  Printed printed = Print(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"},
      "trendsFilter": {"display": "BoldNumber"},
      "series": [{"kind": "EventsNode", "event": null, "math": "unique_session"}]})",
                          "UTC");
  ASSERT_TRUE(printed.hogql);
  EXPECT_EQ(*printed.hogql,
            "SELECT count(DISTINCT $session_id) AS total FROM events AS e "
            "WHERE and(timestamp >= '2024-03-05 00:00:00', "
            "timestamp <= '2024-03-12 23:59:59.999999') LIMIT 50000");
}

TEST(TrendsHogQL, TestAccountFiltersWhenAsked) {
  StatusOr<filters::FilterNode> internal = filters::ParseFilterTree(
      R"([{"key": "email", "value": "@acme.com", "operator": "not_icontains", "type": "person"}])");
  ASSERT_TRUE(internal.ok());
  const std::string query = R"({"kind": "TrendsQuery", "filterTestAccounts": true,
      "series": [{"kind": "EventsNode", "event": "x"}]})";
  Printed printed = Print(query, "UTC", *internal);
  ASSERT_TRUE(printed.hogql);
  EXPECT_NE(printed.hogql->find("person.properties.email NOT ILIKE '%@acme.com%'"),
            std::string::npos)
      << *printed.hogql;
}

TEST(TrendsHogQL, NoneForShapesItDoesNotPrint) {
  for (
      const char* json : {
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "a"},
               {"kind": "EventsNode", "event": "b"}],
               "trendsFilter": {"formulaNodes": [{"formula": "A + B"}]}})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "math": "weekly_active"}]})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "math": "unique_group",
               "math_group_type_index": 0}]})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode",
               "math": "avg_count_per_actor"}]})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "compareFilter": {"compare": true}})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "trendsFilter": {"display": "ActionsLineGraphCumulative"}})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "properties": [{"key": "d", "value": "-7d", "operator": "is_date_after",
                               "type": "event"}]})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "breakdownFilter": {"breakdown": "x", "breakdown_type": "event",
                                   "breakdown_histogram_bin_count": 4}})",
          R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "breakdownFilter": {"breakdowns": [{"property": "x", "type": "event"}]}})",
      }) {
    EXPECT_FALSE(Print(json).hogql) << json;
  }
}

}  // namespace
}  // namespace hoglet::api
