// LifecycleQuery on the embedded engine over a real columnar store: new by the person's creation
// period (not the first event in range), returning, resurrecting, dormant one period after the
// last activity and negative, the period before the range read for history, personless events
// left out, identity at query time, the lifecycle of groups (new by the group's creation), the
// answer's JSON shape and the parser's errors (analytics §3.7, §6.17).
#include "query/lifecycle_runner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "query/lifecycle_query_parser.h"
#include "query/lifecycle_result_json.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

// Creation times set by the test. The lifecycle asks for its actors in one Load before it asks
// for any one of them: asking first is an error here.
class FakeCreation final : public PersonCreation {
 public:
  void Set(int person, const char* iso) { created_[PersonUuid(person)] = At(iso); }
  Status Load(const std::vector<Uuid>& actors) override {
    loaded_.insert(actors.begin(), actors.end());
    return Status::Ok();
  }
  StatusOr<std::optional<int64_t>> CreatedAtUs(const Uuid& person) override {
    if (!loaded_.contains(person)) return DataLossError("asked for an actor not loaded first");
    auto found = created_.find(person);
    if (found == created_.end()) return std::optional<int64_t>();
    return std::optional<int64_t>(found->second);
  }

 private:
  std::map<Uuid, int64_t> created_;
  std::set<Uuid> loaded_;
};

// Lifecycle of "$pageview" over 2024-01-02 … 2024-01-05 by day, with `extra` fields.
std::string Query(const std::string& extra = "") {
  std::string json = R"({"kind": "LifecycleQuery",
      "dateRange": {"date_from": "2024-01-02", "date_to": "2024-01-05"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}])";
  if (!extra.empty()) json += ", " + extra;
  return json + "}";
}

class LifecycleRunner : public InsightTestStore {
 protected:
  std::optional<LifecycleAnswer> Run(const std::string& json) {
    Flush();
    simdjson::dom::parser parser;
    auto query = ParseLifecycleQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return std::nullopt;
    query_ = *query;
    auto answer = AnswerLifecycle(*query, context_, created_, source(), kTestTeam);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    if (!answer.ok()) return std::nullopt;
    return *std::move(answer);
  }

  // Each status's data, in the answer's order.
  std::vector<std::vector<int64_t>> Data(const std::string& json) {
    std::optional<LifecycleAnswer> answer = Run(json);
    std::vector<std::vector<int64_t>> out;
    if (answer) {
      for (const LifecycleLine& line : answer->lines) out.push_back(line.data);
    }
    return out;
  }

  // The persons of the worked example (dates in January 2024; the range is 2 … 5):
  //   1, created on 2, active 2, 3, 5: new on 2, returning 3, dormant 4, resurrecting 5;
  //   2, created in December, active 1 and 2: returning on 2 (1 is history), dormant 3;
  //   3, created in December, active 3: resurrecting on 3, dormant 4;
  //   4, created on 1, active 1: dormant on 2;
  //   5, no person record (personless), active 3: left out;
  //   6, created on 4, active 4 only with $process_person_profile false: left out;
  //   7, created on 4, active 4: new on 4, dormant 5.
  void AddExample() {
    created_.Set(1, "2024-01-02T08:00:00Z");
    created_.Set(2, "2023-12-01T08:00:00Z");
    created_.Set(3, "2023-12-01T08:00:00Z");
    created_.Set(4, "2024-01-01T08:00:00Z");
    created_.Set(6, "2024-01-04T08:00:00Z");
    created_.Set(7, "2024-01-04T08:00:00Z");
    Add("$pageview", 1, "2024-01-02T10:00:00Z");
    Add("$pageview", 1, "2024-01-02T11:00:00Z");
    Add("$pageview", 1, "2024-01-03T10:00:00Z");
    Add("$pageview", 1, "2024-01-05T23:00:00Z");
    Add("$pageview", 2, "2024-01-01T10:00:00Z");
    Add("$pageview", 2, "2024-01-02T10:00:00Z");
    Add("$pageview", 3, "2024-01-03T10:00:00Z");
    Add("signup", 3, "2024-01-04T10:00:00Z");  // another event
    Add("$pageview", 4, "2024-01-01T10:00:00Z");
    Add("$pageview", 5, "2024-01-03T10:00:00Z");
    Add("$pageview", 6, "2024-01-04T10:00:00Z", R"({"$process_person_profile": false})");
    Add("$pageview", 7, "2024-01-04T10:00:00Z", R"({"$process_person_profile": true})");
  }

  FakeCreation created_;
  LifecycleQuery query_;
};

TEST_F(LifecycleRunner, ClassifiesEachPersonsPeriods) {
  AddExample();
  std::optional<LifecycleAnswer> answer = Run(Query());
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->lines.size(), 4u);
  EXPECT_EQ(answer->lines[0].status, LifecycleStatus::kNew);
  EXPECT_EQ(answer->lines[0].data, (std::vector<int64_t>{1, 0, 1, 0}));
  EXPECT_EQ(answer->lines[0].count, 2);
  EXPECT_EQ(answer->lines[1].status, LifecycleStatus::kReturning);
  EXPECT_EQ(answer->lines[1].data, (std::vector<int64_t>{1, 1, 0, 0}));
  EXPECT_EQ(answer->lines[2].status, LifecycleStatus::kResurrecting);
  EXPECT_EQ(answer->lines[2].data, (std::vector<int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(answer->lines[3].status, LifecycleStatus::kDormant);
  EXPECT_EQ(answer->lines[3].data, (std::vector<int64_t>{-1, -1, -2, -1}));
  EXPECT_EQ(answer->lines[3].count, -5);
}

TEST_F(LifecycleRunner, NewIsTheCreationPeriodNotTheFirstEventInRange) {
  // Created on 2 Jan, first seen on 4 Jan: resurrecting, not new.
  created_.Set(1, "2024-01-02T08:00:00Z");
  Add("$pageview", 1, "2024-01-04T10:00:00Z");
  EXPECT_EQ(Data(Query()), (std::vector<std::vector<int64_t>>{
                               {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, -1}}));
}

TEST_F(LifecycleRunner, MergedPersonIsOnePersonWithItsAnonymousEvents) {
  created_.Set(8, "2024-01-02T08:00:00Z");
  Add("$pageview", 8, "2024-01-02T10:00:00Z");
  Add("$pageview", 9, "2024-01-03T10:00:00Z", "{}", "anon");  // stored for person 9
  overrides_.Set("anon", PersonUuid(8));                      // "anon" merged into person 8
  EXPECT_EQ(Data(Query()), (std::vector<std::vector<int64_t>>{
                               {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}, {0, 0, -1, 0}}));
}

TEST_F(LifecycleRunner, PeriodsAreLocalWeeks) {
  context_.clock.zone = *TimeZone::Load("America/Los_Angeles");
  // Weeks from Sunday 31 Dec and 7 Jan; the week of 24 Dec is history.
  created_.Set(1, "2023-12-01T08:00:00Z");
  Add("$pageview", 1, "2023-12-27T20:00:00Z");
  // Sunday 7 Jan 05:00 UTC is Saturday 6 Jan in Los Angeles: the week of 31 Dec.
  Add("$pageview", 1, "2024-01-07T05:00:00Z");
  EXPECT_EQ(Data(R"({"kind": "LifecycleQuery", "interval": "week",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}]})"),
            (std::vector<std::vector<int64_t>>{{0, 0}, {1, 0}, {0, 0}, {0, -1}}));
}

TEST_F(LifecycleRunner, ActorsOfABar) {
  AddExample();
  Flush();
  simdjson::dom::parser parser;
  LifecycleQuery query = *ParseLifecycleQuery(parser.parse(Query()).value());
  auto dormant = LifecycleActors(query, LifecycleStatus::kDormant, At("2024-01-04T00:00:00Z"),
                                 context_, created_, source(), kTestTeam);
  ASSERT_TRUE(dormant.ok()) << dormant.status().ToString();
  EXPECT_EQ(*dormant, (std::vector<Uuid>{PersonUuid(1), PersonUuid(3)}));
  auto outside = LifecycleActors(query, LifecycleStatus::kNew, At("2024-01-09T00:00:00Z"), context_,
                                 created_, source(), kTestTeam);
  EXPECT_FALSE(outside.ok());
}

TEST_F(LifecycleRunner, AnswerInPostHogsShape) {
  AddExample();
  std::optional<LifecycleAnswer> answer = Run(Query());
  ASSERT_TRUE(answer);
  JsonWriter w;
  WriteLifecycleResults(query_, *answer, &w);
  std::string json = std::move(w).Take();
  EXPECT_EQ(json.substr(0, json.find(R"(},{"action")")),
            R"([{"action":{"id":"$pageview","name":"$pageview","type":"events","order":0,)"
            R"("math":"total"},"data":[1,0,1,0],"count":2,"labels":["2-Jan-2024","3-Jan-2024",)"
            R"("4-Jan-2024","5-Jan-2024"],"days":["2024-01-02","2024-01-03","2024-01-04",)"
            R"("2024-01-05"],"label":"$pageview - new","status":"new")");
  EXPECT_NE(json.find(R"("label":"$pageview - dormant","status":"dormant")"), std::string::npos);
}

// Groups' creation times by GroupActor; a group without a record was created at the epoch.
class FakeGroupCreation final : public PersonCreation {
 public:
  void Set(const char* key, const char* iso) { created_[GroupActor(0, key)] = At(iso); }
  StatusOr<std::optional<int64_t>> CreatedAtUs(const Uuid& group) override {
    auto found = created_.find(group);
    return std::optional<int64_t>(found == created_.end() ? 0 : found->second);
  }

 private:
  std::map<Uuid, int64_t> created_;
};

TEST_F(LifecycleRunner, GroupsOfTheAggregationGroupTypeAreTheActors) {
  // acme, created on 2, active 2 (person 1) and 3 (person 2): new, returning, dormant on 4.
  // globex, created in December, active 4: resurrecting, dormant on 5. initech, without a
  // record, active 5: resurrecting. Person 3's event on 3 has no company: left out.
  Add("$pageview", 1, "2024-01-02T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 2, "2024-01-03T10:00:00Z", R"({"$group_0": "acme"})");
  Add("$pageview", 3, "2024-01-03T11:00:00Z");
  Add("$pageview", 1, "2024-01-04T10:00:00Z", R"({"$group_0": "globex"})");
  Add("$pageview", 2, "2024-01-05T10:00:00Z", R"({"$group_0": "initech"})");
  FakeGroupCreation groups;
  groups.Set("acme", "2024-01-02T09:00:00Z");
  groups.Set("globex", "2023-12-01T00:00:00Z");
  Flush();
  simdjson::dom::parser parser;
  auto query =
      ParseLifecycleQuery(parser.parse(Query(R"("aggregation_group_type_index": 0)")).value());
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  auto answer = AnswerLifecycle(*query, context_, groups, source(), kTestTeam);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  std::vector<std::vector<int64_t>> data;
  for (const LifecycleLine& line : answer->lines) data.push_back(line.data);
  EXPECT_EQ(data, (std::vector<std::vector<int64_t>>{
                      {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 1}, {0, 0, -1, -1}}));
  auto resurrecting =
      LifecycleActors(*query, LifecycleStatus::kResurrecting, At("2024-01-04T00:00:00Z"), context_,
                      groups, source(), kTestTeam);
  ASSERT_TRUE(resurrecting.ok()) << resurrecting.status().ToString();
  EXPECT_EQ(*resurrecting, std::vector<Uuid>{GroupActor(0, "globex")});
}

TEST(LifecycleQueryParser, RefusesWhatItCannotAnswer) {
  simdjson::dom::parser parser;
  auto error = [&](const std::string& json) {
    auto parsed = ParseLifecycleQuery(parser.parse(json).value());
    EXPECT_FALSE(parsed.ok()) << json;
    return parsed.ok() ? std::string() : parsed.status().message();
  };
  EXPECT_EQ(error(R"({"kind": "LifecycleQuery", "series": [{"kind": "EventsNode"},
                                                           {"kind": "EventsNode"}]})"),
            "query.series: a lifecycle query has exactly one EventsNode or ActionsNode");
  EXPECT_EQ(error(Query(R"("interval": "year")")),
            "query.interval: 'year' is not an interval (minute, hour, day, week, month)");
  EXPECT_EQ(error(Query(R"("lifecycleFilter": {"toggledLifecycles": ["new", "zombie"]})")),
            "query.lifecycleFilter.toggledLifecycles[1]: 'zombie' is not new, returning, "
            "resurrecting or dormant");
  EXPECT_EQ(error(Query(R"("aggregation_group_type_index": 5)")),
            "query.aggregation_group_type_index: must be a group type index from 0 to 4");
  auto fine = ParseLifecycleQuery(
      parser.parse(Query(R"("lifecycleFilter": {"toggledLifecycles": ["new", "dormant"]})"))
          .value());
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->toggled,
            (std::vector<LifecycleStatus>{LifecycleStatus::kNew, LifecycleStatus::kDormant}));
}

}  // namespace
}  // namespace hoglet::query
