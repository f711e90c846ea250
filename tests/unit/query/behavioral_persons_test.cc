// Behavioural cohort criteria over a real store: the persons each kind holds for, hand-computed
// from the events below, windows relative to the query clock, event filters, actions, persons
// resolved through the overrides, negation through the cohort tree, one scan per criterion, and
// the kinds this server does not evaluate.
#include "query/behavioral_persons.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "filters/behavioral_criterion.h"
#include "filters/filter_tree.h"
#include "query/action.h"
#include "query/cohort_membership.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

// Dynamic cohorts as a test writes them.
class TestCohorts final : public CohortSource {
 public:
  void Dynamic(int64_t id, const char* filters_json) {
    QueryCohort cohort;
    auto root = filters::ParseFilterTree(filters_json);
    EXPECT_TRUE(root.ok()) << root.status().ToString();
    if (root.ok()) cohort.root = *std::move(root);
    cohorts_[id] = std::move(cohort);
  }
  StatusOr<std::optional<QueryCohort>> Cohort(int64_t id) override {
    auto found = cohorts_.find(id);
    if (found == cohorts_.end()) return std::nullopt;
    return found->second;
  }
  StatusOr<std::vector<int64_t>> StaticCohortsOf(const Uuid&) override {
    return std::vector<int64_t>();
  }

 private:
  std::map<int64_t, QueryCohort> cohorts_;
};

class BehavioralPersonsTest : public InsightTestStore {
 protected:
  // Now: 2024-01-10T15:00:00Z (InsightTestStore).
  void SetUp() override {
    InsightTestStore::SetUp();
    behavior_ = std::make_unique<ScannedBehavior>(BehaviorScanContext{
        .source = &source(),
        .team_id = kTestTeam,
        .now_us = context_.clock.now_us,
        .overrides = &overrides_,
        .budget = nullptr,
        .match = {context_.clock.now_us, TimeZone(), filters::Dialect::kHogQL},
        .action = [](int64_t id) -> StatusOr<ResolvedAction> {
          if (id != 3) return InvalidArgumentError("action " + std::to_string(id) + " unknown");
          ResolvedAction action;
          action.name = "Viewed pricing";
          action.steps = *ParseActionSteps(
              R"([{"event": "$pageview", "url": "/pricing", "url_matching": "contains"}])",
              "steps");
          return action;
        }});
  }

  // The persons (by number) criterion `json` holds for, sorted.
  std::vector<int> Persons(const std::string& json) {
    auto filter = filters::ParsePropertyFilter(json);
    EXPECT_TRUE(filter.ok()) << filter.status().ToString();
    if (!filter.ok()) return {};
    EXPECT_NE(filter->behavioral, nullptr) << filter->behavioral_error;
    if (filter->behavioral == nullptr) return {};
    criteria_.push_back(*filter);
    auto persons = behavior_->PersonsOf(*criteria_.back().behavioral);
    EXPECT_TRUE(persons.ok()) << persons.status().ToString();
    if (!persons.ok()) return {};
    std::vector<int> numbers;
    for (const Uuid& person : **persons) numbers.push_back(person.bytes[15]);
    std::sort(numbers.begin(), numbers.end());
    return numbers;
  }

  std::unique_ptr<ScannedBehavior> behavior_;
  std::vector<filters::PropertyFilter> criteria_;
};

std::string Criterion(const std::string& value, const std::string& rest) {
  return R"({"type": "behavioral", "value": ")" + value + R"(", "negation": false, )" + rest + "}";
}

TEST_F(BehavioralPersonsTest, PerformedEventInTheLastDays) {
  Add("$pageview", 1, "2024-01-05T10:00:00Z");
  Add("$pageview", 2, "2024-01-02T10:00:00Z");  // 8 days ago
  Add("signed up", 3, "2024-01-09T10:00:00Z");
  Add("$pageview", 4, "2024-01-03T15:00:00Z");  // exactly 7 days ago: the window is open
  Add("$pageview", 5, "2024-01-10T14:59:59Z");
  Add("$pageview", 6, "2024-01-10T15:00:01Z");  // after now
  Flush();
  EXPECT_EQ(Persons(Criterion("performed_event", R"("key": "$pageview", "event_type": "events",
                                "time_value": 7, "time_interval": "day")")),
            (std::vector<int>{1, 5}));
  EXPECT_EQ(Persons(Criterion("performed_event", R"("key": "$pageview", "event_type": "events",
                                "time_value": 1, "time_interval": "week")")),
            (std::vector<int>{1, 5}));
  EXPECT_EQ(Persons(Criterion("performed_event", R"("key": "$pageview", "event_type": "events",
                                "time_value": 2, "time_interval": "hour")")),
            (std::vector<int>{5}));
  // A calendar month back from 2024-01-10T15:00Z is 2023-12-10T15:00Z.
  EXPECT_EQ(Persons(Criterion("performed_event", R"("key": "$pageview", "event_type": "events",
                                "time_value": "1", "time_interval": "month")")),
            (std::vector<int>{1, 2, 4, 5}));
  EXPECT_EQ(behavior_->scans(), 4);
}

TEST_F(BehavioralPersonsTest, CountsComparedByTheOperatorWithEventFilters) {
  for (int i = 0; i < 3; ++i)
    Add("$pageview", 1, "2024-01-08T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 2, "2024-01-08T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 2, "2024-01-08T11:00:00Z", R"({"$browser": "Firefox"})");
  Add("$pageview", 3, "2024-01-09T10:00:00Z", R"({"$browser": "Firefox"})");
  Add("$pageview", 3, "2023-12-01T10:00:00Z", R"({"$browser": "Chrome"})");  // out of the window
  Flush();
  auto multiple = [&](const char* op, int count, const char* filters = "null") {
    return Persons(Criterion("performed_event_multiple",
                             std::string(R"("key": "$pageview", "event_type": "events",
                                "time_value": 30, "time_interval": "day", "operator": ")") +
                                 op + R"(", "operator_value": )" + std::to_string(count) +
                                 R"(, "event_filters": )" + filters));
  };
  // Counts in the window: person 1 three, person 2 two, person 3 one.
  EXPECT_EQ(multiple("gte", 2), (std::vector<int>{1, 2}));
  EXPECT_EQ(multiple("lte", 2), (std::vector<int>{2, 3}));
  EXPECT_EQ(multiple("eq", 1), (std::vector<int>{3}));
  EXPECT_EQ(multiple("exact", 3), (std::vector<int>{1}));
  EXPECT_EQ(multiple("gt", 1), (std::vector<int>{1, 2}));
  EXPECT_EQ(multiple("lt", 3), (std::vector<int>{2, 3}));
  // Chrome only: person 1 three, person 2 one, person 3 none (its Chrome event is too old).
  const char* chrome = R"([{"key": "$browser", "value": "Chrome", "type": "event"}])";
  EXPECT_EQ(multiple("gte", 1, chrome), (std::vector<int>{1, 2}));
  EXPECT_EQ(multiple("lte", 1, chrome), (std::vector<int>{2}));
  EXPECT_EQ(Persons(Criterion("performed_event", R"("key": "$pageview", "event_type": "events",
                                "time_value": 30, "time_interval": "day",
                                "event_filters": [{"key": "$browser", "value": "Firefox",
                                                   "operator": "exact", "type": "event"}])")),
            (std::vector<int>{2, 3}));
}

TEST_F(BehavioralPersonsTest, ActionsAndMergedPersons) {
  Add("$pageview", 1, "2024-01-08T10:00:00Z", R"({"$current_url": "https://x.io/pricing"})");
  Add("$pageview", 2, "2024-01-08T10:00:00Z", R"({"$current_url": "https://x.io/blog"})");
  // Person 4's distinct id now belongs to person 5: its events count for person 5.
  Add("$pageview", 4, "2024-01-09T10:00:00Z", R"({"$current_url": "https://x.io/pricing"})");
  Flush();
  overrides_.Set("d4", PersonUuid(5));
  EXPECT_EQ(Persons(Criterion("performed_event", R"("key": 3, "event_type": "actions",
                                "time_value": 30, "time_interval": "day")")),
            (std::vector<int>{1, 5}));
  auto unknown = filters::ParsePropertyFilter(
      Criterion("performed_event", R"("key": "9", "event_type": "actions", "time_value": 30,
                            "time_interval": "day")"));
  ASSERT_TRUE(unknown.ok());
  ASSERT_NE(unknown->behavioral, nullptr);
  EXPECT_FALSE(behavior_->PersonsOf(*unknown->behavioral).ok());
}

TEST_F(BehavioralPersonsTest, FirstTimeStoppedAndRestarted) {
  // Person 1: first pageview 3 days ago. Person 2: first 60 days ago, again 3 days ago.
  // Person 3: 20 days ago only. Person 4: 60 days ago and 3 days ago, nothing between.
  // Person 5: first pageview 3 days ago, on Firefox.
  Add("$pageview", 1, "2024-01-07T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 2, "2023-11-11T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 2, "2023-12-25T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 2, "2024-01-07T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 3, "2023-12-21T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 4, "2023-11-11T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 4, "2024-01-07T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 5, "2024-01-07T10:00:00Z", R"({"$browser": "Firefox"})");
  Flush();
  EXPECT_EQ(Persons(Criterion("performed_event_first_time",
                              R"("key": "$pageview", "event_type": "events",
                                 "time_value": 7, "time_interval": "day")")),
            (std::vector<int>{1, 5}));
  // With an event filter the first event must pass it: person 5's was on Firefox.
  EXPECT_EQ(Persons(Criterion("performed_event_first_time",
                              R"("key": "$pageview", "event_type": "events",
                                 "time_value": 7, "time_interval": "day",
                                 "event_filters": [{"key": "$browser", "value": "Chrome",
                                                    "type": "event"}])")),
            (std::vector<int>{1}));
  // Did it in (now − 30d, now − 7d] and not in the last 7 days: person 2 (Dec 25) and 3.
  // Person 2 did it again 3 days ago, so only person 3 stopped.
  EXPECT_EQ(Persons(Criterion("stopped_performing_event",
                              R"("key": "$pageview", "event_type": "events",
                                 "time_value": 30, "time_interval": "day",
                                 "seq_time_value": 7, "seq_time_interval": "day")")),
            (std::vector<int>{3}));
  // Did it at or before now − 30d, not in (now − 30d, now − 7d], and in the last 7 days: person 4
  // (person 2 did it on Dec 25).
  EXPECT_EQ(Persons(Criterion("restarted_performing_event",
                              R"("key": "$pageview", "event_type": "events",
                                 "time_value": 30, "time_interval": "day",
                                 "seq_time_value": 7, "seq_time_interval": "day")")),
            (std::vector<int>{4}));
}

TEST_F(BehavioralPersonsTest, RegularlyCountsThePeriodsThatMeetTheCount) {
  // Now is 2024-01-10T15:00Z; weekly periods end at now, Jan 3 15:00, Dec 27 15:00, Dec 20 15:00
  // and start at Dec 13 15:00. Person 1: twice a week in periods 0, 1 and 2. Person 2: twice in
  // period 0, once in period 1, twice in period 3. Person 3: three times in period 0 only, one of
  // them exactly at now (the newest period holds its end). Person 4: twice on Jan 3 15:00 (the end
  // of period 1, so in it) and on Dec 13 15:00 (the start of the oldest period: out of it).
  for (const char* at : {"2024-01-09T10:00:00Z", "2024-01-05T10:00:00Z", "2024-01-02T10:00:00Z",
                         "2023-12-30T10:00:00Z", "2023-12-26T10:00:00Z", "2023-12-24T10:00:00Z"}) {
    Add("$pageview", 1, at);
  }
  for (const char* at : {"2024-01-09T10:00:00Z", "2024-01-08T10:00:00Z", "2024-01-01T10:00:00Z",
                         "2023-12-19T10:00:00Z", "2023-12-15T10:00:00Z"}) {
    Add("$pageview", 2, at);
  }
  for (const char* at : {"2024-01-10T15:00:00Z", "2024-01-10T10:00:00Z", "2024-01-04T10:00:00Z"}) {
    Add("$pageview", 3, at);
  }
  for (const char* at : {"2024-01-03T15:00:00Z", "2024-01-03T14:00:00Z", "2023-12-13T15:00:00Z",
                         "2023-12-14T10:00:00Z"}) {
    Add("$pageview", 4, at);
  }
  Flush();
  auto regularly = [&](const char* op, int count, int min_periods, int total_periods = 4) {
    return Persons(Criterion("performed_event_regularly",
                             R"("key": "$pageview", "event_type": "events", "time_value": 1,
                                "time_interval": "week", "operator": ")" +
                                 std::string(op) + R"(", "operator_value": )" +
                                 std::to_string(count) + R"(, "min_periods": )" +
                                 std::to_string(min_periods) + R"(, "total_periods": )" +
                                 std::to_string(total_periods)));
  };
  // At least twice a week in at least 3 of the last 4 weeks: person 1 only.
  EXPECT_EQ(regularly("gte", 2, 3), (std::vector<int>{1}));
  // In at least 2 of them: person 2 too (periods 0 and 3); person 3 did it in period 0 only
  // (three times, one at now).
  EXPECT_EQ(regularly("gte", 2, 2), (std::vector<int>{1, 2}));
  EXPECT_EQ(regularly("gte", 2, 1), (std::vector<int>{1, 2, 3, 4}));
  // Exactly once in one of the last 2 weeks: person 2 (period 1); person 3's three are all in
  // period 0.
  EXPECT_EQ(regularly("exact", 1, 1, 2), (std::vector<int>{2}));
  // At most once a week in all 4: person 4 did twice in period 1; person 3 three in period 0.
  EXPECT_EQ(regularly("lte", 1, 4), (std::vector<int>{}));
  EXPECT_EQ(regularly("lte", 1, 3), (std::vector<int>{3, 4}));
}

TEST_F(BehavioralPersonsTest, SequenceFollowsTheFirstEventWithinTheSpan) {
  // Person 1: pageview then signup an hour later. Person 2: signup then pageview. Person 3:
  // pageview, signup three days later. Person 4: pageview on Firefox then signup. Person 5: the
  // pageview 10 days ago (out of the window), the signup inside it. Person 6: both in the same
  // second. Person 7: through the action (a pricing pageview), then signup.
  Add("$pageview", 1, "2024-01-08T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("signed up", 1, "2024-01-08T11:00:00Z");
  Add("signed up", 2, "2024-01-08T10:00:00Z");
  Add("$pageview", 2, "2024-01-08T11:00:00Z", R"({"$browser": "Chrome"})");
  Add("$pageview", 3, "2024-01-05T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("signed up", 3, "2024-01-08T10:00:00Z");
  Add("$pageview", 4, "2024-01-08T10:00:00Z", R"({"$browser": "Firefox"})");
  Add("signed up", 4, "2024-01-08T10:30:00Z");
  Add("$pageview", 5, "2023-12-31T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("signed up", 5, "2024-01-01T10:00:00Z");
  Add("$pageview", 6, "2024-01-08T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("signed up", 6, "2024-01-08T10:00:00Z");
  Add("$pageview", 7, "2024-01-09T10:00:00Z", R"({"$current_url": "https://x.io/pricing"})");
  Add("signed up", 7, "2024-01-09T12:00:00Z");
  Flush();
  const std::string base = R"("key": "$pageview", "event_type": "events", "time_value": 7,
                              "time_interval": "day", "seq_event": "signed up",
                              "seq_event_type": "events")";
  EXPECT_EQ(Persons(Criterion("performed_event_sequence",
                              base + R"(, "seq_time_value": 1, "seq_time_interval": "day")")),
            (std::vector<int>{1, 4, 7}));
  EXPECT_EQ(Persons(Criterion("performed_event_sequence",
                              base + R"(, "seq_time_value": 3, "seq_time_interval": "day")")),
            (std::vector<int>{1, 3, 4, 7}));
  EXPECT_EQ(Persons(Criterion("performed_event_sequence",
                              base + R"(, "seq_time_value": 30, "seq_time_interval": "minute")")),
            (std::vector<int>{4}));
  // The event filters narrow the first event only.
  EXPECT_EQ(Persons(Criterion("performed_event_sequence",
                              base + R"(, "seq_time_value": 1, "seq_time_interval": "day",
                                        "event_filters": [{"key": "$browser", "value": "Chrome",
                                                           "type": "event"}])")),
            (std::vector<int>{1}));
  // An action first, a 14-day window reaching person 5's pageview.
  EXPECT_EQ(Persons(Criterion("performed_event_sequence",
                              R"("key": 3, "event_type": "actions", "time_value": 7,
                                 "time_interval": "day", "seq_event": "signed up",
                                 "seq_event_type": "events", "seq_time_value": 1,
                                 "seq_time_interval": "day")")),
            (std::vector<int>{7}));
  EXPECT_EQ(Persons(Criterion("performed_event_sequence",
                              R"("key": "$pageview", "event_type": "events", "time_value": 14,
                                 "time_interval": "day", "seq_event": "signed up",
                                 "seq_event_type": "events", "seq_time_value": 1,
                                 "seq_time_interval": "day")")),
            (std::vector<int>{1, 4, 5, 7}));
}

TEST_F(BehavioralPersonsTest, CohortsAskEachCriterionOnceAndNegate) {
  Add("$pageview", 1, "2024-01-08T10:00:00Z");
  Add("$pageview", 2, "2024-01-08T10:00:00Z");
  Add("purchase", 2, "2024-01-09T10:00:00Z");
  Flush();
  TestCohorts cohorts;
  // Viewed a page and did not purchase, in the last 30 days; or is on the pro plan.
  cohorts.Dynamic(1, R"({"type": "OR", "values": [
      {"type": "AND", "values": [
        {"type": "behavioral", "value": "performed_event", "key": "$pageview",
         "event_type": "events", "time_value": 30, "time_interval": "day"},
        {"type": "behavioral", "value": "performed_event", "key": "purchase",
         "event_type": "events", "time_value": 30, "time_interval": "day", "negation": true}]},
      {"type": "AND", "values": [{"key": "plan", "value": "pro", "type": "person"}]}]})");
  CohortMembership membership(
      &cohorts, {context_.clock.now_us, TimeZone(), filters::Dialect::kHogQL}, behavior_.get());
  auto in = [&](int person, const char* properties = "{}") {
    auto filter = filters::ParsePropertyFilter(R"({"type": "cohort", "key": "id", "value": 1})");
    auto matches =
        membership.Matches(*filter, PersonUuid(person), *filters::ParseProperties(properties));
    EXPECT_TRUE(matches.ok()) << matches.status().ToString();
    return matches.ok() && *matches;
  };
  EXPECT_TRUE(in(1));
  EXPECT_FALSE(in(2));
  EXPECT_FALSE(in(3));
  EXPECT_TRUE(in(3, R"({"plan": "pro"})"));
  EXPECT_TRUE(in(2, R"({"plan": "pro"})"));
  // Two criteria, each scanned once for every person asked.
  EXPECT_EQ(behavior_->scans(), 2);

  // Without a BehaviorSource, a behavioural cohort is a clear error.
  CohortMembership without(&cohorts, {context_.clock.now_us, TimeZone(), filters::Dialect::kHogQL});
  auto refused = without.InCohort(1, PersonUuid(1), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("behavioral"), std::string::npos);
}

TEST(BehavioralCriterion, KindsThisServerDoesNotEvaluateSayWhy) {
  auto unknown = filters::ParsePropertyFilter(
      R"({"type": "behavioral", "value": "performed_event_daily", "key": "$pageview",
          "event_type": "events", "time_value": 7, "time_interval": "day"})");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->behavioral, nullptr);
  EXPECT_NE(unknown->behavioral_error.find("'performed_event_daily'"), std::string::npos);
  auto no_seq_event = filters::ParsePropertyFilter(
      R"({"type": "behavioral", "value": "performed_event_sequence", "key": "$pageview",
          "event_type": "events", "time_value": 7, "time_interval": "day",
          "seq_event_type": "events", "seq_time_value": 1, "seq_time_interval": "day"})");
  ASSERT_TRUE(no_seq_event.ok());
  EXPECT_NE(no_seq_event->behavioral_error.find("'seq_event'"), std::string::npos);
  auto no_seq_span = filters::ParsePropertyFilter(
      R"({"type": "behavioral", "value": "performed_event_sequence", "key": "$pageview",
          "event_type": "events", "time_value": 7, "time_interval": "day",
          "seq_event": "signed up", "seq_event_type": "events"})");
  ASSERT_TRUE(no_seq_span.ok());
  EXPECT_NE(no_seq_span->behavioral_error.find("seq_time_value"), std::string::npos);
  auto regularly = [](const char* periods) {
    return filters::ParsePropertyFilter(
        std::string(R"({"type": "behavioral", "value": "performed_event_regularly",
                        "key": "$pageview", "event_type": "events", "time_value": 1,
                        "time_interval": "week", "operator": "gte", "operator_value": 1, )") +
        periods + "}");
  };
  EXPECT_NE(regularly(R"("min_periods": 5, "total_periods": 4)")
                ->behavioral_error.find("cannot be greater"),
            std::string::npos);
  EXPECT_NE(
      regularly(R"("min_periods": 1, "total_periods": 101)")->behavioral_error.find("at most 100"),
      std::string::npos);
  EXPECT_NE(regularly(R"("min_periods": 1)")->behavioral_error.find("total_periods"),
            std::string::npos);
  EXPECT_NE(regularly(R"("min_periods": 2, "total_periods": 4)")->behavioral, nullptr);
  auto bad_interval = filters::ParsePropertyFilter(
      R"({"type": "behavioral", "value": "performed_event", "key": "$pageview",
          "event_type": "events", "time_value": 7, "time_interval": "fortnight"})");
  ASSERT_TRUE(bad_interval.ok());
  EXPECT_NE(bad_interval->behavioral_error.find("time_interval"), std::string::npos);
  auto zero = filters::ParsePropertyFilter(
      R"({"type": "behavioral", "value": "performed_event_multiple", "key": "$pageview",
          "event_type": "events", "time_value": 7, "time_interval": "day", "operator": "gte",
          "operator_value": 0})");
  ASSERT_TRUE(zero.ok());
  EXPECT_NE(zero->behavioral_error.find("operator_value"), std::string::npos);
  auto person_filter = filters::ParsePropertyFilter(
      R"({"type": "behavioral", "value": "performed_event", "key": "$pageview",
          "event_type": "events", "time_value": 7, "time_interval": "day",
          "event_filters": [{"key": "plan", "value": "pro", "type": "person"}]})");
  ASSERT_TRUE(person_filter.ok());
  EXPECT_NE(person_filter->behavioral_error.find("event_filters"), std::string::npos);
  auto longer_seq = filters::ParsePropertyFilter(
      R"({"type": "behavioral", "value": "stopped_performing_event", "key": "$pageview",
          "event_type": "events", "time_value": 7, "time_interval": "day",
          "seq_time_value": 2, "seq_time_interval": "week"})");
  ASSERT_TRUE(longer_seq.ok());
  EXPECT_NE(longer_seq->behavioral_error.find("seq_time_value"), std::string::npos);
}

}  // namespace
}  // namespace hoglet::query
