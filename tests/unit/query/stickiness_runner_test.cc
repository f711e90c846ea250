// StickinessQuery on the embedded engine over a real columnar store: actors by number of active
// intervals, identity at query time (a merged person counts once), cumulative mode, criteria,
// intervalCount, time zones, groups, comparison, the answer's JSON shape and the parser's errors
// (analytics §3.6, §6.18).
#include "query/stickiness_runner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "query/stickiness_query_parser.h"
#include "query/stickiness_result_json.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

// Stickiness of "$pageview" over 2024-01-01 … 2024-01-05 by day, with `extra` fields.
std::string Query(const std::string& extra = "") {
  std::string json = R"({"kind": "StickinessQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-05"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}])";
  if (!extra.empty()) json += ", " + extra;
  return json + "}";
}

// What a test reads of an answer.
struct Got {
  size_t intervals = 0;
  std::vector<StickinessLine> lines;
};

class StickinessRunner : public InsightTestStore {
 protected:
  std::optional<StickinessAnswer> Run(const std::string& json) {
    Flush();
    simdjson::dom::parser parser;
    auto query = ParseStickinessQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return std::nullopt;
    query_ = *query;
    auto answer = AnswerStickiness(*query, context_, source(), kTestTeam);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    if (!answer.ok()) return std::nullopt;
    return *std::move(answer);
  }

  Got Answer(const std::string& json) {
    std::optional<StickinessAnswer> answer = Run(json);
    if (!answer) return {};
    return {answer->intervals, answer->lines};
  }

  // The first line's data.
  std::vector<int64_t> Data(const std::string& json) {
    Got answer = Answer(json);
    return answer.lines.empty() ? std::vector<int64_t>{} : answer.lines.front().data;
  }

  // Three persons: 1 on days 1, 2, 3 (twice on day 1), 2 on day 2, 3 on days 1 and 5; and
  // other events that do not count.
  void AddWeek() {
    Add("$pageview", 1, "2024-01-01T10:00:00Z");
    Add("$pageview", 1, "2024-01-01T11:00:00Z");
    Add("$pageview", 1, "2024-01-02T10:00:00Z");
    Add("$pageview", 1, "2024-01-03T23:59:00Z");
    Add("$pageview", 2, "2024-01-02T10:00:00Z");
    Add("$pageview", 3, "2024-01-01T00:00:00Z");
    Add("$pageview", 3, "2024-01-05T23:00:00Z");
    Add("$pageview", 3, "2024-01-06T01:00:00Z");  // after the range
    Add("$pageview", 4, "2023-12-31T23:59:59Z");  // before it
    Add("signup", 2, "2024-01-03T10:00:00Z");     // another event
  }

  StickinessQuery query_;
};

TEST_F(StickinessRunner, CountsActorsByActiveDays) {
  AddWeek();
  Got answer = Answer(Query());
  ASSERT_EQ(answer.lines.size(), 1u);
  EXPECT_EQ(answer.intervals, 5u);
  EXPECT_EQ(answer.lines[0].data, (std::vector<int64_t>{1, 1, 1, 0, 0}));
  EXPECT_EQ(answer.lines[0].count, 3);
}

TEST_F(StickinessRunner, MergedPersonCountsOnceOverAllItsIds) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z");
  Add("$pageview", 9, "2024-01-02T10:00:00Z", "{}", "anon");  // stored for person 9
  Add("$pageview", 1, "2024-01-04T10:00:00Z");
  overrides_.Set("anon", PersonUuid(1));  // "anon" merged into person 1
  EXPECT_EQ(Data(Query()), (std::vector<int64_t>{0, 0, 1, 0, 0}));
}

TEST_F(StickinessRunner, CumulativeCountsThatManyIntervalsOrMore) {
  AddWeek();
  Got answer = Answer(Query(R"("stickinessFilter": {"computedAs": "cumulative"})"));
  EXPECT_EQ(answer.lines[0].data, (std::vector<int64_t>{3, 2, 1, 0, 0}));
  EXPECT_EQ(answer.lines[0].count, 3);
}

TEST_F(StickinessRunner, CriteriaCountOnlyIntervalsWithEnoughEvents) {
  AddWeek();
  // Only person 1's day 1 has two events.
  EXPECT_EQ(Data(Query(R"("stickinessFilter": {"stickinessCriteria":
                           {"operator": "gte", "value": 2}})")),
            (std::vector<int64_t>{1, 0, 0, 0, 0}));
  // Days with at most one event: person 1 has two, 2 one, 3 two.
  EXPECT_EQ(Data(Query(R"("stickinessFilter": {"stickinessCriteria":
                           {"operator": "lte", "value": 1}})")),
            (std::vector<int64_t>{1, 2, 0, 0, 0}));
}

TEST_F(StickinessRunner, IntervalCountGroupsBucketsBackFromTheEnd) {
  AddWeek();
  // Spans back from 5 Jan: {4, 5}, {2, 3}, {1}. Person 1: {1}, {2, 3} → 2; person 2: {2, 3} → 1;
  // person 3: {1}, {4, 5} → 2.
  Got answer = Answer(Query(R"("intervalCount": 2)"));
  EXPECT_EQ(answer.intervals, 3u);
  EXPECT_EQ(answer.lines[0].data, (std::vector<int64_t>{1, 2, 0}));
}

TEST_F(StickinessRunner, DaysAreLocalToTheProjectsZone) {
  context_.clock.zone = *TimeZone::Load("America/Los_Angeles");
  // 2 Jan 06:30 UTC is 1 Jan in Los Angeles: one local day, not two.
  Add("$pageview", 1, "2024-01-01T20:00:00Z");
  Add("$pageview", 1, "2024-01-02T06:30:00Z");
  EXPECT_EQ(Data(Query()), (std::vector<int64_t>{1, 0, 0, 0, 0}));
}

TEST_F(StickinessRunner, WeeksAndHours) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z");
  Add("$pageview", 1, "2024-01-09T10:00:00Z");
  Add("$pageview", 2, "2024-01-02T10:00:00Z");
  Add("$pageview", 2, "2024-01-02T10:59:00Z");
  Add("$pageview", 2, "2024-01-02T11:00:00Z");
  // Weeks starting Sunday 31 Dec, 7 Jan: person 1 in both, person 2 in one.
  EXPECT_EQ(Data(R"({"kind": "StickinessQuery", "interval": "week",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})"),
            (std::vector<int64_t>{1, 1}));
  // Hours of 2 Jan 00:00 … 23:00: person 2 in two hours; person 1 in none.
  std::vector<int64_t> hours = Data(R"({"kind": "StickinessQuery", "interval": "hour",
      "dateRange": {"date_from": "2024-01-02 00:00:00", "date_to": "2024-01-02 23:00:00"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})");
  ASSERT_GE(hours.size(), 2u);
  EXPECT_EQ(hours[0], 0);
  EXPECT_EQ(hours[1], 1);
}

TEST_F(StickinessRunner, UniqueGroupCountsGroupsNotPersons) {
  Add("$pageview", 1, "2024-01-01T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 2, "2024-01-02T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 3, "2024-01-02T10:00:00Z", R"({"$group_0": "globex"})");
  Add("$pageview", 4, "2024-01-03T10:00:00Z", R"({"$group_0": ""})");
  Add("$pageview", 5, "2024-01-03T10:00:00Z");
  Got answer = Answer(R"({"kind": "StickinessQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-05"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "unique_group",
                  "math_group_type_index": 0}]})");
  EXPECT_EQ(answer.lines[0].data, (std::vector<int64_t>{1, 1, 0, 0, 0}));  // globex 1, acme 2
  EXPECT_EQ(answer.lines[0].count, 2);
}

TEST_F(StickinessRunner, FiltersAndSeveralSeries) {
  AddWeek();
  Add("$pageview", 5, "2024-01-02T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 5, "2024-01-03T10:00:00Z", R"({"$browser": "Safari"})");
  Got answer = Answer(R"({"kind": "StickinessQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-05"},
      "properties": [{"key": "$browser", "value": "Safari", "operator": "exact", "type": "event"}],
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "signup"}]})");
  ASSERT_EQ(answer.lines.size(), 2u);
  EXPECT_EQ(answer.lines[0].data, (std::vector<int64_t>{0, 1, 0, 0, 0}));
  EXPECT_EQ(answer.lines[1].count, 0);
}

TEST_F(StickinessRunner, ComparesWithThePreviousPeriod) {
  AddWeek();
  Add("$pageview", 6, "2023-12-28T10:00:00Z");
  Got answer = Answer(Query(R"("compareFilter": {"compare": true})"));
  ASSERT_EQ(answer.lines.size(), 2u);
  EXPECT_FALSE(answer.lines[0].previous);
  EXPECT_TRUE(answer.lines[1].previous);
  // 27 Dec … 31 Dec: person 6 once, person 4 once.
  EXPECT_EQ(answer.lines[1].data, (std::vector<int64_t>{2, 0, 0, 0, 0}));
}

TEST_F(StickinessRunner, ActorsOfABar) {
  AddWeek();
  Flush();
  simdjson::dom::parser parser;
  StickinessQuery query = *ParseStickinessQuery(parser.parse(Query()).value());
  auto two = StickinessActors(query, 0, 2, context_, source(), kTestTeam);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(*two, (std::vector<Uuid>{PersonUuid(3)}));
  query.mode = StickinessMode::kCumulative;
  auto more = StickinessActors(query, 0, 2, context_, source(), kTestTeam);
  EXPECT_EQ(*more, (std::vector<Uuid>{PersonUuid(1), PersonUuid(3)}));
  EXPECT_FALSE(StickinessActors(query, 1, 2, context_, source(), kTestTeam).ok());
}

TEST_F(StickinessRunner, AnswerInPostHogsShape) {
  AddWeek();
  std::optional<StickinessAnswer> answer =
      Run(Query(R"("stickinessFilter": {"computedAs": "cumulative"})"));
  ASSERT_TRUE(answer);
  JsonWriter w;
  WriteStickinessResults(query_, *answer, &w);
  EXPECT_EQ(std::move(w).Take(),
            R"([{"count":3,"data":[3,2,1,0,0],"days":[1,2,3,4,5],"label":"$pageview",)"
            R"("labels":["1 day or more","2 days or more","3 days or more","4 days or more",)"
            R"("5 days or more"],"action":{"order":0,"type":"events","name":"$pageview",)"
            R"("custom_name":null,"id":"$pageview","math":"dau"}}])");
}

TEST(StickinessQueryParser, RefusesWhatItCannotAnswer) {
  simdjson::dom::parser parser;
  auto error = [&](const std::string& json) {
    auto parsed = ParseStickinessQuery(parser.parse(json).value());
    EXPECT_FALSE(parsed.ok()) << json;
    return parsed.ok() ? std::string() : parsed.status().message();
  };
  EXPECT_EQ(error(Query(R"("intervalCount": 0)")),
            "query.intervalCount: must be a whole number from 1 to 1000");
  EXPECT_EQ(error(Query(R"("interval": "year")")),
            "query.interval: 'year' is not an interval (minute, hour, day, week, month)");
  EXPECT_EQ(error(Query(R"("stickinessFilter": {"computedAs": "sometimes"})")),
            "query.stickinessFilter.computedAs: must be \"non_cumulative\" or \"cumulative\"");
  EXPECT_EQ(error(Query(R"("stickinessFilter": {"stickinessCriteria": {"operator": "gt",
                                                                    "value": 1}})")),
            "query.stickinessFilter.stickinessCriteria.operator: must be \"gte\", \"lte\" or "
            "\"exact\"");
  EXPECT_EQ(error(Query(R"("breakdownFilter": {"breakdown": "$browser"})")),
            "query.breakdownFilter: a breakdown of stickiness is not supported by this server yet");
  EXPECT_EQ(error(R"({"kind": "StickinessQuery", "series": []})"),
            "query.series: must hold at least one EventsNode or ActionsNode");
}

}  // namespace
}  // namespace hoglet::query
