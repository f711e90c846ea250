#include "log/wal_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "tests/support/temp_dir.h"
#include "tests/support/fault_env.h"
#include "tests/unit/log/log_test_util.h"

namespace hoglet::log {
namespace {

using ::hoglet::log::testing::AppendAndWait;
using ::hoglet::testing::FaultEnv;
using ::hoglet::log::testing::ReadAll;
using ::hoglet::log::testing::SegmentFiles;
using ::hoglet::testing::TempDir;
using std::chrono::milliseconds;

WalOptions Options(const TempDir& dir, int partitions = 1) {
  WalOptions options;
  options.dir = dir.Join("wal");
  options.partitions = partitions;
  options.fsync = false;
  return options;
}

std::unique_ptr<EventLog> MustOpen(const WalOptions& options) {
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(log).value() : nullptr;
}

std::string Payload(uint64_t i, size_t size = 100) {
  std::string payload = "record-" + std::to_string(i) + "-";
  payload.resize(size, static_cast<char>('a' + i % 26));
  return payload;
}

TEST(WalLog, AppendReadRoundTripAcrossSegmentRolls) {
  TempDir dir;
  WalOptions options = Options(dir);
  options.segment_bytes = 1024;
  auto log = MustOpen(options);
  uint64_t next = 0;
  for (int batch = 0; batch < 40; ++batch) {
    std::vector<std::string> payloads;
    for (int i = 0; i < batch % 4 + 1; ++i) payloads.push_back(Payload(next + i));
    StatusOr<uint64_t> first = AppendAndWait(*log, 0, payloads);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(*first, next);
    next += payloads.size();
  }
  EXPECT_EQ(log->EndOffset(0), next);
  EXPECT_GT(SegmentFiles(options.dir + "/partition-000").size(), 5u);

  StatusOr<std::vector<Record>> all = ReadAll(*log, 0);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), next);
  for (uint64_t i = 0; i < next; ++i) {
    EXPECT_EQ((*all)[i].offset, i);
    EXPECT_EQ((*all)[i].payload, Payload(i));
  }
  // Starting in the middle of a segment and spanning rolls.
  StatusOr<std::vector<Record>> middle = log->Read(0, 37, 30, 1 << 20, milliseconds(0));
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->size(), 30u);
  EXPECT_EQ(middle->front().offset, 37u);
  EXPECT_EQ(middle->back().payload, Payload(66));
}

TEST(WalLog, ReadStopsAtMaxBytesButReturnsAtLeastOneRecord) {
  TempDir dir;
  auto log = MustOpen(Options(dir));
  ASSERT_TRUE(AppendAndWait(*log, 0, {Payload(0, 500), Payload(1, 500), Payload(2, 500)}).ok());
  StatusOr<std::vector<Record>> one = log->Read(0, 0, 100, 10, milliseconds(0));
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().payload, Payload(0, 500));
  StatusOr<std::vector<Record>> two = log->Read(0, 1, 100, 1000, milliseconds(0));
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
  StatusOr<std::vector<Record>> capped = log->Read(0, 0, 2, 1 << 20, milliseconds(0));
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->size(), 2u);
}

TEST(WalLog, AppendIsAcknowledgedAndVisibleOnlyAfterSync) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir);
  options.fsync = true;
  options.env = &env;
  auto log = MustOpen(options);
  env.CloseGate();
  std::atomic<bool> acknowledged{false};
  log->Append(0, {"pending"}, [&](StatusOr<uint64_t> r) { acknowledged = r.ok(); });
  env.WaitForBlockedSync();  // written, not yet synced
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_FALSE(acknowledged.load());
  EXPECT_EQ(log->EndOffset(0), 0u);
  StatusOr<std::vector<Record>> unsynced = log->Read(0, 0, 10, 1 << 20, milliseconds(0));
  ASSERT_TRUE(unsynced.ok());
  EXPECT_TRUE(unsynced->empty());
  env.OpenGate();
  StatusOr<std::vector<Record>> synced = log->Read(0, 0, 10, 1 << 20, milliseconds(5000));
  ASSERT_TRUE(synced.ok());
  ASSERT_EQ(synced->size(), 1u);
  log->Close();
  EXPECT_TRUE(acknowledged.load());
}

TEST(WalLog, ConcurrentAppendersKeepEachCallersOrder) {
  TempDir dir;
  WalOptions options = Options(dir);
  options.segment_bytes = 8 << 10;
  auto log = MustOpen(options);
  constexpr int kThreads = 6;
  constexpr int kPerThread = 150;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Fire and forget: order must follow call order even while earlier calls are pending.
        log->Append(0, {std::to_string(t) + ":" + std::to_string(i)},
                    [](StatusOr<uint64_t> r) { ASSERT_TRUE(r.ok()) << r.status().ToString(); });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  StatusOr<std::vector<Record>> wait =
      log->Read(0, kThreads * kPerThread - 1, 1, 100, milliseconds(5000));
  ASSERT_TRUE(wait.ok());
  ASSERT_EQ(wait->size(), 1u);
  StatusOr<std::vector<Record>> all = ReadAll(*log, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), static_cast<size_t>(kThreads * kPerThread));
  std::map<int, int> last_seen;
  for (const Record& record : *all) {
    int t = std::stoi(record.payload.substr(0, record.payload.find(':')));
    int i = std::stoi(record.payload.substr(record.payload.find(':') + 1));
    auto it = last_seen.find(t);
    EXPECT_EQ(i, it == last_seen.end() ? 0 : it->second + 1) << "thread " << t;
    last_seen[t] = i;
  }
}

TEST(WalLog, GroupCommitAcknowledgesEveryAppendWithFewerSyncs) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir);
  options.fsync = true;
  options.env = &env;
  auto log = MustOpen(options);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::mutex mu;
  std::map<uint64_t, std::string> acknowledged;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string payload = "t" + std::to_string(t) + "-" + std::to_string(i);
        log->Append(0, {payload}, [&, payload](StatusOr<uint64_t> r) {
          if (!r.ok()) {
            ++failures;
            return;
          }
          std::lock_guard<std::mutex> lock(mu);
          acknowledged[*r] = payload;
        });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  log->Close();  // completes every accepted append
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(acknowledged.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(acknowledged.rbegin()->first, kThreads * kPerThread - 1u);
  EXPECT_LT(env.syncs.load(), kThreads * kPerThread) << "appends were not grouped";
  log.reset();

  auto reopened = MustOpen(options);
  StatusOr<std::vector<Record>> all = ReadAll(*reopened, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), acknowledged.size());
  for (const Record& record : *all) EXPECT_EQ(record.payload, acknowledged[record.offset]);
}

TEST(WalLog, ReopenKeepsOffsetsAndCommittedOffsets) {
  TempDir dir;
  WalOptions options = Options(dir, 3);
  options.segment_bytes = 512;
  {
    auto log = MustOpen(options);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(AppendAndWait(*log, 1, {Payload(i)}).ok());
    ASSERT_TRUE(AppendAndWait(*log, 2, {"x", "y"}).ok());
    ASSERT_TRUE(log->Commit("ingest", 1, 7).ok());
    ASSERT_TRUE(log->Commit("ingest", 2, 2).ok());
  }
  auto log = MustOpen(options);
  EXPECT_EQ(log->EndOffset(0), 0u);
  EXPECT_EQ(log->EndOffset(1), 20u);
  EXPECT_EQ(log->EndOffset(2), 2u);
  EXPECT_EQ(log->Committed("ingest", 1), 7u);
  EXPECT_EQ(log->Committed("ingest", 2), 2u);
  EXPECT_EQ(log->Committed("ingest", 0), 0u);
  EXPECT_EQ(log->Committed("other", 1), 0u);
  StatusOr<uint64_t> next = AppendAndWait(*log, 1, {Payload(20)});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 20u);
  StatusOr<std::vector<Record>> tail = log->Read(1, 7, 100, 1 << 20, milliseconds(0));
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 14u);
  EXPECT_EQ(tail->front().payload, Payload(7));
}

TEST(WalLog, RetentionDeletesOnlySegmentsEveryConsumerHasPassed) {
  TempDir dir;
  WalOptions options = Options(dir);
  options.segment_bytes = 512;
  auto log = MustOpen(options);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(AppendAndWait(*log, 0, {Payload(i)}).ok());
  const std::string partition_dir = options.dir + "/partition-000";
  const size_t segments_before = SegmentFiles(partition_dir).size();
  ASSERT_GT(segments_before, 6u);

  ASSERT_TRUE(log->Commit("slow", 0, 0).ok());
  ASSERT_TRUE(log->Commit("fast", 0, 60).ok());
  EXPECT_EQ(SegmentFiles(partition_dir).size(), segments_before) << "slow has consumed nothing";
  ASSERT_TRUE(log->Commit("slow", 0, 25).ok());
  std::vector<std::string> left = SegmentFiles(partition_dir);
  EXPECT_LT(left.size(), segments_before);
  // The oldest kept segment still holds offset 25 (the slow consumer's next record).
  StatusOr<std::vector<Record>> from_slow = log->Read(0, 25, 1, 1 << 20, milliseconds(0));
  ASSERT_TRUE(from_slow.ok()) << from_slow.status().ToString();
  EXPECT_EQ(from_slow->front().payload, Payload(25));
  StatusOr<std::vector<Record>> gone = log->Read(0, 0, 1, 1 << 20, milliseconds(0));
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(gone.status().reason(), "offset_out_of_range");

  // Everyone at the end: only the active segment remains, and appends go on.
  ASSERT_TRUE(log->Commit("slow", 0, 60).ok());
  EXPECT_EQ(SegmentFiles(partition_dir).size(), 1u);
  StatusOr<uint64_t> next = AppendAndWait(*log, 0, {Payload(60)});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 60u);
  log.reset();
  auto reopened = MustOpen(options);
  EXPECT_EQ(reopened->EndOffset(0), 61u);
}

TEST(WalLog, ReopenWithDifferentPartitionCountIsInvalidArgument) {
  TempDir dir;
  WalOptions options = Options(dir, 4);
  { ASSERT_NE(MustOpen(options), nullptr); }
  options.partitions = 8;
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  EXPECT_EQ(log.status().code(), StatusCode::kInvalidArgument);
  options.partitions = 4;
  EXPECT_TRUE(OpenWalLog(options).ok());
}

TEST(WalLog, SecondOpenOfSameDirectoryIsUnavailable) {
  TempDir dir;
  auto log = MustOpen(Options(dir));
  EXPECT_EQ(OpenWalLog(Options(dir)).status().code(), StatusCode::kUnavailable);
}

TEST(WalLog, ReadWaitsUntilDataArrives) {
  TempDir dir;
  auto log = MustOpen(Options(dir));
  std::thread appender([&] {
    std::this_thread::sleep_for(milliseconds(50));
    log->Append(0, {"late"}, [](StatusOr<uint64_t>) {});
  });
  auto start = std::chrono::steady_clock::now();
  StatusOr<std::vector<Record>> records = log->Read(0, 0, 10, 1 << 20, milliseconds(10000));
  auto elapsed = std::chrono::steady_clock::now() - start;
  appender.join();
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().payload, "late");
  EXPECT_LT(elapsed, milliseconds(5000));
}

TEST(WalLog, ReadTimesOutWithNoRecords) {
  TempDir dir;
  auto log = MustOpen(Options(dir));
  ASSERT_TRUE(AppendAndWait(*log, 0, {"a"}).ok());
  auto start = std::chrono::steady_clock::now();
  StatusOr<std::vector<Record>> records = log->Read(0, 1, 10, 1 << 20, milliseconds(60));
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(60));
}

TEST(WalLog, AppendOverPendingLimitIsResourceExhausted) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir);
  options.fsync = true;
  options.env = &env;
  options.max_pending_bytes = 4096;
  auto log = MustOpen(options);
  env.CloseGate();
  std::atomic<int> ok{0};
  log->Append(0, {std::string(1000, 'a')}, [&](StatusOr<uint64_t> r) { ok += r.ok(); });
  env.WaitForBlockedSync();  // the first append is being written and still counts as pending
  log->Append(0, {std::string(2000, 'b')}, [&](StatusOr<uint64_t> r) { ok += r.ok(); });
  std::atomic<bool> called{false};
  Status rejected;
  log->Append(0, {std::string(2000, 'c')}, [&](StatusOr<uint64_t> r) {
    rejected = r.status();
    called = true;
  });
  EXPECT_TRUE(called.load()) << "a rejection must be immediate";
  EXPECT_EQ(rejected.code(), StatusCode::kResourceExhausted);
  std::atomic<bool> too_large{false};
  log->Append(0, {std::string(5000, 'd')}, [&](StatusOr<uint64_t> r) {
    too_large = r.status().code() == StatusCode::kPayloadTooLarge;
  });
  EXPECT_TRUE(too_large.load());
  env.OpenGate();
  log->Close();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(log->EndOffset(0), 2u);
}

TEST(WalLog, CloseCompletesAcceptedAppendsAndWakesReaders) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir);
  options.fsync = true;
  options.env = &env;
  auto log = MustOpen(options);
  StatusOr<std::vector<Record>> reader_result = std::vector<Record>{};
  std::thread reader([&] { reader_result = log->Read(0, 100, 10, 1 << 20, milliseconds(60000)); });
  env.CloseGate();
  std::atomic<int> ok{0};
  for (int i = 0; i < 5; ++i) {
    log->Append(0, {Payload(i)}, [&](StatusOr<uint64_t> r) { ok += r.ok(); });
  }
  env.WaitForBlockedSync();
  std::thread closer([&] { log->Close(); });
  std::this_thread::sleep_for(milliseconds(20));
  env.OpenGate();
  closer.join();
  reader.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(reader_result.status().code(), StatusCode::kUnavailable);
  Status after;
  log->Append(0, {"late"}, [&](StatusOr<uint64_t> r) { after = r.status(); });
  EXPECT_EQ(after.code(), StatusCode::kUnavailable);
  EXPECT_EQ(log->Read(0, 0, 1, 1, milliseconds(0)).status().code(), StatusCode::kUnavailable);
}

TEST(WalLog, CommitPastEndOrBadPartitionIsInvalidArgument) {
  TempDir dir;
  auto log = MustOpen(Options(dir, 2));
  ASSERT_TRUE(AppendAndWait(*log, 0, {"a", "b"}).ok());
  EXPECT_TRUE(log->Commit("c", 0, 2).ok());
  EXPECT_EQ(log->Commit("c", 0, 3).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Commit("c", 2, 0).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Commit("", 0, 0).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendAndWait(*log, 5, {"x"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Read(-1, 0, 1, 1, milliseconds(0)).status().code(), StatusCode::kInvalidArgument);
}

TEST(WalLog, PartitionForKeyIsStableFnv1a) {
  // Pinned values: changing the hash would move existing keys to other partitions.
  EXPECT_EQ(PartitionForKey("", 1000), static_cast<int>(0xcbf29ce484222325ULL % 1000));
  EXPECT_EQ(PartitionForKey("a", 1 << 30), static_cast<int>(0xaf63dc4c8601ec8cULL % (1 << 30)));
  EXPECT_EQ(PartitionForKey("anything", 1), 0);
  std::map<int, int> counts;
  for (int i = 0; i < 4000; ++i) counts[PartitionForKey("token:user-" + std::to_string(i), 4)]++;
  ASSERT_EQ(counts.size(), 4u);
  for (const auto& [partition, count] : counts) EXPECT_GT(count, 800) << partition;
}

}  // namespace
}  // namespace hoglet::log
