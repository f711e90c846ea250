// RetentionQuery on the embedded engine over a real columnar store: cohort tables computed by
// hand for recurring and first-time retention, minimum occurrences, cumulative counts, local
// weeks across a daylight-saving change, a merged person counted once, group actors, the range
// PostHog resolves, the parser's errors and the answer's JSON shape (analytics §3.4, §5, §6).
#include "query/retention_runner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "base/time_format.h"
#include "query/retention_query_parser.h"
#include "query/retention_result_json.h"
#include "store/columnar_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::query {
namespace {

constexpr int64_t kTeam = 7;

int64_t At(const char* iso) { return *ParseIsoMicros(iso); }

Uuid PersonUuid(int n) {
  Uuid uuid;
  uuid.bytes[0] = 0xAA;
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

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

class RetentionRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ColumnarStoreOptions options;
    options.dir = dir_.Join("events");
    options.fsync = false;
    options.merge_threads = 0;
    store_ = *store::OpenColumnarStore(options);
    context_.clock.now_us = At("2024-01-10T15:00:00Z");
    context_.overrides = &overrides_;
  }
  void TearDown() override { store_->Close(); }

  // One event of `person` (by number; its distinct id is "d<person>").
  void Add(const char* event, int person, const char* time, std::string properties = "{}") {
    store::Event e;
    e.uuid.bytes[0] = static_cast<uint8_t>(++sequence_ >> 8);
    e.uuid.bytes[1] = static_cast<uint8_t>(sequence_);
    e.team_id = kTeam;
    e.event = event;
    e.distinct_id = "d" + std::to_string(person);
    e.person_id = PersonUuid(person);
    e.timestamp_us = At(time);
    e.created_at_us = e.timestamp_us;
    e.properties = std::move(properties);
    pending_.push_back(std::move(e));
  }

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

  // The cohort table as "c0k0 c0k1 …|c1k0 …".
  std::string Run(const std::string& json) {
    if (!pending_.empty()) {
      EXPECT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
      pending_.clear();
    }
    simdjson::dom::parser parser;
    auto query = ParseRetentionQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return "";
    query_ = *query;
    auto range = RetentionRange(*query, context_.clock);
    EXPECT_TRUE(range.ok()) << range.status().ToString();
    if (!range.ok()) return "";
    auto result = RunRetention(*query, *range, context_, *store_->scan_source(), kTeam);
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

  hoglet::testing::TempDir dir_;
  std::unique_ptr<store::EventStore> store_;
  std::vector<store::Event> pending_;
  int sequence_ = 0;
  uint64_t offset_ = 0;
  PersonOverrides overrides_;
  TrendsContext context_;
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
  auto actors = RetentionActors(query_, *range, context_, *store_->scan_source(), kTeam, 1);
  ASSERT_TRUE(actors.ok()) << actors.status().ToString();
  std::string listed;
  for (const RetentionActor& actor : *actors) {
    listed += std::to_string(actor.actor.bytes[15]) + ":";
    for (int64_t k : actor.appearances) listed += std::to_string(k);
    listed += " ";
  }
  // Most appearances first, then by person.
  EXPECT_EQ(listed, "1:02 2:01 5:01 6:0 ");
  EXPECT_FALSE(RetentionActors(query_, *range, context_, *store_->scan_source(), kTeam, 4).ok());
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
  overrides_.person_of["d8"] = PersonUuid(7);
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

}  // namespace
}  // namespace hoglet::query
