// Person processing throughput on a realistic mix: most events belong to known persons and
// change nothing; 5% carry an $identify (adopting a fresh anonymous id) or a $set that changes
// a property. One transaction per 1,000-event batch, as the ingestion consumer runs it.
//
//   BM_PersonProcessor_Mix/<persons>   events/s, and the cache's entries and approximate bytes.

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "persons/person_processor.h"
#include "persons/sqlite_person_store.h"

namespace hoglet::persons {
namespace {

constexpr int64_t kTeam = 1;
constexpr size_t kBatchSize = 1'000;

std::string KnownId(int64_t i) { return "user-" + std::to_string(i); }

PersonEventInput MakeEvent(std::string event, std::string distinct_id, std::string properties,
                           int64_t* clock_us) {
  PersonEventInput in;
  in.team_id = kTeam;
  *clock_us += 1'000;
  in.event_uuid = Uuid::V7(*clock_us);
  in.event = std::move(event);
  in.distinct_id = std::move(distinct_id);
  in.timestamp_us = *clock_us;
  in.properties = std::move(properties);
  return in;
}

void BM_PersonProcessor_Mix(benchmark::State& state) {
  const int64_t persons = state.range(0);
  char dir_template[] = "/tmp/hoglet-person-bench-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  SqlitePersonStoreOptions options;
  options.cache_capacity = static_cast<size_t>(persons);
  auto store = OpenSqlitePersonStore(dir + "/persons.db", options);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  PersonProcessor processor(**store);
  int64_t clock_us = 1'700'000'000'000'000;
  const std::string pageview_props =
      R"({"$current_url":"https://example.com/pricing","$browser":"Chrome","$os":"Mac OS X",)"
      R"("$lib":"web","$session_id":"0190a6c1-6b5e-7d1e-b6f4-6b8a8f3e9c21"})";

  // Population: every known person created with a few properties.
  std::vector<PersonEventInput> batch;
  for (int64_t i = 0; i < persons; ++i) {
    batch.push_back(
        MakeEvent("$pageview", KnownId(i),
                  R"({"$set":{"email":"u)" + std::to_string(i) +
                      R"(@example.com","plan":"free"},"$set_once":{"$initial_os":"Mac"}})",
                  &clock_us));
    if (batch.size() == kBatchSize || i + 1 == persons) {
      if (!processor.ProcessBatch(batch).ok()) {
        state.SkipWithError("population failed");
        return;
      }
      batch.clear();
    }
  }

  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> pick(0, persons - 1);
  int64_t anonymous = 0;
  int64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    for (size_t i = 0; i < kBatchSize; ++i) {
      int64_t who = pick(rng);
      uint64_t roll = rng() % 100;
      if (roll < 3) {
        batch.push_back(MakeEvent("$identify", KnownId(who),
                                  R"({"$anon_distinct_id":"anon-)" + std::to_string(anonymous++) +
                                      R"(","$set":{"last_login":)" + std::to_string(clock_us) +
                                      "}}",
                                  &clock_us));
      } else if (roll < 5) {
        batch.push_back(MakeEvent("$set", KnownId(who),
                                  R"({"$set":{"plan":"p)" + std::to_string(rng() % 3) + R"("}})",
                                  &clock_us));
      } else {
        batch.push_back(MakeEvent("$pageview", KnownId(who), pageview_props, &clock_us));
      }
    }
    state.ResumeTiming();
    auto results = processor.ProcessBatch(batch);
    if (!results.ok()) {
      state.SkipWithError(results.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(results->data());
    events += static_cast<int64_t>(batch.size());
  }
  PersonStoreStats stats = (*store)->Stats();
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["cache_entries"] = static_cast<double>(stats.cache_entries);
  state.counters["cache_MB"] = static_cast<double>(stats.cache_bytes) / (1024.0 * 1024.0);
  state.counters["cache_hit_ratio"] =
      static_cast<double>(stats.cache_hits) /
      static_cast<double>(std::max<uint64_t>(1, stats.cache_hits + stats.cache_misses));
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_PersonProcessor_Mix)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hoglet::persons
