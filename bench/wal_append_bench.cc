// Append throughput of the embedded event log: records/s and bytes/s for appends of 1 and 50
// records of 500 bytes, with fsync on and off.
//
//   BM_WalLog_AppendAndWait/<records per append>/<fsync>   one append at a time (latency bound)
//   BM_WalLog_AppendPipelined/<records per append>/<fsync> 256 appends in flight, then wait
//                                                          (what group commit is for)
//
// Data goes to $TMPDIR (default /tmp); fsync numbers depend entirely on that device.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "log/wal_log.h"

namespace hoglet::log {
namespace {

constexpr size_t kRecordBytes = 500;
constexpr int kInFlight = 256;

// A fresh directory for one benchmark run, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/hoglet-bench-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Counts outstanding appends and failures.
class Waiter {
 public:
  void Add(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    outstanding_ += n;
  }
  void Done(bool ok) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ok) ++failures_;
    if (--outstanding_ == 0) cv_.notify_all();
  }
  int WaitAll() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return outstanding_ == 0; });
    return failures_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int outstanding_ = 0;  // guarded by mu_
  int failures_ = 0;     // guarded by mu_
};

std::unique_ptr<EventLog> OpenForBench(const ScratchDir& dir, bool fsync, benchmark::State& state) {
  WalOptions options;
  options.dir = dir.path() + "/wal";
  options.partitions = 1;
  options.fsync = fsync;
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  if (!log.ok()) {
    state.SkipWithError(log.status().ToString().c_str());
    return nullptr;
  }
  return std::move(log).value();
}

std::vector<std::string> Batch(size_t records) {
  return std::vector<std::string>(records, std::string(kRecordBytes, 'x'));
}

void SetCounters(benchmark::State& state, int64_t appends, size_t records_per_append) {
  const double records = static_cast<double>(appends) * static_cast<double>(records_per_append);
  state.counters["records_per_s"] = benchmark::Counter(records, benchmark::Counter::kIsRate);
  state.counters["appends_per_s"] =
      benchmark::Counter(static_cast<double>(appends), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(records) * static_cast<int64_t>(kRecordBytes));
}

void BM_WalLog_AppendAndWait(benchmark::State& state) {
  const size_t records = static_cast<size_t>(state.range(0));
  ScratchDir dir;
  std::unique_ptr<EventLog> log = OpenForBench(dir, state.range(1) != 0, state);
  if (log == nullptr) return;
  const std::vector<std::string> batch = Batch(records);
  Waiter waiter;
  for (auto _ : state) {
    waiter.Add(1);
    log->Append(0, batch, [&](StatusOr<uint64_t> r) { waiter.Done(r.ok()); });
    if (waiter.WaitAll() != 0) {
      state.SkipWithError("append failed");
      break;
    }
  }
  SetCounters(state, state.iterations(), records);
}

void BM_WalLog_AppendPipelined(benchmark::State& state) {
  const size_t records = static_cast<size_t>(state.range(0));
  ScratchDir dir;
  std::unique_ptr<EventLog> log = OpenForBench(dir, state.range(1) != 0, state);
  if (log == nullptr) return;
  const std::vector<std::string> batch = Batch(records);
  Waiter waiter;
  for (auto _ : state) {
    waiter.Add(kInFlight);
    for (int i = 0; i < kInFlight; ++i) {
      log->Append(0, batch, [&](StatusOr<uint64_t> r) { waiter.Done(r.ok()); });
    }
    if (waiter.WaitAll() != 0) {
      state.SkipWithError("append failed");
      break;
    }
  }
  SetCounters(state, state.iterations() * kInFlight, records);
}

BENCHMARK(BM_WalLog_AppendAndWait)
    ->ArgNames({"records", "fsync"})
    ->ArgsProduct({{1, 50}, {0, 1}})
    ->UseRealTime();
BENCHMARK(BM_WalLog_AppendPipelined)
    ->ArgNames({"records", "fsync"})
    ->ArgsProduct({{1, 50}, {0, 1}})
    ->UseRealTime();

}  // namespace
}  // namespace hoglet::log
