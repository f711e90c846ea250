// RetentionQuery on the embedded engine over a real columnar store: cohort tables computed by
// hand for recurring and first-time retention, minimum occurrences, cumulative counts, local
// weeks across a daylight-saving change, a merged person counted once, group actors, the range
// PostHog resolves, the parser's errors and the answer's JSON shape (analytics §3.4, §5, §6).
#include "query/retention_runner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "filters/property_value.h"
#include "query/retention_query_parser.h"
#include "query/retention_result_json.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

// A retention query over 2024-01-01…2024-01-04 by day, four intervals, with `filter` added to
// its retentionFilter and `extra` to the query.
std::string Retention(const std::string& filter = "", const std::string& extra = "") {
  std::string json = R"({"kind": "RetentionQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-04"},
      "retentionFilter": {"period": "Day", "totalIntervals": 4)";
  if (!filter.empty()) json += ", " + filter;
  json += "}";
  if (!extra.empty()) json += ", " + extra;
  return json + "}";
}

class RetentionRunner : public InsightTestStore {
 protected:
  // The events of the first tests: person 1 on days 1, 2 and 4 (twice on day 1), person 2 on
  // days 2 and 3, person 3 on day 3, person 4 only before the range, person 5 before it and on
  // days 2 and 3.
  void AddBasic() {
    Add("$pageview", 1, "2024-01-01T10:00:00Z");
    Add("$pageview", 1, "2024-01-01T12:00:00Z");  // same period: not a return
    Add("$pageview", 1, "2024-01-02T10:00:00Z");
    Add("$pageview", 1, "2024-01-04T10:00:00Z");
    Add("$pageview", 2, "2024-01-02T10:00:00Z");
    Add("$pageview", 2, "2024-01-03T10:00:00Z");
    Add("$pageview", 3, "2024-01-03T23:59:59Z");
    Add("$pageview", 4, "2023-12-31T23:59:59Z");
    Add("$pageview", 5, "2023-12-30T10:00:00Z");
    Add("$pageview", 5, "2024-01-02T10:00:00Z");
    Add("$pageview", 5, "2024-01-03T10:00:00Z");
  }

  // Person 1 on days 1, 2 and 4, person 2 on days 1 and 3, person 3 on days 2 and 3.
  void AddBracketEvents() {
    for (const char* time :
         {"2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z", "2024-01-04T10:00:00Z"}) {
      Add("$pageview", 1, time);
    }
    for (const char* time : {"2024-01-01T10:00:00Z", "2024-01-03T10:00:00Z"}) {
      Add("$pageview", 2, time);
    }
    for (const char* time : {"2024-01-02T10:00:00Z", "2024-01-03T10:00:00Z"}) {
      Add("$pageview", 3, time);
    }
  }

  // The cohort table as "c0k0 c0k1 …|c1k0 …".
  std::string Run(const std::string& json) {
    Flush();
    simdjson::dom::parser parser;
    auto query = ParseRetentionQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return "";
    query_ = *query;
    auto range = RetentionRange(*query, context_.clock);
    EXPECT_TRUE(range.ok()) << range.status().ToString();
    if (!range.ok()) return "";
    auto result = RunRetention(*query, *range, context_, source(), kTestTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return "";
    result_ = *result;
    JsonWriter w;
    WriteRetentionResults(*query, *range, *result, &w);
    json_ = std::move(w).Take();
    std::string table;
    for (const std::vector<int64_t>& row : result->counts) {
      if (!table.empty()) table += "|";
      for (size_t k = 0; k < row.size(); ++k) table += (k ? " " : "") + std::to_string(row[k]);
    }
    return table;
  }

  std::string ParseError(const std::string& json) {
    simdjson::dom::parser parser;
    auto query = ParseRetentionQuery(parser.parse(json).value());
    EXPECT_FALSE(query.ok());
    return query.ok() ? "" : query.status().message();
  }

  // The actors of cohort `cohort` of the last run (of one breakdown value when given) as
  // "person:offsets …" (groups by key).
  std::string Actors(size_t cohort, const std::optional<std::string>& breakdown = std::nullopt) {
    auto range = RetentionRange(query_, context_.clock);
    EXPECT_TRUE(range.ok());
    if (!range.ok()) return "";
    auto actors = RetentionActors(query_, *range, context_, source(), kTestTeam, cohort, breakdown);
    EXPECT_TRUE(actors.ok()) << actors.status().ToString();
    if (!actors.ok()) return "";
    std::string listed;
    for (const RetentionActor& actor : *actors) {
      listed += actor.group_key.empty() ? std::to_string(actor.actor.bytes[15]) : actor.group_key;
      listed += ":";
      for (int64_t k : actor.appearances) listed += std::to_string(k);
      listed += " ";
    }
    return listed;
  }

  // The aggregation values of the last run as "v v …|…".
  std::string Values() const {
    std::string table;
    for (const std::vector<double>& row : result_.values) {
      if (!table.empty()) table += "|";
      for (size_t k = 0; k < row.size(); ++k) {
        JsonWriter w;
        w.Double(row[k]);
        table += (k ? " " : "") + std::move(w).Take();
      }
    }
    return table;
  }

  RetentionQuery query_;
  RetentionResult result_;
  std::string json_;
};

// The breakdown lines of the last run as "value: c0k0 c0k1 …|c1k0 …; …".
std::string Lines(const RetentionResult& result) {
  std::string out;
  for (const RetentionBreakdownLine& line : result.breakdowns) {
    if (!out.empty()) out += "; ";
    out += line.value + ":";
    for (size_t c = 0; c < line.counts.size(); ++c) {
      out += c ? "|" : " ";
      for (size_t k = 0; k < line.counts[c].size(); ++k) {
        out += (k ? " " : "") + std::to_string(line.counts[c][k]);
      }
    }
  }
  return out;
}

TEST_F(RetentionRunner, RecurringPutsAnActorInEveryCohortItStartsIn) {
  AddBasic();
  // Day 1: person 1, back on days 2 and 4. Day 2: persons 1, 2 and 5; 2 and 5 back on day 3,
  // 1 on day 4. Day 3: persons 2, 3 and 5. Day 4: person 1.
  EXPECT_EQ(Run(Retention()), "1 1 0 1|3 2 1 0|3 0 0 0|1 0 0 0");
}

TEST_F(RetentionRunner, TheActorsOfACohortWithTheOffsetsTheyWereCountedAt) {
  AddBasic();
  Add("$pageview", 6, "2024-01-02T10:00:00Z");  // in day 2's cohort, never back
  ASSERT_EQ(Run(Retention()), "1 1 0 1|4 2 1 0|3 0 0 0|1 0 0 0");
  auto range = RetentionRange(query_, context_.clock);
  ASSERT_TRUE(range.ok());
  auto actors = RetentionActors(query_, *range, context_, source(), kTestTeam, 1);
  ASSERT_TRUE(actors.ok()) << actors.status().ToString();
  std::string listed;
  for (const RetentionActor& actor : *actors) {
    listed += std::to_string(actor.actor.bytes[15]) + ":";
    for (int64_t k : actor.appearances) listed += std::to_string(k);
    listed += " ";
  }
  // Most appearances first, then by person.
  EXPECT_EQ(listed, "1:02 2:01 5:01 6:0 ");
  EXPECT_FALSE(RetentionActors(query_, *range, context_, source(), kTestTeam, 4).ok());
}

TEST_F(RetentionRunner, FirstTimeKeepsTheFirstStartEverWhenItIsInTheRange) {
  AddBasic();
  // Person 5 first came on 2023-12-30: in no cohort. Person 4 likewise.
  EXPECT_EQ(Run(Retention(R"("retentionType": "retention_first_time")")),
            "1 1 0 1|1 1 0 0|1 0 0 0|0 0 0 0");
}

TEST_F(RetentionRunner, FirstTimeAndFirstEverOccurrenceWithEntityFilters) {
  // Person 6 signs up on the free plan on day 1, on pro on day 2, purchases on day 3. Person 7
  // signs up on pro on day 1, purchases the same day (no return) and on day 3.
  Add("signup", 6, "2024-01-01T10:00:00Z", R"({"plan": "free"})");
  Add("signup", 6, "2024-01-02T10:00:00Z", R"({"plan": "pro"})");
  Add("purchase", 6, "2024-01-03T10:00:00Z");
  Add("signup", 7, "2024-01-01T10:00:00Z", R"({"plan": "pro"})");
  Add("purchase", 7, "2024-01-01T11:00:00Z");
  Add("purchase", 7, "2024-01-03T11:00:00Z");
  const std::string entities =
      R"("targetEntity": {"id": "signup", "type": "events", "properties": [
           {"key": "plan", "value": "pro", "operator": "exact", "type": "event"}]},
         "returningEntity": {"id": "purchase", "type": "events"})";
  EXPECT_EQ(Run(Retention(entities + R"(, "retentionType": "retention_first_time")")),
            "1 0 1 0|1 1 0 0|0 0 0 0|0 0 0 0");
  // Person 6's first signup ever was on the free plan: not in any cohort.
  EXPECT_EQ(Run(Retention(entities + R"(, "retentionType": "retention_first_ever_occurrence")")),
            "1 0 1 0|0 0 0 0|0 0 0 0|0 0 0 0");
  EXPECT_EQ(Run(Retention(entities)), "1 0 1 0|1 1 0 0|0 0 0 0|0 0 0 0");
}

TEST_F(RetentionRunner, MinimumOccurrencesAndCumulative) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z");
  Add("$pageview", 1, "2024-01-02T10:00:00Z");
  Add("$pageview", 1, "2024-01-03T10:00:00Z");
  Add("$pageview", 1, "2024-01-03T11:00:00Z");
  Add("$pageview", 2, "2024-01-01T10:00:00Z");
  Add("$pageview", 2, "2024-01-04T10:00:00Z");
  EXPECT_EQ(Run(Retention()), "2 1 1 1|1 1 0 0|1 0 0 0|1 0 0 0");
  // Only day 3 has two returning events.
  EXPECT_EQ(Run(Retention(R"("minimumOccurrences": 2)")), "2 0 1 0|1 1 0 0|1 0 0 0|1 0 0 0");
  // Person 2 back on day 4 counts on days 1…3 too; person 1 back on day 3 on days 1 and 2.
  EXPECT_EQ(Run(Retention(R"("cumulative": true)")), "2 2 2 1|1 1 0 0|1 0 0 0|1 0 0 0");
}

TEST_F(RetentionRunner, AMergedPersonCountsOnce) {
  Add("$pageview", 7, "2024-01-01T10:00:00Z");
  Add("$pageview", 8, "2024-01-01T11:00:00Z");
  Add("$pageview", 8, "2024-01-02T11:00:00Z");
  EXPECT_EQ(Run(Retention()), "2 1 0 0|1 0 0 0|0 0 0 0|0 0 0 0");
  // d8 identified as person 7: one person in day 1's cohort, back on day 2.
  overrides_.Set("d8", PersonUuid(7));
  EXPECT_EQ(Run(Retention()), "1 1 0 0|1 0 0 0|0 0 0 0|0 0 0 0");
}

TEST_F(RetentionRunner, LocalWeeksAcrossADaylightSavingChange) {
  context_.clock.zone = *TimeZone::Load("America/Los_Angeles");
  context_.clock.now_us = At("2024-03-20T12:00:00Z");
  // Saturday 9 March 23:30 PST (UTC: Sunday), Sunday 10 March 00:30 PST, Sunday 17 March 00:30
  // PDT. Person 2: Saturday 16 March 23:30 PDT (UTC: Sunday 17th).
  Add("$pageview", 1, "2024-03-10T07:30:00Z");
  Add("$pageview", 1, "2024-03-10T08:30:00Z");
  Add("$pageview", 1, "2024-03-17T07:30:00Z");
  Add("$pageview", 2, "2024-03-17T06:30:00Z");
  const std::string query = R"({"kind": "RetentionQuery",
      "dateRange": {"date_from": "2024-03-03", "date_to": "2024-03-17"},
      "retentionFilter": {"period": "Week", "totalIntervals": 3}})";
  EXPECT_EQ(Run(query), "1 1 1|2 1 0|1 0 0");
  EXPECT_NE(json_.find(R"("label":"Week 0","date":"2024-03-03T00:00:00-08:00")"), std::string::npos)
      << json_;
  EXPECT_NE(json_.find(R"("date":"2024-03-17T00:00:00-07:00")"), std::string::npos) << json_;

  // Weeks starting on Monday: the range runs from the week of 26 February (holding 3 March) to
  // 18 March (exclusive). Both of person 1's Saturday-night and Sunday events are in the week of
  // 4 March; person 1's 17 March and person 2's 16 March in that of 11 March.
  context_.clock.week_start = WeekStart::kMonday;
  EXPECT_EQ(Run(query), "0 0 0|1 1 0|2 0 0");
}

TEST_F(RetentionRunner, GroupsAreTheActorsWithAnAggregationGroup) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 2, "2024-01-02T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 3, "2024-01-02T10:00:00Z");  // no group: counts for no actor
  EXPECT_EQ(Run(Retention("", R"("aggregation_group_type_index": 0)")),
            "1 1 0 0|1 0 0 0|0 0 0 0|0 0 0 0");
}

TEST_F(RetentionRunner, QueryPropertiesFilterStartsAndReturns) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-02T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 1, "2024-01-03T10:00:00Z", R"({"$browser": "Chrome"})");
  EXPECT_EQ(Run(Retention("", R"("properties": [{"key": "$browser", "value": "Chrome",
                                                  "operator": "exact", "type": "event"}])")),
            "1 0 1 0|0 0 0 0|1 0 0 0|0 0 0 0");
}

TEST_F(RetentionRunner, RangeEndsAtTheNextPeriodAndDefaultsToTotalIntervalsBack) {
  Add("$pageview", 1, "2024-01-02T10:00:00Z");
  Add("$pageview", 1, "2024-01-04T23:00:00Z");
  Add("$pageview", 1, "2024-01-05T00:00:00Z");  // past the range's end
  const std::string query = R"({"kind": "RetentionQuery", "dateRange": {"date_to": "2024-01-04"},
      "retentionFilter": {"totalIntervals": 3}})";
  EXPECT_EQ(Run(query), "1 0 1|0 0 0|1 0 0");
  const std::string first_cohorts =
      R"([{"values":[{"count":1,"label":"Day 0"},{"count":0,"label":"Day 1"},)"
      R"({"count":1,"label":"Day 2"}],"label":"Day 0","date":"2024-01-02T00:00:00Z"},)"
      R"({"values":[{"count":0,"label":"Day 0"},{"count":0,"label":"Day 1"},{"count":0,)"
      R"("label":"Day 2"}],"label":"Day 1","date":"2024-01-03T00:00:00Z"},)";
  EXPECT_EQ(json_.substr(0, first_cohorts.size()), first_cohorts);
  // Hours: the range ends at the start of the hour after date_to (00:00), so it holds the hours
  // of 22:00 and 23:00.
  const std::string hours = R"({"kind": "RetentionQuery",
      "dateRange": {"date_from": "2024-01-04T22:00:00", "date_to": "2024-01-04T23:30:00",
                    "explicitDate": true},
      "retentionFilter": {"period": "Hour", "totalIntervals": 3}})";
  EXPECT_EQ(Run(hours), "0 0 0|1 0 0");
}

TEST_F(RetentionRunner, BreakdownsGroupAnActorsEventsByValueAndSumThoseBeyondTheLimit) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-02T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-03T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 2, "2024-01-01T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 2, "2024-01-03T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 3, "2024-01-02T10:00:00Z");
  // Safari: person 2 from day 1 (back on day 3), persons 1 and 2 on day 3. Chrome: person 1 on
  // day 1 (back on day 2) and day 2. No browser: person 3 on day 2.
  Run(Retention("", R"("breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event"})"));
  EXPECT_EQ(Lines(result_),
            "Safari: 1 0 1 0|0 0 0 0|2 0 0 0|0 0 0 0; "
            "Chrome: 1 1 0 0|1 0 0 0|0 0 0 0|0 0 0 0; "
            ": 0 0 0 0|1 0 0 0|0 0 0 0|0 0 0 0");
  EXPECT_NE(json_.find(R"("date":"2024-01-01T00:00:00Z","breakdown_value":"Safari"})"),
            std::string::npos)
      << json_;
  Run(Retention("", R"("breakdownFilter": {"breakdown": "$browser", "breakdown_limit": 1})"));
  EXPECT_EQ(Lines(result_),
            "Safari: 1 0 1 0|0 0 0 0|2 0 0 0|0 0 0 0; "
            "$$_posthog_breakdown_other_$$: 1 1 0 0|2 0 0 0|0 0 0 0|0 0 0 0");
}

TEST_F(RetentionRunner, TheActorsOfABreakdownValuesCell) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-02T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-03T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 2, "2024-01-01T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 2, "2024-01-03T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 3, "2024-01-02T10:00:00Z");
  Add("$pageview", 3, "2024-01-02T11:00:00Z", R"({"$browser": "Edge"})");
  Add("$pageview", 3, "2024-01-04T10:00:00Z", R"({"$browser": "Edge"})");
  // Safari: person 2 on day 1 (back on day 3), persons 1 and 2 on day 3. Chrome: person 1 on
  // day 1 (back on day 2) and on day 2. Edge: person 3 on day 2 (back on day 4) and day 4. No
  // browser: person 3 on day 2.
  Run(Retention("", R"("breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event"})"));
  ASSERT_EQ(Lines(result_),
            "Safari: 1 0 1 0|0 0 0 0|2 0 0 0|0 0 0 0; "
            "Chrome: 1 1 0 0|1 0 0 0|0 0 0 0|0 0 0 0; "
            "Edge: 0 0 0 0|1 0 1 0|0 0 0 0|1 0 0 0; "
            ": 0 0 0 0|1 0 0 0|0 0 0 0|0 0 0 0");
  EXPECT_EQ(Actors(0, "Safari"), "2:02 ");
  EXPECT_EQ(Actors(2, "Safari"), "1:0 2:0 ");
  EXPECT_EQ(Actors(0, "Chrome"), "1:01 ");
  EXPECT_EQ(Actors(1, "Chrome"), "1:0 ");
  EXPECT_EQ(Actors(1, "Edge"), "3:02 ");
  EXPECT_EQ(Actors(1, ""), "3:0 ");     // the missing value
  EXPECT_EQ(Actors(1, "Firefox"), "");  // a value never seen lists nobody
  // Without a value, person 3 is listed once with the offsets of Edge and the missing value.
  EXPECT_EQ(Actors(1), "3:02 1:0 ");
  EXPECT_EQ(Actors(0), "1:01 2:02 ");
  // Past the limit the cells are summed into Other, whose label names no value: nobody.
  Run(Retention("", R"("breakdownFilter": {"breakdown": "$browser", "breakdown_limit": 1})"));
  ASSERT_EQ(Lines(result_),
            "Safari: 1 0 1 0|0 0 0 0|2 0 0 0|0 0 0 0; "
            "$$_posthog_breakdown_other_$$: 1 1 0 0|3 0 1 0|0 0 0 0|1 0 0 0");
  EXPECT_EQ(Actors(1, "$$_posthog_breakdown_other_$$"), "");
  EXPECT_EQ(Actors(0, "Safari"), "2:02 ");
  EXPECT_EQ(Actors(0, "Chrome"), "1:01 ");  // a value past the limit is still a value
  // A breakdown value on a query without breakdown is refused.
  Run(Retention());
  auto range = RetentionRange(query_, context_.clock);
  ASSERT_TRUE(range.ok());
  auto refused = RetentionActors(query_, *range, context_, source(), kTestTeam, 0, "Chrome");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RetentionRunner, BadFieldsAreNamed) {
  EXPECT_NE(ParseError(R"({"kind": "RetentionQuery", "retentionFilter": {"period": "Year"}})")
                .find("query.retentionFilter.period"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"kind": "RetentionQuery", "retentionFilter": {"totalIntervals": 0}})")
                .find("query.retentionFilter.totalIntervals"),
            std::string::npos);
  EXPECT_NE(ParseError(Retention(R"("retentionType": "sometimes")"))
                .find("query.retentionFilter.retentionType"),
            std::string::npos);
  EXPECT_NE(ParseError(Retention(R"("minimumOccurrences": -1)"))
                .find("query.retentionFilter.minimumOccurrences"),
            std::string::npos);
  EXPECT_NE(ParseError(Retention(R"("targetEntity": {"id": 5, "type": "cohorts"})"))
                .find("query.retentionFilter.targetEntity.type"),
            std::string::npos);
  EXPECT_NE(ParseError(Retention("", R"("breakdownFilter": {"breakdowns": [
                                   {"property": "$browser", "type": "event"},
                                   {"property": "$os", "type": "event"}]})"))
                .find("query.breakdownFilter"),
            std::string::npos);
}

TEST_F(RetentionRunner, GroupActorsCarryTheirKeys) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 2, "2024-01-02T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 3, "2024-01-01T10:00:00Z", R"({"$group_0": "globex"})");
  ASSERT_EQ(Run(Retention("", R"("aggregation_group_type_index": 0)")),
            "2 1 0 0|1 0 0 0|0 0 0 0|0 0 0 0");
  EXPECT_EQ(Actors(0), "acme:01 globex:0 ");
}

TEST_F(RetentionRunner, CustomBracketsCountFromTheFirstStartPeriod) {
  AddBracketEvents();
  // Brackets [1, 2]: day 1, days 2-3. Every cohort of an actor has the brackets its returns fall
  // in counted from its first start period (PostHog's): person 1 (first day 1, back 1 and 3
  // days later) brackets 1 and 2; person 2 (day 1, back 2 days later) bracket 2; person 3
  // (day 2, back 1 day later) bracket 1.
  EXPECT_EQ(Run(Retention(R"("retentionCustomBrackets": [1, 2])")), "2 1 2|2 2 1|2 1 1|1 1 1");
  EXPECT_NE(json_.find(R"({"count":2,"label":"Day 0"},{"count":1,"label":"Day 1"},)"
                       R"({"count":2,"label":"Day 2-3"}],"label":"Day 0")"),
            std::string::npos)
      << json_;
  // First time: persons 1 and 2 start on day 1, person 3 on day 2.
  EXPECT_EQ(Run(Retention(R"("retentionCustomBrackets": [1, 2],
                             "retentionType": "retention_first_time")")),
            "2 1 2|1 1 0|0 0 0|0 0 0");
  // Cumulative: a bracket counts at every bracket before it too.
  EXPECT_EQ(Run(Retention(R"("retentionCustomBrackets": [1, 2], "cumulative": true)")),
            "2 2 2|2 2 1|2 2 1|1 1 1");
  EXPECT_EQ(Actors(2), "2:012 3:01 ");
  // Brackets of one period are labelled by it; the totalIntervals do not count.
  Run(Retention(R"("retentionCustomBrackets": [2, 1, 4])"));
  EXPECT_NE(json_.find(R"("label":"Day 1-2"},{"count":1,"label":"Day 3"},{"count":0,)"
                       R"("label":"Day 4-7"}],"label":"Day 3")"),
            std::string::npos)
      << json_;
}

TEST_F(RetentionRunner, SumsAndAveragesOfAPropertyOverTheCellsEvents) {
  // Person 1: 10 and 5 on day 1, 3 and a text on day 2. Person 2: "7" on day 1, 4 on day 3.
  Add("$pageview", 1, "2024-01-01T10:00:00Z", R"({"revenue": 10})");
  Add("$pageview", 1, "2024-01-01T11:00:00Z", R"({"revenue": 5})");
  Add("$pageview", 1, "2024-01-02T10:00:00Z", R"({"revenue": 3})");
  Add("$pageview", 1, "2024-01-02T11:00:00Z", R"({"revenue": "abc"})");
  Add("$pageview", 2, "2024-01-01T12:00:00Z", R"({"revenue": "7"})");
  Add("$pageview", 2, "2024-01-03T10:00:00Z", R"({"revenue": 4})");
  // Day 1: persons 1 (15 at day 0, 3 back on day 2) and 2 (7, 4 back on day 3).
  EXPECT_EQ(Run(Retention(R"("aggregationType": "sum", "aggregationProperty": "revenue")")),
            "2 1 1 0|1 0 0 0|1 0 0 0|0 0 0 0");
  EXPECT_EQ(Values(), "22 3 4 0|3 0 0 0|4 0 0 0|0 0 0 0");
  EXPECT_NE(json_.find(R"({"count":2,"aggregation_value":22,"label":"Day 0"})"), std::string::npos)
      << json_;
  EXPECT_EQ(Run(Retention(R"("aggregationType": "avg", "aggregationProperty": "revenue")")),
            "2 1 1 0|1 0 0 0|1 0 0 0|0 0 0 0");
  EXPECT_EQ(Values(), "11 3 4 0|3 0 0 0|4 0 0 0|0 0 0 0");
  // A sum without a property counts actors only, as PostHog's does.
  Run(Retention(R"("aggregationType": "sum")"));
  EXPECT_TRUE(result_.values.empty());
  EXPECT_EQ(json_.find("aggregation_value"), std::string::npos);
}

TEST_F(RetentionRunner, ASumWithAnotherReturningEntityCountsItInTheStartPeriodAfterTheStart) {
  Add("purchase", 3, "2024-01-01T09:00:00Z", R"({"amount": 100})");  // before the signup
  Add("signup", 3, "2024-01-01T10:00:00Z", R"({"amount": 1})");
  Add("purchase", 3, "2024-01-01T12:00:00Z", R"({"amount": 20})");
  Add("purchase", 3, "2024-01-02T12:00:00Z", R"({"amount": 30})");
  Add("purchase", 4, "2024-01-02T12:00:00Z", R"({"amount": 50})");  // never signed up
  const std::string entities = R"("targetEntity": {"id": "signup", "type": "events"},
      "returningEntity": {"id": "purchase", "type": "events"},
      "aggregationType": "sum", "aggregationProperty": "amount")";
  EXPECT_EQ(Run(Retention(entities)), "1 1 0 0|0 0 0 0|0 0 0 0|0 0 0 0");
  EXPECT_EQ(Values(), "21 30 0 0|0 0 0 0|0 0 0 0|0 0 0 0");
}

TEST_F(RetentionRunner, TwentyFourHourWindowsCountFromTheFirstStart) {
  // Person 1 starts on 1 January 10:30; 23 hours later is still window 0, 24 hours window 1.
  Add("$pageview", 1, "2024-01-01T10:30:00Z");
  Add("$pageview", 1, "2024-01-02T09:45:00Z");
  Add("$pageview", 1, "2024-01-02T10:15:00Z");
  Add("$pageview", 1, "2024-01-03T11:00:00Z");
  Add("$pageview", 1, "2024-01-05T10:30:00Z");  // window 4, after the range
  // Person 2 starts on 2 January 23:00 (cohort 1); 4 January 00:00 is 25 hours later.
  Add("$pageview", 2, "2024-01-02T23:00:00Z");
  Add("$pageview", 2, "2024-01-03T22:59:00Z");
  Add("$pageview", 2, "2024-01-04T00:00:00Z");
  // Person 3 first came before the range; in it, from 2 January.
  Add("$pageview", 3, "2023-12-31T23:00:00Z");
  Add("$pageview", 3, "2024-01-02T10:00:00Z");
  const std::string windows = R"("timeWindowMode": "24_hour_windows", "totalIntervals": 5)";
  const std::string query = R"({"kind": "RetentionQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-04"},
      "retentionFilter": {"period": "Day", )" +
                            windows;
  EXPECT_EQ(Run(query + "}}"), "1 1 1 0 0|2 1 0 0 0|0 0 0 0 0|0 0 0 0 0");
  EXPECT_EQ(Actors(1), "2:01 3:0 ");
  // First time: person 3's first start is before the range, in no cohort; person 1's return
  // after the range counts.
  EXPECT_EQ(Run(query + R"(, "retentionType": "retention_first_time"}})"),
            "1 1 1 0 1|1 1 0 0 0|0 0 0 0 0|0 0 0 0 0");
}

TEST_F(RetentionRunner, BadFieldsOfTheNewOptionsAreNamed) {
  auto names = [this](const std::string& filter, const std::string& field) {
    const std::string error = ParseError(Retention(filter));
    EXPECT_NE(error.find(field), std::string::npos) << filter << ": " << error;
    return error;
  };
  EXPECT_NE(names(R"("timeWindowMode": "24_hour_windows", "cumulative": true)",
                  "query.retentionFilter.cumulative")
                .find("Cumulative retention is not supported for 24 hour windows."),
            std::string::npos);
  names(R"("timeWindowMode": "rolling")", "query.retentionFilter.timeWindowMode");
  names(R"("timeWindowMode": "24_hour_windows", "minimumOccurrences": 2)",
        "query.retentionFilter.minimumOccurrences");
  names(R"("timeWindowMode": "24_hour_windows", "retentionCustomBrackets": [1])",
        "query.retentionFilter.retentionCustomBrackets");
  names(R"("retentionCustomBrackets": [1, 0])", "query.retentionFilter.retentionCustomBrackets[1]");
  names(R"("retentionCustomBrackets": [1.5])", "query.retentionFilter.retentionCustomBrackets[0]");
  names(R"("retentionCustomBrackets": "1,2")", "query.retentionFilter.retentionCustomBrackets");
  names(R"("aggregationType": "median")", "query.retentionFilter.aggregationType");
  names(R"("aggregationType": "sum", "aggregationProperty": "x", "cumulative": true)",
        "query.retentionFilter.aggregationType");
  names(R"("aggregationType": "avg", "aggregationProperty": "x", "retentionCustomBrackets": [2])",
        "query.retentionFilter.aggregationType");
  names(R"("aggregationType": "sum", "aggregationProperty": "x",
           "aggregationPropertyType": "data_warehouse")",
        "query.retentionFilter.aggregationPropertyType");
  names(R"("aggregationType": "sum", "aggregationProperty": "x", "minimumOccurrences": 3)",
        "query.retentionFilter.minimumOccurrences");
}

TEST_F(RetentionRunner, ASumOfAPersonPropertyAddsItOncePerEvent) {
  MapPersonProperties persons;
  persons.Set(1, R"({"seats": 3})");
  persons.Set(2, R"({"seats": "many"})");  // not a number: 0
  context_.person_properties = &persons;
  Add("$pageview", 1, "2024-01-01T10:00:00Z");
  Add("$pageview", 1, "2024-01-01T11:00:00Z");
  Add("$pageview", 1, "2024-01-03T10:00:00Z");
  Add("$pageview", 2, "2024-01-01T10:00:00Z");
  EXPECT_EQ(Run(Retention(R"("aggregationType": "sum", "aggregationProperty": "seats",
                             "aggregationPropertyType": "person")")),
            "2 0 1 0|0 0 0 0|1 0 0 0|0 0 0 0");
  // Day 1: person 1's two start events (3 each) and person 2's (0); back on day 3 with one.
  EXPECT_EQ(Values(), "6 0 3 0|0 0 0 0|3 0 0 0|0 0 0 0");
}

}  // namespace
}  // namespace hoglet::query
