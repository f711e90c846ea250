// TrendsQuery on the embedded engine over a real columnar store: maths, buckets in the project's
// zone, breakdowns with their null and Other labels, person identity at query time, total-value
// and cumulative displays (analytics §3.2, §6).
#include "query/trends_runner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/time_format.h"
#include "filters/filter_tree.h"
#include "filters/property_value.h"
#include "query/action.h"
#include "query/aggregate.h"
#include "query/trends_actors.h"
#include "query/trends_insight.h"
#include "query/trends_query_parser.h"
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

// Persons' properties as a test sets them.
class FakePersonProperties final : public PersonProperties {
 public:
  void Set(int person, const char* json) {
    by_person_[PersonUuid(person)] = *filters::ParseProperties(json);
  }
  StatusOr<const filters::Properties*> Of(const Uuid& person) override {
    if (!shared_) {
      ++reads_;
      if (!loaded_.contains(person)) ++reads_not_loaded_;
    }
    auto found = by_person_.find(person);
    return found != by_person_.end() ? &found->second : &none_;
  }
  Status Load(const std::vector<Uuid>& persons) override {
    if (shared_) return Status::Ok();
    ++loads_;
    loaded_.insert(persons.begin(), persons.end());
    return Status::Ok();
  }
  // From now on Of and Load only read (no counting): threads may share it.
  void Share() { shared_ = true; }
  bool SharedByThreads() const override { return shared_; }
  int reads() const { return reads_; }
  // Of calls for a person no Load had listed before.
  int reads_not_loaded() const { return reads_not_loaded_; }
  int loads() const { return loads_; }
  const std::set<Uuid>& loaded() const { return loaded_; }

 private:
  std::unordered_map<Uuid, filters::Properties, UuidHash> by_person_;
  filters::Properties none_;
  std::set<Uuid> loaded_;
  bool shared_ = false;
  int reads_ = 0;
  int reads_not_loaded_ = 0;
  int loads_ = 0;
};

// Groups' properties as a test sets them.
class FakeGroupProperties final : public GroupProperties {
 public:
  void Set(int index, const std::string& key, const char* json) {
    by_group_[{index, key}] = *filters::ParseProperties(json);
  }
  StatusOr<const filters::Properties*> Of(int index, std::string_view key) override {
    auto found = by_group_.find({index, std::string(key)});
    return found != by_group_.end() ? &found->second : &none_;
  }

 private:
  std::map<std::pair<int, std::string>, filters::Properties> by_group_;
  filters::Properties none_;
};

struct Line {
  std::string breakdown;
  std::vector<double> data;
  double aggregated_value = 0;
};

class TrendsRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ColumnarStoreOptions options;
    options.dir = dir_.Join("events");
    options.fsync = false;
    options.merge_threads = 0;
    store_ = *store::OpenColumnarStore(options);
    context_.clock.now_us = At("2024-01-10T15:00:00Z");
    context_.overrides = &overrides_;
    context_.person_properties = &persons_;
    context_.group_properties = &groups_;
  }
  void TearDown() override { store_->Close(); }

  // One event of `person` (by number; its distinct id is "d<person>").
  void Add(const char* event, int person, const char* time, std::string properties = "{}",
           int team = kTeam) {
    store::Event e;
    e.uuid.bytes[0] = static_cast<uint8_t>(++sequence_ >> 8);
    e.uuid.bytes[1] = static_cast<uint8_t>(sequence_);
    e.team_id = team;
    e.event = event;
    e.distinct_id = "d" + std::to_string(person);
    e.person_id = PersonUuid(person);
    e.timestamp_us = At(time);
    e.created_at_us = e.timestamp_us;
    e.properties = std::move(properties);
    pending_.push_back(std::move(e));
  }

  std::vector<Line> Run(const std::string& json, TrendsResult* raw = nullptr) {
    if (!pending_.empty()) {
      EXPECT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
      pending_.clear();
    }
    simdjson::dom::parser parser;
    auto query = ParseTrendsQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return {};
    Interval interval = query->display == Display::kTotalValue ? Interval::kDay : query->interval;
    auto range = DateRange::Resolve(query->date_range, interval, context_.clock);
    EXPECT_TRUE(range.ok()) << range.status().ToString();
    last_range_ = std::make_unique<DateRange>(*range);
    auto result = RunTrends(*query, *range, context_, *store_->scan_source(), kTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return {};
    if (raw != nullptr) *raw = *result;
    std::vector<Line> lines;
    for (const TrendsLine& line : result->lines) {
      lines.push_back({line.breakdown_value.value_or(""), line.data, line.aggregated_value});
    }
    return lines;
  }

  // The whole answer (compare and formulas included), lines as (label, data, count).
  std::vector<std::string> Answer(const std::string& json) {
    if (!pending_.empty()) {
      EXPECT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
      pending_.clear();
    }
    simdjson::dom::parser parser;
    auto query = ParseTrendsQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return {};
    auto answer = AnswerTrends(*query, context_, *store_->scan_source(), kTeam);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    if (!answer.ok()) return {};
    std::vector<std::string> lines;
    for (const TrendsLine& line : answer->result.lines) {
      std::string text =
          line.formula ? "f" + std::to_string(*line.formula) : "s" + std::to_string(line.series);
      if (line.previous) text += " previous";
      if (line.breakdown_value) text += " " + *line.breakdown_value;
      text += ":";
      for (double v : line.data) text += " " + FormatDouble(v);
      text += " =" + FormatDouble(line.count);
      lines.push_back(text);
    }
    return lines;
  }

  static std::string FormatDouble(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
  }

  // The actors of a point as "p<person>:<events>" in order; the error message on failure.
  std::string Actors(const std::string& json, const TrendsPoint& point) {
    if (!pending_.empty()) {
      EXPECT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
      pending_.clear();
    }
    simdjson::dom::parser parser;
    auto query = ParseTrendsQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return "";
    auto actors = TrendsActors(*query, point, context_, *store_->scan_source(), kTeam);
    if (!actors.ok()) return actors.status().message();
    std::string out;
    for (const TrendsActor& actor : *actors) {
      out += (out.empty() ? "" : ",") + std::string("p") + std::to_string(actor.person.bytes[15]) +
             ":" + std::to_string(actor.event_count);
    }
    return out;
  }

  hoglet::testing::TempDir dir_;
  std::unique_ptr<store::EventStore> store_;
  std::vector<store::Event> pending_;
  uint64_t offset_ = 0;
  int sequence_ = 0;
  PersonOverrides overrides_;
  FakePersonProperties persons_;
  FakeGroupProperties groups_;
  TrendsContext context_;
  std::unique_ptr<DateRange> last_range_;
};

using Data = std::vector<double>;

TEST_F(TrendsRunner, CountsAndDistinctPersonsPerDay) {
  Add("$pageview", 1, "2024-01-08T10:00:00Z");
  Add("$pageview", 1, "2024-01-08T11:00:00Z");
  Add("$pageview", 2, "2024-01-08T12:00:00Z");
  Add("$pageview", 2, "2024-01-10T09:00:00Z");
  Add("signup", 3, "2024-01-10T09:00:00Z");
  Add("$pageview", 3, "2024-01-02T23:59:59Z");                    // before -7d: not counted
  Add("$pageview", 4, "2024-01-08T10:00:00Z", "{}", /*team=*/8);  // another project
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"}, "series": [
      {"kind": "EventsNode", "event": "$pageview"},
      {"kind": "EventsNode", "event": "$pageview", "math": "dau"},
      {"kind": "EventsNode", "event": null}]})");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].data, (Data{0, 0, 0, 0, 0, 3, 0, 1}));
  EXPECT_EQ(lines[1].data, (Data{0, 0, 0, 0, 0, 2, 0, 1}));
  EXPECT_EQ(lines[2].data, (Data{0, 0, 0, 0, 0, 3, 0, 2}));
}

TEST_F(TrendsRunner, BucketsAreTheProjectsDays) {
  context_.clock.zone = *TimeZone::Load("America/Los_Angeles");
  // 06:30Z on 10 January is 22:30 on the 9th in Los Angeles.
  Add("$pageview", 1, "2024-01-10T06:30:00Z");
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].data, (Data{1, 0}));
}

TEST_F(TrendsRunner, AMergedDistinctIdCountsForItsPersonNow) {
  Add("$pageview", 1, "2024-01-09T10:00:00Z");  // d1, stored as person 1
  Add("$pageview", 2, "2024-01-09T11:00:00Z");  // d2, stored as person 2
  const std::string dau = R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "dau"}]})";
  EXPECT_EQ(Run(dau)[0].data, (Data{2, 0}));
  overrides_.Set("d2", PersonUuid(1));  // d2 merged into person 1
  EXPECT_EQ(Run(dau)[0].data, (Data{1, 0}));
}

TEST_F(TrendsRunner, PropertyMathsIgnoreValuesThatAreNotNumbers) {
  Add("purchase", 1, "2024-01-10T10:00:00Z", R"({"price": 10})");
  Add("purchase", 1, "2024-01-10T11:00:00Z", R"({"price": "20"})");
  Add("purchase", 2, "2024-01-10T12:00:00Z", R"({"price": "free"})");
  Add("purchase", 2, "2024-01-10T13:00:00Z", R"({"price": 40})");
  auto run = [&](const char* math) {
    return Run(std::string(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
        "series": [{"kind": "EventsNode", "event": "purchase", "math": ")") +
               math + R"(", "math_property": "price"}]})")[0]
        .data;
  };
  EXPECT_EQ(run("sum"), Data{70});
  EXPECT_EQ(run("avg"), Data{70.0 / 3});
  EXPECT_EQ(run("min"), Data{10});
  EXPECT_EQ(run("max"), Data{40});
  EXPECT_EQ(run("median"), Data{20});
  EXPECT_EQ(run("p90"), Data{36});  // 20 + 0.8 × (40 − 20)
  auto per_actor = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "purchase", "math": "max_count_per_actor"}]})");
  EXPECT_EQ(per_actor[0].data, Data{2});
}

TEST_F(TrendsRunner, BreakdownsRankValuesAndFoldTheRestIntoOther) {
  for (int i = 0; i < 3; ++i) Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"b": "Chrome"})");
  for (int i = 0; i < 2; ++i) Add("$pageview", 2, "2024-01-10T10:00:00Z", R"({"b": "Safari"})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z", R"({"b": "Firefox"})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z", R"({"b": ""})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z", R"({"b": null})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z", R"({})");
  TrendsResult raw;
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}],
      "breakdownFilter": {"breakdown": "b", "breakdown_type": "event", "breakdown_limit": 2}})",
                   &raw);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].breakdown, "Chrome");
  EXPECT_EQ(lines[0].data, Data{3});
  EXPECT_EQ(lines[1].breakdown, "Safari");
  EXPECT_EQ(lines[2].breakdown, kBreakdownOtherLabel);
  EXPECT_EQ(lines[2].data, Data{4});  // Firefox and the three null-label events
  EXPECT_TRUE(raw.has_more);

  auto all = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}],
      "breakdownFilter": {"breakdown": "b", "breakdown_type": "event"}})");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].breakdown, kBreakdownNullLabel);  // missing, null and "" together, last
  EXPECT_EQ(all[3].data, Data{3});
}

TEST_F(TrendsRunner, FiltersOfTheSeriesAndTheQueryAreAnded) {
  Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$browser": "Chrome", "$os": "Mac"})");
  Add("$pageview", 2, "2024-01-10T10:00:00Z", R"({"$browser": "Chrome", "$os": "Linux"})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z", R"({"$browser": "Firefox", "$os": "Mac"})");
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$pageview",
                  "properties": [{"key": "$browser", "value": "Chrome", "type": "event"}]}],
      "properties": {"type": "AND", "values": [{"type": "OR", "values": [
                       {"key": "$os", "value": "Mac", "type": "event"}]}]}})");
  EXPECT_EQ(lines[0].data, Data{1});
}

TEST_F(TrendsRunner, WeeklyActiveCountsTheSevenDaysEndingEachDay) {
  Add("$pageview", 1, "2024-01-02T10:00:00Z");  // in the windows of 2..8 January
  Add("$pageview", 2, "2024-01-08T10:00:00Z");
  auto lines = Run(R"({"kind": "TrendsQuery",
      "dateRange": {"date_from": "2024-01-06", "date_to": "2024-01-09"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "weekly_active"}]})");
  EXPECT_EQ(lines[0].data, (Data{1, 1, 2, 1}));
}

TEST_F(TrendsRunner, MonthlyActiveByWeekCountsTheThirtyDaysEndingAfterEachWeeksFirstDay) {
  // Weeks start on Sunday: buckets 31 Dec, 7 Jan and 14 Jan, whose windows (S - 29 days,
  // S + 1 day] are (2 Dec, 1 Jan], (9 Dec, 8 Jan] and (16 Dec, 15 Jan].
  Add("$pageview", 1, "2023-12-03T10:00:00Z", R"({"$browser": "Chrome"})");  // first
  Add("$pageview", 5, "2023-12-16T00:00:00Z", R"({"$browser": "Chrome"})");  // first two
  Add("$pageview", 1, "2024-01-01T00:00:00Z", R"({"$browser": "Chrome"})");  // every one
  Add("$pageview", 3, "2024-01-08T00:00:00Z", R"({"$browser": "Chrome"})");  // last two
  Add("$pageview", 3, "2024-01-09T10:00:00Z", R"({"$browser": "Chrome"})");  // last
  Add("$pageview", 2, "2023-12-05T10:00:00Z", R"({"$browser": "Safari"})");  // first
  Add("$pageview", 4, "2023-12-10T00:00:00Z", R"({"$browser": "Safari"})");  // first two
  Add("$pageview", 2, "2024-01-15T10:00:00Z", R"({"$browser": "Safari"})");  // past the range
  auto lines = Run(R"({"kind": "TrendsQuery", "interval": "week",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-14"},
      "breakdownFilter": {"breakdown": "$browser"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "monthly_active"}]})");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].breakdown, "Chrome");
  EXPECT_EQ(lines[0].data, (Data{2, 3, 2}));
  EXPECT_EQ(lines[1].breakdown, "Safari");
  EXPECT_EQ(lines[1].data, (Data{2, 1, 0}));
}

TEST_F(TrendsRunner, TotalValueDisplaysCountDistinctPersonsOverTheWholeRange) {
  Add("$pageview", 1, "2024-01-08T10:00:00Z");
  Add("$pageview", 1, "2024-01-09T10:00:00Z");
  Add("$pageview", 2, "2024-01-09T10:00:00Z");
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"},
      "trendsFilter": {"display": "BoldNumber"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "dau"}]})");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].data.empty());
  EXPECT_EQ(lines[0].aggregated_value, 2);  // not 1 + 2
}

TEST_F(TrendsRunner, CumulativeDistinctPersonsCountEachPersonOnce) {
  Add("$pageview", 1, "2024-01-08T10:00:00Z");
  Add("$pageview", 1, "2024-01-09T10:00:00Z");
  Add("$pageview", 2, "2024-01-10T10:00:00Z");
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-2d"},
      "trendsFilter": {"display": "ActionsLineGraphCumulative"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "dau"},
                 {"kind": "EventsNode", "event": "$pageview"}]})");
  EXPECT_EQ(lines[0].data, (Data{1, 1, 2}));
  EXPECT_EQ(lines[1].data, (Data{1, 2, 3}));
}

TEST_F(TrendsRunner, PersonFiltersReadThePersonsPropertiesNow) {
  persons_.Set(1, R"({"plan": "pro", "email": "a@example.com"})");
  persons_.Set(2, R"({"plan": "free", "email": "b@test.example"})");
  // Event-stamped person properties are not what a person filter reads.
  Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$set": {"plan": "free"}})");
  Add("$pageview", 2, "2024-01-10T10:00:00Z");
  Add("$pageview", 3, "2024-01-10T10:00:00Z");  // no person record
  auto count = [&](const char* properties) {
    return Run(std::string(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
        "series": [{"kind": "EventsNode", "event": "$pageview"}], "properties": )") +
               properties + "}")[0]
        .data;
  };
  EXPECT_EQ(count(R"([{"key": "plan", "value": "pro", "type": "person"}])"), Data{1});
  EXPECT_EQ(count(R"([{"key": "plan", "value": "pro", "type": "person", "operator": "is_not"}])"),
            Data{2});  // PostHog: a person without the property is "not pro"
  EXPECT_EQ(count(R"([{"key": "plan", "type": "person", "operator": "is_set"}])"), Data{2});
  EXPECT_EQ(count(R"({"type": "OR", "values": [
      {"key": "plan", "value": "pro", "type": "person"},
      {"key": "$browser", "value": "x", "type": "event", "operator": "is_not"}]})"),
            Data{3});

  // After d2 merges into person 1, d2's events count as person 1's.
  overrides_.Set("d2", PersonUuid(1));
  EXPECT_EQ(count(R"([{"key": "plan", "value": "pro", "type": "person"}])"), Data{2});
}

TEST_F(TrendsRunner, PersonBreakdownsAndTestAccountFiltersOnPersons) {
  persons_.Set(1, R"({"plan": "pro", "email": "a@example.com"})");
  persons_.Set(2, R"({"plan": "free", "email": "b@internal.example"})");
  Add("$pageview", 1, "2024-01-10T10:00:00Z");
  Add("$pageview", 1, "2024-01-10T11:00:00Z");
  Add("$pageview", 2, "2024-01-10T10:00:00Z");
  Add("$pageview", 3, "2024-01-10T10:00:00Z");
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}],
      "breakdownFilter": {"breakdown": "plan", "breakdown_type": "person"}})");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].breakdown, "pro");
  EXPECT_EQ(lines[0].data, Data{2});
  EXPECT_EQ(lines[1].breakdown, "free");
  EXPECT_EQ(lines[2].breakdown, kBreakdownNullLabel);

  context_.test_account_filters = *filters::ParseFilterTree(
      R"([{"key": "email", "value": "@internal.example", "operator": "not_icontains",
           "type": "person"}])");
  auto filtered = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "filterTestAccounts": true, "series": [{"kind": "EventsNode", "event": "$pageview"}]})");
  EXPECT_EQ(filtered[0].data, Data{3});
}

TEST_F(TrendsRunner, PersonBreakdownsAndFiltersLoadTheSelectedRowsPersonsBeforeReadingThem) {
  persons_.Set(1, R"({"plan": "pro"})");
  persons_.Set(2, R"({"plan": "free"})");
  Add("$pageview", 1, "2024-01-10T10:00:00Z");
  Add("$pageview", 2, "2024-01-10T10:00:00Z");
  Add("$pageview", 2, "2024-01-10T11:00:00Z");
  Add("$pageview", 3, "2024-01-10T10:00:00Z");
  Add("signup", 4, "2024-01-10T10:00:00Z");  // another event: its person is never needed
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}],
      "properties": [{"key": "plan", "type": "person", "operator": "is_not", "value": "x"}],
      "breakdownFilter": {"breakdown": "plan", "breakdown_type": "person"}})");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].breakdown, "free");
  EXPECT_EQ(lines[0].data, Data{2});
  EXPECT_GT(persons_.loads(), 0);
  EXPECT_GT(persons_.reads(), 0);
  EXPECT_EQ(persons_.reads_not_loaded(), 0);
  EXPECT_EQ(persons_.loaded(), (std::set<Uuid>{PersonUuid(1), PersonUuid(2), PersonUuid(3)}));
}

TEST_F(TrendsRunner, HourBucketsOfAFallBackDayKeepTheRepeatedHourApart) {
  context_.clock.zone = *TimeZone::Load("America/New_York");
  context_.clock.now_us = At("2024-11-05T12:00:00Z");
  // 3 November 2024: 02:00 EDT (06:00Z) becomes 01:00 EST.
  Add("$pageview", 1, "2024-11-03T05:30:00Z");  // 01:30 EDT
  Add("$pageview", 1, "2024-11-03T06:30:00Z");  // 01:30 EST
  Add("$pageview", 2, "2024-11-03T06:45:00Z");  // 01:45 EST
  Add("$pageview", 2, "2024-11-04T04:59:00Z");  // 23:59 EST
  TrendsResult raw;
  auto lines = Run(R"({"kind": "TrendsQuery", "interval": "hour",
      "dateRange": {"date_from": "2024-11-03", "date_to": "2024-11-03 23:59:59"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})",
                   &raw);
  ASSERT_EQ(lines.size(), 1u);
  Data expected(25, 0);
  expected[1] = 1;
  expected[2] = 2;
  expected[24] = 1;
  EXPECT_EQ(lines[0].data, expected);
  ASSERT_NE(last_range_, nullptr);
  EXPECT_EQ(BucketDay(last_range_->bucket_starts()[1], Interval::kHour), "2024-11-03 01:00:00");
  EXPECT_EQ(BucketDay(last_range_->bucket_starts()[2], Interval::kHour), "2024-11-03 01:00:00");

  // London's spring-forward day has 23: the hour after 00:00 GMT starts at 02:00 BST.
  context_.clock.zone = *TimeZone::Load("Europe/London");
  Add("$pageview", 3, "2024-03-31T01:15:00Z");  // 02:15 BST
  lines = Run(R"({"kind": "TrendsQuery", "interval": "hour",
      "dateRange": {"date_from": "2024-03-31", "date_to": "2024-03-31 23:59:59"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})");
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].data.size(), 23u);
  EXPECT_EQ(lines[0].data[1], 1);
  EXPECT_EQ(BucketDay(last_range_->bucket_starts()[1], Interval::kHour), "2024-03-31 02:00:00");
}

using Lines = std::vector<std::string>;

TEST_F(TrendsRunner, SeveralBreakdownsMakeListValues) {
  persons_.Set(1, R"({"plan": "pro"})");
  Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-10T11:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 2, "2024-01-10T10:00:00Z", R"({"$browser": "Safari"})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z");
  EXPECT_EQ(
      Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}],
      "breakdownFilter": {"breakdown_limit": 2, "breakdowns": [
          {"property": "$browser", "type": "event"}, {"property": "plan", "type": "person"}]}})"),
      (Lines{R"(s0 ["Chrome","pro"]: 2 =2)",
             R"(s0 ["Safari","$$_posthog_breakdown_null_$$"]: 1 =1)",
             R"(s0 ["$$_posthog_breakdown_other_$$","$$_posthog_breakdown_other_$$"]: 1 =1)"}));
}

TEST_F(TrendsRunner, ActionSeriesMatchAnyStep) {
  Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$current_url": "https://x.io/pricing?a=1"})");
  Add("$pageview", 2, "2024-01-10T10:00:00Z", R"({"$current_url": "https://x.io/PRICING"})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z", R"({"$current_url": "https://x.io/docs"})");
  Add("signup", 4, "2024-01-10T10:00:00Z", R"({"plan": "pro"})");
  Add("signup", 5, "2024-01-10T10:00:00Z", R"({"plan": "free"})");
  auto define = [&](int64_t id, const char* steps, bool deleted = false) {
    auto parsed = ParseActionSteps(steps, "steps");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    context_.actions[id] = {"action " + std::to_string(id), deleted, *std::move(parsed)};
  };
  // URL contains is case-sensitive; OR with a step on another event and its properties.
  define(1, R"([{"event": "$pageview", "url": "/pricing"},
                {"event": "signup", "properties": [{"key": "plan", "value": "pro"}]}])");
  define(2, R"([{"event": "$pageview", "url": "^https://x\\.io/(docs|PRICING)$",
                 "url_matching": "regex"}])");
  define(3, R"([{"url": "https://x.io/docs", "url_matching": "exact"}])");
  define(4, "[]");                              // every event
  define(5, R"([{"event": "signup"}])", true);  // deleted: nothing
  auto count = [&](int id) {
    auto lines = Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
        "series": [{"kind": "ActionsNode", "id": )" +
                        std::to_string(id) + "}]}");
    return lines.empty() ? std::string() : lines[0];
  };
  EXPECT_EQ(count(1), "s0: 2 =2");
  EXPECT_EQ(count(2), "s0: 2 =2");
  EXPECT_EQ(count(3), "s0: 1 =1");
  EXPECT_EQ(count(4), "s0: 5 =5");
  EXPECT_EQ(count(5), "s0: 0 =0");
  EXPECT_EQ(count(6), "s0: 0 =0");  // unknown here: nothing
}

TEST_F(TrendsRunner, AutocaptureActionsAndElementFiltersReadTheElementsChain) {
  const char* signup =
      R"({"$elements_chain": "span:nth-child=\"1\"nth-of-type=\"1\"text=\"Sign up now\";a.btn.primary:attr__data-attr=\"signup\"attr__href=\"/signup\"href=\"/signup\"nth-child=\"2\"nth-of-type=\"1\";div.hero:nth-child=\"1\"nth-of-type=\"1\""})";
  const char* docs =
      R"({"$elements_chain": "button.btn:nth-child=\"1\"nth-of-type=\"1\"text=\"Docs\";nav:nth-child=\"1\"nth-of-type=\"1\""})";
  Add("$autocapture", 1, "2024-01-10T10:00:00Z", signup);
  Add("$autocapture", 2, "2024-01-10T10:00:00Z", docs);
  Add("$autocapture", 3, "2024-01-10T10:00:00Z");
  Add("$pageview", 4, "2024-01-10T10:00:00Z", signup);
  auto define = [&](int64_t id, const char* steps) {
    auto parsed = ParseActionSteps(steps, "steps");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    context_.actions[id] = {"action " + std::to_string(id), false, *std::move(parsed)};
  };
  define(1, R"([{"event": "$autocapture", "selector": "div.hero > a.btn"}])");
  define(2, R"([{"event": "$autocapture", "text": "sign UP", "text_matching": "contains"}])");
  define(3, R"([{"event": "$autocapture", "href": "/signup"}])");
  define(4, R"([{"event": "$autocapture", "tag_name": "button"}])");
  define(5, R"([{"event": "$autocapture", "selector": "nav > a"}])");
  define(6, R"([{"event": "$autocapture", "selector": "[data-attr='signup']"}])");
  define(7, R"([{"event": "$pageview", "selector": "nav"}])");  // not autocapture: ignored
  auto count = [&](int id) {
    auto lines = Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
        "series": [{"kind": "ActionsNode", "id": )" +
                        std::to_string(id) + "}]}");
    return lines.empty() ? std::string() : lines[0];
  };
  EXPECT_EQ(count(1), "s0: 1 =1");
  EXPECT_EQ(count(2), "s0: 1 =1");
  EXPECT_EQ(count(3), "s0: 1 =1");
  EXPECT_EQ(count(4), "s0: 1 =1");
  EXPECT_EQ(count(5), "s0: 0 =0");
  EXPECT_EQ(count(6), "s0: 1 =1");
  EXPECT_EQ(count(7), "s0: 1 =1");
  // The same conditions as series filters of type element.
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": null, "properties": [
          {"type": "element", "key": "selector", "value": ["a.btn", "button"],
           "operator": "exact"}]}]})"),
            Lines{"s0: 3 =3"});
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$autocapture", "properties": [
          {"type": "element", "key": "text", "value": "Docs", "operator": "is_not"}]}]})"),
            Lines{"s0: 1 =1"});
}

TEST(ActionSteps, NameTheFieldOfEveryMistake) {
  auto error = [](const char* steps) {
    auto parsed = ParseActionSteps(steps, "steps");
    EXPECT_FALSE(parsed.ok()) << steps;
    return parsed.ok() ? std::string() : parsed.status().message();
  };
  EXPECT_EQ(error(R"({"event": "x"})"), "steps: must be a list of steps");
  EXPECT_EQ(error(R"([{"url": "/a", "url_matching": "fuzzy"}])"),
            "steps[0].url_matching: 'fuzzy' is not one of contains, exact, regex");
  EXPECT_NE(error(R"([{}, {"url": "(", "url_matching": "regex"}])").find("steps[1].url"),
            std::string::npos);
  EXPECT_NE(error(R"([{"properties": [{"key": "a", "operator": "regex", "value": "("}]}])")
                .find("steps[0].properties[0]"),
            std::string::npos);
  EXPECT_EQ(error(R"([{"event": 5}])"), "steps[0].event: must be a string or null");
  EXPECT_EQ(error(R"([{"event": "$autocapture", "text": "Buy", "text_matching": "fuzzy"}])"),
            "steps[0].text_matching: 'fuzzy' is not one of contains, exact, regex");
  // The autocapture conditions become filters on $autocapture steps only.
  auto autocapture = ParseActionSteps(
      R"([{"event": "$autocapture", "text": "Buy", "selector": "a.btn"}, {"text": "Buy"}])",
      "steps");
  ASSERT_TRUE(autocapture.ok());
  ASSERT_EQ((*autocapture)[0].filters.children.size(), 2u);
  EXPECT_EQ((*autocapture)[0].filters.children[0].filter.type, filters::FilterType::kElement);
  EXPECT_TRUE((*autocapture)[1].filters.empty());
}

TEST_F(TrendsRunner, GroupsAreCountedFilteredAndBrokenDown) {
  groups_.Set(0, "acme", R"({"industry": "retail"})");
  groups_.Set(0, "globex", R"({"industry": "energy"})");
  Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 2, "2024-01-10T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 3, "2024-01-10T10:00:00Z", R"({"$group_0": "globex"})");
  Add("$pageview", 4, "2024-01-10T10:00:00Z", R"({"$group_0": ""})");
  Add("$pageview", 5, "2024-01-10T10:00:00Z");
  auto run = [&](const std::string& extra, const char* series = R"({"kind": "EventsNode",
                 "event": "$pageview", "math": "dau"})") {
    return Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"}, "series": [)" +
                  std::string(series) + "]" + extra + "}");
  };
  EXPECT_EQ(run(""), Lines{"s0: 5 =5"});  // persons
  EXPECT_EQ(run(R"(, "aggregation_group_type_index": 0)"), Lines{"s0: 2 =2"});
  EXPECT_EQ(run("", R"({"kind": "EventsNode", "event": "$pageview", "math": "unique_group",
                        "math_group_type_index": 0})"),
            Lines{"s0: 2 =2"});
  // Events still count every event; a group filter keeps the events of matching groups.
  EXPECT_EQ(run(R"(, "properties": [{"key": "industry", "value": "retail", "type": "group",
                                     "group_type_index": 0}])",
                R"({"kind": "EventsNode", "event": "$pageview"})"),
            Lines{"s0: 2 =2"});
  EXPECT_EQ(run(R"(, "breakdownFilter": {"breakdown": "industry", "breakdown_type": "group",
                                         "breakdown_group_type_index": 0})",
                R"({"kind": "EventsNode", "event": "$pageview"})"),
            (Lines{"s0 retail: 2 =2", "s0 energy: 1 =1",
                   std::string("s0 ") + std::string(kBreakdownNullLabel) + ": 2 =2"}));
}

TEST_F(TrendsRunner, ComparingAddsThePreviousPeriodsLinesAfterTheCurrentOnes) {
  Add("$pageview", 1, "2023-12-28T10:00:00Z");  // previous period only (27 Dec .. 3 Jan)
  Add("$pageview", 1, "2024-01-02T10:00:00Z");  // previous period only
  Add("$pageview", 2, "2024-01-03T10:00:00Z");  // both: the periods share 3 January
  Add("$pageview", 2, "2024-01-09T10:00:00Z");  // current (3 .. 10 Jan)
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"},
      "compareFilter": {"compare": true},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})"),
            (Lines{"s0: 1 0 0 0 0 0 1 0 =2", "s0 previous: 0 1 0 0 0 0 1 1 =3"}));
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"},
      "compareFilter": {"compare": true, "compare_to": "-1w"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})"),
            (Lines{"s0: 1 0 0 0 0 0 1 0 =2", "s0 previous: 0 1 0 0 0 0 1 1 =3"}));
}

TEST_F(TrendsRunner, FormulasReplaceTheSeriesAndDivideByZeroAsZero) {
  Add("$pageview", 1, "2024-01-09T10:00:00Z");
  Add("$pageview", 1, "2024-01-09T11:00:00Z");
  Add("$pageview", 2, "2024-01-10T10:00:00Z");
  Add("signup", 1, "2024-01-09T12:00:00Z");
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "signup"}],
      "trendsFilter": {"formulaNodes": [{"formula": "a / B * 100"}, {"formula": "A + B"}]}})"),
            (Lines{"f0: 200 0 =200", "f1: 3 1 =4"}));
  // The older single `formula` field.
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "signup"}],
      "trendsFilter": {"formula": "A - B"}})"),
            (Lines{"f0: 1 1 =2"}));
}

TEST_F(TrendsRunner, FormulasApplyPerBreakdownValueAndPerComparedPeriod) {
  Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 2, "2024-01-10T10:00:00Z", R"({"$browser": "Safari"})");
  Add("signup", 1, "2024-01-10T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-09T10:00:00Z", R"({"$browser": "Chrome"})");  // previous day
  // Safari has no signup line: its B is zeros. Ranked by total.
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "signup"}],
      "breakdownFilter": {"breakdown": "$browser"},
      "trendsFilter": {"formulaNodes": [{"formula": "A + B * 10"}]}})"),
            (Lines{"f0 Chrome: 12 =12", "f0 Safari: 1 =1"}));
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "dStart"},
      "compareFilter": {"compare": true},
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "signup"}],
      "trendsFilter": {"formulaNodes": [{"formula": "A - B"}]}})"),
            (Lines{"f0: 2 =2", "f0 previous: 1 =1"}));
}

TEST_F(TrendsRunner, SmoothingAveragesTheLastIntervalsRoundedDown) {
  Add("$pageview", 1, "2024-01-07T10:00:00Z");
  Add("$pageview", 1, "2024-01-08T10:00:00Z");
  Add("$pageview", 1, "2024-01-08T11:00:00Z");
  Add("$pageview", 1, "2024-01-08T12:00:00Z");
  Add("$pageview", 1, "2024-01-08T13:00:00Z");
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-3d"},
      "trendsFilter": {"smoothingIntervals": 3},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})"),
            (Lines{"s0: 1 2 1 1 =5"}));  // 1, (1+4)/2, (1+4+0)/3, (4+0+0)/3
}

TEST(TrendsQueryParser, NamesTheFieldOfEveryMistake) {
  simdjson::dom::parser parser;
  auto error = [&](const char* json) {
    auto parsed = ParseTrendsQuery(parser.parse(std::string(json)).value());
    EXPECT_FALSE(parsed.ok()) << json;
    return parsed.ok() ? std::string() : parsed.status().message();
  };
  EXPECT_EQ(error(R"({"kind": "TrendsQuery"})"),
            "query.series: must be a list of EventsNode series");
  EXPECT_EQ(error(R"({"series": [{"kind": "EventsNode", "math": "dau2"}]})").substr(0, 38),
            "query.series[0].math: 'dau2' is not a ");
  EXPECT_EQ(error(R"({"series": [{"kind": "EventsNode", "math": "sum"}]})"),
            "query.series[0].math_property: math 'sum' needs the property to aggregate");
  EXPECT_EQ(error(R"({"series": [], "interval": "year"})"),
            "query.interval: 'year' is not an interval (minute, hour, day, week, month)");
  EXPECT_EQ(error(R"({"series": [{"kind": "EventsNode"}],
                     "trendsFilter": {"formulaNodes": [{"formula": "A + B"}]}})"),
            "query.trendsFilter.formulaNodes[0].formula: the formula 'A + B' names series B but "
            "the query has 1 series");
  EXPECT_EQ(error(R"({"series": [{"kind": "EventsNode", "math": "unique_group"}]})"),
            "query.series[0].math_group_type_index: math 'unique_group' needs the group type "
            "index to count (0 to 4)");
  EXPECT_EQ(error(R"({"series": [], "properties": [{"key": "a", "value": "b", "type": "group"}]})"),
            "query.properties: the group filter on 'a' needs a group_type_index from 0 to 4");
  EXPECT_EQ(error(R"({"series": [], "aggregation_group_type_index": 7})"),
            "query.aggregation_group_type_index: must be a group type index from 0 to 4");
  EXPECT_EQ(error(R"({"series": [], "trendsFilter": {"smoothingIntervals": 0}})"),
            "query.trendsFilter.smoothingIntervals: must be a whole number from 1 to 1000");
  EXPECT_NE(error(R"({"series": [], "properties": [{"key": "x", "value": "(", "operator":
                  "regex"}]})")
                .find("query.properties[0]"),
            std::string::npos);
}

// The actors of a point are the persons it counted, with the events it counted for each.
TEST_F(TrendsRunner, ActorsOfAPointAreThePersonsItCounted) {
  Add("view", 1, "2024-01-09T10:00:00Z", R"({"$browser":"Chrome"})");
  Add("view", 1, "2024-01-10T10:00:00Z", R"({"$browser":"Chrome"})");
  Add("view", 1, "2024-01-10T11:00:00Z", R"({"$browser":"Chrome"})");
  Add("view", 2, "2024-01-10T12:00:00Z", R"({"$browser":"Firefox"})");
  Add("view", 3, "2024-01-10T13:00:00Z", R"({"$browser":"Safari"})");
  Add("buy", 3, "2024-01-10T13:00:00Z");
  const std::string query =
      R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},"series":[)"
      R"({"kind":"EventsNode","event":"view"},{"kind":"EventsNode","event":"buy"}]})";
  TrendsPoint point;
  point.day_local_us = At("2024-01-10T00:00:00Z");
  EXPECT_EQ(Actors(query, point), "p1:2,p2:1,p3:1");
  point.day_local_us = At("2024-01-09T00:00:00Z");
  EXPECT_EQ(Actors(query, point), "p1:1");
  point.day_local_us = At("2024-01-08T00:00:00Z");
  EXPECT_EQ(Actors(query, point), "");
  point.day_local_us = At("2024-01-10T00:00:00Z");
  point.series = 1;
  EXPECT_EQ(Actors(query, point), "p3:1");
  point.series = 2;
  EXPECT_EQ(Actors(query, point), "query.source.series: the trends query has 2 series");
  point.series = 0;
  point.day_local_us = At("2023-01-10T00:00:00Z");
  EXPECT_EQ(Actors(query, point), "query.source.day: the day is not a point of the trends range");

  // Breakdown values, and Other: the values past the limit.
  const std::string by_browser =
      R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},"series":[)"
      R"({"kind":"EventsNode","event":"view"}],)"
      R"("breakdownFilter":{"breakdown":"$browser","breakdown_limit":1}})";
  point.day_local_us = At("2024-01-10T00:00:00Z");
  point.breakdown = "Firefox";
  EXPECT_EQ(Actors(by_browser, point), "p2:1");
  point.breakdown = std::string(kBreakdownOtherLabel);
  EXPECT_EQ(Actors(by_browser, point), "p2:1,p3:1");
  point.breakdown = "Chrome";
  EXPECT_EQ(Actors(by_browser, point), "p1:2");

  // A total-value display: the whole range; weekly actives: the window of the day.
  point.breakdown.reset();
  point.day_local_us.reset();
  EXPECT_EQ(Actors(R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},"series":[)"
                   R"({"kind":"EventsNode","event":"view"}],)"
                   R"("trendsFilter":{"display":"BoldNumber"}})",
                   point),
            "p1:3,p2:1,p3:1");
  point.day_local_us = At("2024-01-10T00:00:00Z");
  EXPECT_EQ(Actors(R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},"series":[)"
                   R"({"kind":"EventsNode","event":"view","math":"weekly_active"}]})",
                   point),
            "p1:3,p2:1,p3:1");
  // The previous period needs a comparison, and has its own persons.
  point.previous = true;
  EXPECT_EQ(Actors(query, point),
            "query.source.compare: 'previous' needs a trends query with compareFilter");
  point.day_local_us = At("2024-01-03T00:00:00Z");
  Add("view", 4, "2024-01-03T09:00:00Z");
  EXPECT_EQ(Actors(R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},"series":[)"
                   R"({"kind":"EventsNode","event":"view"}],"compareFilter":{"compare":true}})",
                   point),
            "p4:1");
}

TEST_F(TrendsRunner, ActorsFollowMergesAndFilters) {
  Add("view", 1, "2024-01-10T10:00:00Z");
  Add("view", 2, "2024-01-10T11:00:00Z");
  Add("view", 2, "2024-01-10T12:00:00Z");
  persons_.Set(2, R"({"plan":"pro"})");
  TrendsPoint point;
  point.day_local_us = At("2024-01-10T00:00:00Z");
  const std::string pro = R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},"series":[)"
                          R"({"kind":"EventsNode","event":"view"}],)"
                          R"("properties":[{"key":"plan","value":"pro","type":"person"}]})";
  EXPECT_EQ(Actors(pro, point), "p2:2");
  overrides_.Set("d1", PersonUuid(2));
  EXPECT_EQ(Actors(pro, point), "p2:3");
  EXPECT_EQ(
      Actors(R"({"kind":"TrendsQuery","series":[{"kind":"EventsNode","math":"unique_session"}]})",
             point),
      "query.source.source.series[0]: the actors of sessions and of the aggregation group are not "
      "supported by this server yet");
}

TEST_F(TrendsRunner, TheActorsOfAUniqueGroupSeriesAreItsGroups) {
  Add("view", 1, "2024-01-10T10:00:00Z", R"({"$group_0": "acme"})");
  Add("view", 2, "2024-01-10T11:00:00Z", R"({"$group_0": "acme"})");
  Add("view", 3, "2024-01-10T12:00:00Z", R"({"$group_0": "globex"})");
  Add("view", 4, "2024-01-10T13:00:00Z");                               // no company
  Add("view", 1, "2024-01-09T10:00:00Z", R"({"$group_0": "globex"})");  // another day
  ASSERT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
  pending_.clear();
  const std::string json = R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},"series":[)"
                           R"({"kind":"EventsNode","event":"view","math":"unique_group",)"
                           R"("math_group_type_index":0}]})";
  simdjson::dom::parser parser;
  auto query = ParseTrendsQuery(parser.parse(json).value());
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  TrendsPoint point;
  point.day_local_us = At("2024-01-10T00:00:00Z");
  auto actors = TrendsActors(*query, point, context_, *store_->scan_source(), kTeam);
  ASSERT_TRUE(actors.ok()) << actors.status().ToString();
  ASSERT_EQ(actors->size(), 2u);
  EXPECT_EQ((*actors)[0].person, GroupActor(0, "acme"));
  EXPECT_EQ((*actors)[0].event_count, 2);
  EXPECT_EQ((*actors)[1].person, GroupActor(0, "globex"));
  EXPECT_EQ((*actors)[1].event_count, 1);
  // The query's aggregation group over a person math: refused.
  EXPECT_EQ(Actors(R"({"kind":"TrendsQuery","aggregation_group_type_index":0,"series":[)"
                   R"({"kind":"EventsNode","event":"view","math":"dau"}]})",
                   point),
            "query.source.source.series[0]: the actors of sessions and of the aggregation group "
            "are not supported by this server yet");
}

TEST_F(TrendsRunner, FirstTimeMathsCountEachPersonOnceInTheBucketOfItsFirstEvent) {
  // Range -7d: 2024-01-03 … 2024-01-10, eight days.
  Add("$pageview", 1, "2024-01-01T10:00:00Z");  // first ever before the range
  Add("$pageview", 1, "2024-01-08T10:00:00Z", R"({"plan": "pro"})");
  Add("$pageview", 2, "2024-01-08T12:00:00Z");
  Add("$pageview", 2, "2024-01-09T12:00:00Z");
  Add("$pageview", 3, "2024-01-10T09:00:00Z", R"({"plan": "pro"})");
  Add("signup", 4, "2024-01-09T09:00:00Z");
  Add("$pageview", 5, "2024-01-09T09:00:00Z", R"({"plan": "free"})");
  Add("$pageview", 5, "2024-01-10T09:00:00Z", R"({"plan": "pro"})");
  Add("$pageview", 6, "2024-01-11T09:00:00Z");  // after the range
  auto lines = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"}, "series": [
      {"kind": "EventsNode", "event": "$pageview", "math": "first_time_for_user"},
      {"kind": "EventsNode", "event": "$pageview", "math": "first_time_for_user",
       "properties": [{"key": "plan", "value": "pro", "operator": "exact", "type": "event"}]},
      {"kind": "EventsNode", "event": "$pageview", "math": "first_matching_event_for_user",
       "properties": [{"key": "plan", "value": "pro", "operator": "exact", "type": "event"}]}]})");
  ASSERT_EQ(lines.size(), 3u);
  // p2 on the 8th, p5 on the 9th, p3 on the 10th; p1 began before the range.
  EXPECT_EQ(lines[0].data, (Data{0, 0, 0, 0, 0, 1, 1, 1}));
  // Only p3's first page view is a "pro" one (p1's and p5's first ones are not).
  EXPECT_EQ(lines[1].data, (Data{0, 0, 0, 0, 0, 0, 0, 1}));
  // The first "pro" page view: p1 on the 8th, p3 and p5 on the 10th.
  EXPECT_EQ(lines[2].data, (Data{0, 0, 0, 0, 0, 1, 0, 2}));
}

TEST_F(TrendsRunner, FirstTimeMathsBreakDownByTheFirstEventAndListItsPersons) {
  Add("$pageview", 1, "2024-01-08T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-09T10:00:00Z", R"({"$browser": "Firefox"})");
  Add("$pageview", 2, "2024-01-09T08:00:00Z", R"({"$browser": "Firefox"})");
  Add("$pageview", 3, "2024-01-09T11:00:00Z", R"({"$browser": "Firefox"})");
  Add("$pageview", 3, "2024-01-09T11:00:00Z", R"({"$browser": "Firefox"})");
  const std::string query = R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "first_time_for_user"}],
      "breakdownFilter": {"breakdown": "$browser"}})";
  auto lines = Run(query);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].breakdown, "Firefox");
  EXPECT_EQ(lines[0].data, (Data{0, 0, 0, 0, 0, 0, 2, 0}));
  EXPECT_EQ(lines[1].breakdown, "Chrome");
  EXPECT_EQ(lines[1].data, (Data{0, 0, 0, 0, 0, 1, 0, 0}));

  TrendsPoint point;
  point.day_local_us = At("2024-01-09T00:00:00Z");
  EXPECT_EQ(Actors(query, point), "p2:1,p3:1");
  point.breakdown = "Chrome";
  point.day_local_us = At("2024-01-08T00:00:00Z");
  EXPECT_EQ(Actors(query, point), "p1:1");

  auto total = Run(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-7d"},
      "trendsFilter": {"display": "BoldNumber"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "first_time_for_user"}]})");
  ASSERT_EQ(total.size(), 1u);
  EXPECT_EQ(total[0].aggregated_value, 3);
}

TEST_F(TrendsRunner, ThreadsScanningThePartsApartAnswerAsOneThreadDoes) {
  // Four days written in four appends: parts of every day from every append.
  for (int batch = 0; batch < 4; ++batch) {
    for (int person = 1; person <= 6; ++person) {
      for (int day = 5; day <= 8; ++day) {
        if ((person + day + batch) % 3 == 0) continue;  // two persons of six skip each (day, batch)
        std::string time =
            "2024-01-0" + std::to_string(day) + "T1" + std::to_string(batch) + ":00:00Z";
        Add("$pageview", person, time.c_str(),
            R"({"$browser": ")" + std::string(person % 2 ? "Chrome" : "Firefox") +
                R"(", "price": )" + std::to_string(person * 1.25 + day) + R"(, "$session_id": "s)" +
                std::to_string(person % 4) + "\"}");
      }
    }
    ASSERT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
    pending_.clear();
  }
  persons_.Set(1, R"({"plan": "pro"})");
  persons_.Set(2, R"({"plan": "free"})");
  auto snapshot = store_->scan_source()->Snapshot(kTeam, At("2024-01-05T00:00:00Z"),
                                                  At("2024-01-09T00:00:00Z"));
  ASSERT_TRUE(snapshot.ok());
  ASSERT_GE(snapshot->parts.size(), 4u);

  const std::string range = R"("dateRange": {"date_from": "2024-01-05", "date_to": "2024-01-08"})";
  const std::vector<std::string> series = {
      R"({"kind": "EventsNode", "event": "$pageview"})",
      R"({"kind": "EventsNode", "event": "$pageview", "math": "dau"})",
      R"({"kind": "EventsNode", "event": "$pageview", "math": "weekly_active"})",
      R"({"kind": "EventsNode", "event": "$pageview", "math": "unique_session"})",
      R"({"kind": "EventsNode", "event": "$pageview", "math": "sum", "math_property": "price"})",
      R"({"kind": "EventsNode", "event": "$pageview", "math": "median", "math_property": "price"})",
      R"({"kind": "EventsNode", "event": "$pageview", "math": "avg_count_per_actor"})",
      R"({"kind": "EventsNode", "event": "$pageview", "properties": [
          {"key": "$browser", "value": "Chrome", "type": "event"}]})",
      R"({"kind": "EventsNode", "event": "$pageview", "properties": [
          {"key": "plan", "value": "pro", "type": "person"}]})",
  };
  const std::vector<std::string> shapes = {
      "",
      R"(, "breakdownFilter": {"breakdown": "$browser", "breakdown_limit": 1})",
      R"(, "breakdownFilter": {"breakdown": "plan", "breakdown_type": "person"})",
      R"(, "trendsFilter": {"display": "BoldNumber"})",
      R"(, "trendsFilter": {"display": "ActionsLineGraphCumulative"})",
      R"(, "compareFilter": {"compare": true})",
  };
  // Persons' properties read as the scan goes (one thread), then held whole (threads share them).
  for (bool shared : {false, true}) {
    if (shared) persons_.Share();
    for (const std::string& one : series) {
      for (const std::string& shape : shapes) {
        const std::string query =
            R"({"kind": "TrendsQuery", )" + range + R"(, "series": [)" + one + "]" + shape + "}";
        context_.scan_threads = 1;
        const Lines alone = Answer(query);
        context_.scan_threads = 3;
        EXPECT_EQ(Answer(query), alone) << query;
        ASSERT_FALSE(alone.empty()) << query;
      }
    }
  }
  // Each day has 16 events (4 of 6 persons in each of 4 appends) and all 6 persons.
  context_.scan_threads = 3;
  EXPECT_EQ(Answer(R"({"kind": "TrendsQuery", )" + range + R"(, "series": [
      {"kind": "EventsNode", "event": "$pageview"},
      {"kind": "EventsNode", "event": "$pageview", "math": "dau"}]})"),
            (Lines{"s0: 16 16 16 16 =64", "s1: 6 6 6 6 =24"}));
}

}  // namespace
}  // namespace hoglet::query
