// Per-actor insights read in several passes when their events do not fit the bound: each actor
// in exactly one pass, no finished pass over the bound, a share split again when it is, a refusal
// past kMaxActorShares; and funnels, retention and paths answer the same with one pass or many.
#include "query/actor_passes.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "query/actor_numbers.h"
#include "query/funnels_query_parser.h"
#include "query/funnels_result_json.h"
#include "query/funnels_runner.h"
#include "query/paths_query_parser.h"
#include "query/paths_runner.h"
#include "query/retention_query_parser.h"
#include "query/retention_runner.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

// Keeps the persons of its share, and remembers what each finished pass held. One that reads
// apart keeps its round's persons by keeper and finishes a keeper's from every pass's.
class CountingPass final : public ActorPass {
 public:
  // `numbering` numbers the persons alike for every pass of a run.
  explicit CountingPass(ActorNumbers* numbering, bool apart = false)
      : numbering_(*numbering), apart_(apart) {}

  int64_t from_us() const override { return 0; }
  int64_t to_us() const override { return std::numeric_limits<int64_t>::max(); }
  size_t kept() const override {
    size_t kept = 0;
    for (const std::vector<Uuid>& share : kept_) kept += share.size();
    return kept;
  }

  void Begin(const ActorShare& share) override {
    share_ = share;
    kept_.assign(1, {});
    ++begun;
  }
  Status ScanBlock(store::BlockReader* block) override {
    ++blocks_read;
    HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, block->PersonIds());
    std::vector<uint32_t> numbers(persons->size());
    HOGLET_RETURN_IF_ERROR(numbering_.Number(persons->data(), persons->size(), numbers.data()));
    for (size_t i = 0; i < persons->size(); ++i) {
      if (!share_.Holds(numbers[i])) continue;
      kept_[share_.KeeperOf(numbers[i], kept_.size())].push_back((*persons)[i]);
    }
    return Status::Ok();
  }
  Status Finish() override { return Count(kept_.front()); }

  bool reads_apart() const override { return apart_; }
  void BeginApart(const ActorShare& round, uint32_t keepers) override {
    share_ = round;
    kept_.assign(keepers, {});
    ++begun_apart;
  }
  Status Gather(std::span<ActorPass* const>) override {
    ++gathered;
    return Status::Ok();
  }
  Status FinishShare(std::span<ActorPass* const> passes, uint32_t share) override {
    std::vector<Uuid> all;
    for (ActorPass* pass : passes) {
      const std::vector<Uuid>& theirs = static_cast<CountingPass*>(pass)->kept_[share];
      all.insert(all.end(), theirs.begin(), theirs.end());
    }
    return Count(all);
  }

  int begun = 0;
  int begun_apart = 0;
  int gathered = 0;
  int finished = 0;
  int blocks_read = 0;
  size_t largest_pass = 0;
  std::map<Uuid, int> events_by_person;
  std::map<Uuid, int> passes_by_person;

 private:
  Status Count(const std::vector<Uuid>& kept) {
    largest_pass = std::max(largest_pass, kept.size());
    for (const Uuid& person : kept) ++events_by_person[person];
    std::set<Uuid> persons(kept.begin(), kept.end());
    for (const Uuid& person : persons) ++passes_by_person[person];
    ++finished;
    return Status::Ok();
  }

  ActorNumbers& numbering_;
  const bool apart_;
  ActorShare share_;
  std::vector<std::vector<Uuid>> kept_{1};  // by share when reading apart
};

// Each person run by one of two passes only, and their events together those of one pass.
void ExpectEachPersonInOneOf(const CountingPass& first, const CountingPass& second,
                             const CountingPass& one) {
  std::map<Uuid, int> both = first.events_by_person;
  for (const auto& [person, events] : second.events_by_person) {
    EXPECT_FALSE(first.events_by_person.contains(person)) << "a person run by both passes";
    both[person] += events;
  }
  EXPECT_EQ(both, one.events_by_person);
}

class ActorPasses : public InsightTestStore {
 protected:
  // 40 persons over five days in four parts: person p has 1 to 7 events a day (35 at most in
  // all), signups, purchases and pageviews of a few URLs, with a browser and a plan (met in
  // another order on each day, unevenly).
  void AddEvents() {
    static const char* kDays[] = {"2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06",
                                  "2024-01-08"};
    static const char* kUrls[] = {"/", "/pricing", "/docs", "/signup"};
    static const char* kPlans[] = {"free", "pro", "free", "team", "free", "pro", "enterprise"};
    for (int day = 0; day < 5; ++day) {
      for (int p = 1; p <= 40; ++p) {
        const int events = (p * (day + 3)) % 7 + 1;
        for (int e = 0; e < events; ++e) {
          const int minute = 4 * e + p % 4;  // one session a day
          const std::string time = std::string(kDays[day]) + "T10:" + (minute < 10 ? "0" : "") +
                                   std::to_string(minute) + ":" + std::to_string(10 + p) + "Z";
          const std::string browser = p % 3 == 0 ? "Safari" : (p % 3 == 1 ? "Chrome" : "Firefox");
          const std::string url = kUrls[(p + e + day) % 4];
          const char* event = (e + p + day) % 4 == 0   ? "signup"
                              : (e + p + day) % 4 == 1 ? "purchase"
                                                       : "$pageview";
          const std::string plan = kPlans[(p * p + 3 * day + e) % 7];
          Add(event, p, time.c_str(),
              R"({"$browser": ")" + browser + R"(", "$current_url": ")" + url + R"(", "plan": ")" +
                  plan + R"("})");
        }
      }
      if (day % 2 == 1 || day == 4) Flush();
    }
    Flush();
  }
};

TEST_F(ActorPasses, OnePassWhenTheEventsFit) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ActorNumbers numbering;
  CountingPass pass(&numbering);
  ASSERT_TRUE(RunActorPasses(*snapshot, 100'000, "funnel", nullptr, &pass).ok());
  EXPECT_EQ(pass.begun, 1);
  EXPECT_EQ(pass.finished, 1);
  EXPECT_EQ(pass.passes_by_person.size(), 40u);
}

TEST_F(ActorPasses, EachActorIsReadInOneFinishedPassUnderTheBound) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ASSERT_GE(snapshot->parts.size(), 3u);
  ActorNumbers numbering;
  CountingPass one(&numbering);
  ASSERT_TRUE(RunActorPasses(*snapshot, 100'000, "funnel", nullptr, &one).ok());
  size_t total = 0;
  for (const auto& [person, events] : one.events_by_person) total += events;

  CountingPass many(&numbering);
  const size_t bound = total / 6;
  ASSERT_TRUE(RunActorPasses(*snapshot, bound, "funnel", nullptr, &many).ok());
  EXPECT_GE(many.finished, 6);
  EXPECT_LE(many.largest_pass, bound);
  EXPECT_EQ(many.events_by_person, one.events_by_person);
  for (const auto& [person, passes] : many.passes_by_person) EXPECT_EQ(passes, 1);
}

TEST_F(ActorPasses, AShareOverTheBoundIsSplitAgain) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ActorNumbers numbering;
  CountingPass one(&numbering);
  ASSERT_TRUE(RunActorPasses(*snapshot, 100'000, "funnel", nullptr, &one).ok());
  // Twice the most events of one person: shares of the size the first pass estimates, about
  // two persons each, vary around it, and some pass the bound.
  int most = 0;
  for (const auto& [person, events] : one.events_by_person) most = std::max(most, events);
  const auto bound = static_cast<size_t>(2 * most);
  CountingPass many(&numbering);
  ASSERT_TRUE(RunActorPasses(*snapshot, bound, "funnel", nullptr, &many).ok());
  EXPECT_GT(many.begun, many.finished);
  EXPECT_LE(many.largest_pass, bound);
  EXPECT_EQ(many.events_by_person, one.events_by_person);
  for (const auto& [person, passes] : many.passes_by_person) EXPECT_EQ(passes, 1);
}

TEST_F(ActorPasses, PassesOnThreadsReadEachActorOnceUnderTheirShareOfTheBound) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ActorNumbers numbering;
  CountingPass one(&numbering);
  ASSERT_TRUE(RunActorPasses(*snapshot, 100'000, "funnel", nullptr, &one).ok());
  size_t total = 0;
  for (const auto& [person, events] : one.events_by_person) total += events;

  for (size_t bound : {size_t{100'000}, total / 4}) {
    CountingPass first(&numbering);
    CountingPass second(&numbering);
    ActorPass* const passes[] = {&first, &second};
    ASSERT_TRUE(RunActorPasses(*snapshot, bound, "funnel", nullptr, passes).ok());
    EXPECT_LE(first.largest_pass, bound / 2);
    EXPECT_LE(second.largest_pass, bound / 2);
    EXPECT_GT(first.passes_by_person.size(), 0u);
    EXPECT_GT(second.passes_by_person.size(), 0u);
    ExpectEachPersonInOneOf(first, second, one);
  }
}

TEST_F(ActorPasses, PassesReadingApartReadEachBlockOnceAndRunEachActorOnce) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ActorNumbers numbering;
  CountingPass one(&numbering);
  ASSERT_TRUE(RunActorPasses(*snapshot, 100'000, "funnel", nullptr, &one).ok());

  CountingPass first(&numbering, true);
  CountingPass second(&numbering, true);
  ActorPass* const passes[] = {&first, &second};
  ASSERT_TRUE(RunActorPasses(*snapshot, 100'000, "funnel", nullptr, passes).ok());
  EXPECT_EQ(first.begun_apart + second.begun_apart, 2);
  EXPECT_EQ(first.begun + second.begun, 0) << "read again by shares";
  EXPECT_EQ(first.gathered + second.gathered, 1);
  EXPECT_EQ(first.blocks_read + second.blocks_read, one.blocks_read);
  EXPECT_GT(first.blocks_read, 0);
  EXPECT_GT(second.blocks_read, 0);
  EXPECT_EQ(first.finished, 1);
  EXPECT_EQ(second.finished, 1);
  ExpectEachPersonInOneOf(first, second, one);
}

TEST_F(ActorPasses, PassesReadingApartOverTheBoundReadInRounds) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ActorNumbers numbering;
  CountingPass one(&numbering);
  ASSERT_TRUE(RunActorPasses(*snapshot, 100'000, "funnel", nullptr, &one).ok());
  size_t total = 0;
  for (const auto& [person, events] : one.events_by_person) total += events;

  CountingPass first(&numbering, true);
  CountingPass second(&numbering, true);
  ActorPass* const passes[] = {&first, &second};
  const size_t bound = total / 2;
  ASSERT_TRUE(RunActorPasses(*snapshot, bound, "funnel", nullptr, passes).ok());
  EXPECT_EQ(first.begun + second.begun, 0) << "read by shares";
  // The first round over the bound, then at least two that fit.
  EXPECT_GE(first.begun_apart, 3);
  EXPECT_EQ(first.gathered + second.gathered, first.begun_apart - 1);
  EXPECT_EQ(first.finished, first.begun_apart - 1);
  EXPECT_LE(first.largest_pass, bound);
  EXPECT_LE(second.largest_pass, bound);
  ExpectEachPersonInOneOf(first, second, one);
}

TEST_F(ActorPasses, AFailingPassOnAThreadIsTheAnswer) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ActorNumbers numbering;
  for (bool apart : {false, true}) {
    CountingPass first(&numbering, apart);
    CountingPass second(&numbering, apart);
    ActorPass* const passes[] = {&first, &second};
    Status status = RunActorPasses(*snapshot, 4, "funnel", nullptr, passes);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << apart;
    EXPECT_EQ(status.message(),
              "the funnel reads more than 4096 events; choose a shorter date range");
  }
}

TEST_F(ActorPasses, OneActorOverTheBoundIsRefused) {
  AddEvents();
  auto snapshot = source().Snapshot(kTestTeam, 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(snapshot.ok());
  ActorNumbers numbering;
  CountingPass pass(&numbering);
  Status status = RunActorPasses(*snapshot, 2, "funnel", nullptr, &pass);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "the funnel reads more than 2048 events; choose a shorter date range");
}

// The insights' answers, with the bound the context sets.
class PassedInsights : public ActorPasses {
 protected:
  std::string Funnel(const std::string& json) {
    simdjson::dom::parser parser;
    auto query = ParseFunnelsQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    auto range = DateRange::Resolve(query->date_range, query->interval, context_.clock);
    auto result = RunFunnels(*query, *range, context_, source(), kTestTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return "";
    JsonWriter w;
    WriteFunnelsResults(*query, {}, *result, &w);
    return std::move(w).Take();
  }

  std::string Retention(const std::string& json) {
    simdjson::dom::parser parser;
    auto query = ParseRetentionQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    auto range = RetentionRange(*query, context_.clock);
    auto result = RunRetention(*query, *range, context_, source(), kTestTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return "";
    std::string out;
    auto table = [&out](const RetentionTable& counts) {
      for (const auto& row : counts) {
        for (int64_t count : row) out += std::to_string(count) + " ";
        out += "| ";
      }
    };
    table(result->counts);
    for (const RetentionBreakdownLine& line : result->breakdowns) {
      out += line.value + ": ";
      table(line.counts);
    }
    return out;
  }

  std::string Paths(const std::string& json) {
    simdjson::dom::parser parser;
    auto query = ParsePathsQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    auto range = DateRange::Resolve(query->date_range, Interval::kDay, context_.clock);
    auto result = RunPaths(*query, *range, context_, source(), kTestTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return "";
    std::string out;
    for (const PathEdge& edge : *result) {
      out += edge.source + ">" + edge.target + "=" + std::to_string(edge.value) + "/" +
             std::to_string(edge.average_conversion_ms) + " ";
    }
    return out;
  }

  // The answer with every event in one pass, with at most about `bound` events a pass (each
  // taken as 64 bytes: a little more than a funnel's, a little less than retention's), and on two
  // threads reading apart (in one round, and in many of at most about `bound`: the query's bound
  // is shared by its threads).
  template <typename Run>
  void ExpectSame(Run run, const std::string& json, size_t bound) {
    constexpr size_t kEventBytes = 64;
    context_.scan_threads = 1;
    context_.actor_pass_bytes = kActorPassBytes;
    const std::string one = run(json);
    ASSERT_FALSE(one.empty());
    context_.actor_pass_bytes = bound * kEventBytes;
    EXPECT_EQ(run(json), one) << json;
    context_.scan_threads = 2;
    context_.actor_pass_bytes = kActorPassBytes;
    EXPECT_EQ(run(json), one) << json << " on two threads";
    context_.actor_pass_bytes = 2 * bound * kEventBytes;
    EXPECT_EQ(run(json), one) << json << " on two threads, in many rounds";
    context_.scan_threads = 1;
  }
};

TEST_F(PassedInsights, FunnelsAnswerTheSameInManyPassesAndOnThreads) {
  AddEvents();
  auto funnel = [this](const std::string& json) { return Funnel(json); };
  const std::string steps = R"({"kind": "FunnelsQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "series": [{"kind": "EventsNode", "event": "signup"},
                 {"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "purchase"}])";
  ExpectSame(funnel, steps + "}", 60);
  ExpectSame(funnel,
             steps + R"(, "breakdownFilter": {"breakdown": "$browser", "breakdown_limit": 2}})",
             70);
  // Values met in another order by each thread.
  ExpectSame(funnel, steps + R"(, "breakdownFilter": {"breakdown": "plan"},
                 "funnelsFilter": {"breakdownAttributionType": "all_events"}})",
             70);
  ExpectSame(funnel, steps + R"(, "funnelsFilter": {"funnelVizType": "time_to_convert"}})", 100);
  ExpectSame(funnel, steps + R"(, "funnelsFilter": {"funnelVizType": "trends"}})", 50);
  ExpectSame(funnel, steps + R"(, "funnelsFilter": {"funnelOrderType": "strict"}})", 70);
}

TEST_F(PassedInsights, RetentionAnswersTheSameInManyPassesAndOnThreads) {
  AddEvents();
  auto retention = [this](const std::string& json) { return Retention(json); };
  const std::string query = R"({"kind": "RetentionQuery",
      "dateRange": {"date_from": "2024-01-03", "date_to": "2024-01-08"},
      "retentionFilter": {"period": "Day", "totalIntervals": 6,
                          "targetEntity": {"id": "signup", "type": "events"},
                          "returningEntity": {"id": "purchase", "type": "events"})";
  ExpectSame(retention, query + "}}", 40);
  ExpectSame(retention, query + R"(, "retentionType": "retention_first_time"}})", 40);
  ExpectSame(retention, query + R"(}, "breakdownFilter": {"breakdown": "$browser"}})", 50);
  // First starts kept by actor and value, and met by both threads.
  ExpectSame(retention, query + R"(, "retentionType": "retention_first_time"},
                 "breakdownFilter": {"breakdown": "plan"}})",
             50);
  ExpectSame(retention, query + R"(, "retentionType": "retention_first_ever_occurrence"}})", 40);
}

TEST_F(PassedInsights, PathsAnswerTheSameInManyPassesAndOnThreads) {
  AddEvents();
  auto paths = [this](const std::string& json) { return Paths(json); };
  ExpectSame(paths, R"({"kind": "PathsQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "pathsFilter": {"includeEventTypes": ["$pageview", "custom_event"], "stepLimit": 5}})",
             60);
}

}  // namespace
}  // namespace hoglet::query
