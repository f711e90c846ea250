// ColumnarStore: Append throughput for 10k-event batches (events/s, bytes per event on disk)
// and ListEvents latency on a populated store.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "filters/filter_tree.h"
#include "store/columnar_store.h"

namespace hoglet::store {
namespace {

constexpr int64_t kDay0Us = int64_t{1710028800} * 1000 * 1000;
constexpr int64_t kHourUs = int64_t{3600} * 1000 * 1000;

class BenchDir {
 public:
  BenchDir() {
    const char* base = getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/hoglet-bench-XXXXXX";
    path_ = mkdtemp(pattern.data()) ? pattern : "/tmp/hoglet-bench";
  }
  ~BenchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

// Pageview-like events: a handful of properties, 1000 persons, spread over `hours`.
std::vector<Event> MakeBatch(uint64_t first, size_t count, int hours, std::mt19937* rng) {
  const char* browsers[] = {"Chrome", "Firefox", "Safari", "Edge"};
  std::vector<Event> events;
  events.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    Event e;
    uint64_t n = first + i;
    for (int b = 0; b < 8; ++b) e.uuid.bytes[15 - b] = static_cast<uint8_t>(n >> (8 * b));
    e.uuid.bytes[0] = 0x01;
    e.team_id = 1;
    uint32_t person = (*rng)() % 1000;
    e.person_id.bytes[15] = static_cast<uint8_t>(person);
    e.person_id.bytes[14] = static_cast<uint8_t>(person >> 8);
    e.distinct_id = "user-" + std::to_string(person);
    e.event = (*rng)() % 4 == 0 ? "$autocapture" : "$pageview";
    e.timestamp_us = kDay0Us + static_cast<int64_t>((*rng)() % (hours * kHourUs / 1000)) * 1000;
    e.created_at_us = e.timestamp_us + 1000;
    e.properties = std::string(R"({"$browser":")") + browsers[(*rng)() % 4] +
                   R"(","$current_url":"https://example.com/page/)" +
                   std::to_string((*rng)() % 200) + R"(","$screen_width":)" +
                   std::to_string(1000 + (*rng)() % 1000) + R"(,"$lib":"web","$session_id":"s)" +
                   std::to_string(person * 7 + n / 500) + R"("})";
    events.push_back(std::move(e));
  }
  return events;
}

void BM_ColumnarStore_Append10k(benchmark::State& state) {
  BenchDir dir;
  ColumnarStoreOptions options;
  options.dir = dir.path();
  options.fsync = state.range(0) != 0;
  options.merge_threads = 0;
  auto store = *OpenColumnarStore(options);
  std::mt19937 rng(1);
  uint64_t next = 0;
  uint64_t offset = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Event> batch = MakeBatch(next, 10000, 24, &rng);
    next += 10000;
    state.ResumeTiming();
    auto status = store->Append(std::move(batch), {0, ++offset});
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  }
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(next), benchmark::Counter::kIsRate);
  state.counters["bytes_per_event"] =
      static_cast<double>(DirBytes(dir.path())) / static_cast<double>(next ? next : 1);
}
BENCHMARK(BM_ColumnarStore_Append10k)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

struct PopulatedStore {
  BenchDir dir;
  std::unique_ptr<EventStore> store;
  PopulatedStore() {
    ColumnarStoreOptions options;
    options.dir = dir.path();
    options.fsync = false;
    options.merge_threads = 0;
    store = *OpenColumnarStore(options);
    std::mt19937 rng(2);
    for (uint64_t b = 0; b < 20; ++b) {
      (void)store->Append(MakeBatch(b * 10000, 10000, 24 * 7, &rng), {0, b + 1});
    }
  }
};

PopulatedStore& Populated() {
  static PopulatedStore* populated = new PopulatedStore();
  return *populated;
}

void RunQuery(benchmark::State& state, const EventQuery& query) {
  EventStore& store = *Populated().store;
  size_t rows = 0;
  for (auto _ : state) {
    auto events = store.ListEvents(query);
    if (!events.ok()) state.SkipWithError(events.status().ToString().c_str());
    rows = events.ok() ? events->size() : 0;
    benchmark::DoNotOptimize(events);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

// Event property filters as the events list parses them.
filters::FilterNode Filters(std::string_view json) {
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  auto tree = filters::ParseFilterTree(json, options);
  if (!tree.ok()) std::abort();
  return *std::move(tree);
}

void BM_ColumnarStore_ListEventsLatest100(benchmark::State& state) {
  EventQuery q;
  q.team_id = 1;
  RunQuery(state, q);
}
BENCHMARK(BM_ColumnarStore_ListEventsLatest100)->Unit(benchmark::kMicrosecond);

void BM_ColumnarStore_ListEventsPropertyFilter(benchmark::State& state) {
  EventQuery q;
  q.team_id = 1;
  q.event = "$autocapture";
  q.properties = Filters(R"([{"key":"$browser","value":"Safari"},
                             {"key":"$screen_width","operator":"gt","value":"1900"}])");
  RunQuery(state, q);
}
BENCHMARK(BM_ColumnarStore_ListEventsPropertyFilter)->Unit(benchmark::kMicrosecond);

void BM_ColumnarStore_ListEventsRareDistinctId(benchmark::State& state) {
  EventQuery q;
  q.team_id = 1;
  q.distinct_id = "user-7";
  q.properties = Filters(R"([{"key":"$current_url","operator":"icontains","value":"page/19"}])");
  RunQuery(state, q);
}
BENCHMARK(BM_ColumnarStore_ListEventsRareDistinctId)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hoglet::store
