#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <memory>

#include "log/wal_log.h"
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

WalOptions Options(const TempDir& dir, FaultEnv* env) {
  WalOptions options;
  options.dir = dir.Join("wal");
  options.partitions = 1;
  options.fsync = true;
  options.env = env;
  return options;
}

std::unique_ptr<EventLog> MustOpen(const WalOptions& options) {
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(log).value() : nullptr;
}

void ExpectPayloads(EventLog& log, const std::vector<std::string>& expected) {
  StatusOr<std::vector<Record>> all = ReadAll(log, 0);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*all)[i].offset, i);
    EXPECT_EQ((*all)[i].payload, expected[i]);
  }
}

uint64_t ActiveSegmentSize(const WalOptions& options) {
  return std::filesystem::file_size(SegmentFiles(options.dir + "/partition-000").back());
}

TEST(WalLog, WriteFailureIsUnavailableAndLaterAppendsSucceed) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir, &env);
  auto log = MustOpen(options);
  ASSERT_TRUE(AppendAndWait(*log, 0, {"a", "b"}).ok());
  const uint64_t durable_size = ActiveSegmentSize(options);

  env.fail_writes = true;  // disk full: half of the group is written, then ENOSPC
  StatusOr<uint64_t> failed = AppendAndWait(*log, 0, {"lost-1", "lost-2"});
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(ActiveSegmentSize(options), durable_size) << "half-written group must be cut off";
  EXPECT_EQ(log->EndOffset(0), 2u);

  env.fail_writes = false;  // space freed
  StatusOr<uint64_t> next = AppendAndWait(*log, 0, {"c"});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(*next, 2u);
  ExpectPayloads(*log, {"a", "b", "c"});
  log.reset();
  auto reopened = MustOpen(options);
  ExpectPayloads(*reopened, {"a", "b", "c"});
}

TEST(WalLog, SyncFailureFailsEveryAppendOfTheGroup) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir, &env);
  auto log = MustOpen(options);
  ASSERT_TRUE(AppendAndWait(*log, 0, {"a"}).ok());

  // Hold the writer in a sync so the next appends form one group, then make that group fail.
  env.CloseGate();
  log->Append(0, {"b"}, [](StatusOr<uint64_t>) {});
  env.WaitForBlockedSync();
  std::vector<std::shared_ptr<std::promise<Status>>> results;
  for (int i = 0; i < 5; ++i) {
    auto promise = std::make_shared<std::promise<Status>>();
    results.push_back(promise);
    log->Append(0, {"lost-" + std::to_string(i)},
                [promise](StatusOr<uint64_t> r) { promise->set_value(r.status()); });
  }
  env.fail_syncs = true;
  env.OpenGate();
  for (auto& promise : results) {
    EXPECT_EQ(promise->get_future().get().code(), StatusCode::kUnavailable);
  }
  env.fail_syncs = false;
  // The failed groups' records are invisible and their offsets are reused.
  StatusOr<uint64_t> next = AppendAndWait(*log, 0, {"c"});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(*next, 1u);
  ExpectPayloads(*log, {"a", "c"});
  log.reset();
  auto reopened = MustOpen(options);
  ExpectPayloads(*reopened, {"a", "c"});
}

TEST(WalLog, FailedTruncateIsRepairedBeforeTheNextWrite) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir, &env);
  auto log = MustOpen(options);
  ASSERT_TRUE(AppendAndWait(*log, 0, {"a"}).ok());
  env.fail_writes = true;
  env.fail_truncates = true;
  EXPECT_EQ(AppendAndWait(*log, 0, {"lost-lost-lost"}).status().code(), StatusCode::kUnavailable);
  env.fail_writes = false;
  // Still cannot remove the failed bytes: refuse rather than write after them.
  EXPECT_EQ(AppendAndWait(*log, 0, {"refused"}).status().code(), StatusCode::kUnavailable);
  env.fail_truncates = false;
  StatusOr<uint64_t> next = AppendAndWait(*log, 0, {"b"});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(*next, 1u);
  log.reset();
  auto reopened = MustOpen(options);
  ExpectPayloads(*reopened, {"a", "b"});
}

TEST(WalLog, SegmentThatCannotBeCreatedKeepsWritingInTheCurrentOne) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir, &env);
  options.segment_bytes = 100;
  auto log = MustOpen(options);
  ASSERT_TRUE(AppendAndWait(*log, 0, {std::string(200, 'a')}).ok());
  env.fail_creates = true;
  StatusOr<uint64_t> kept = AppendAndWait(*log, 0, {"b"});
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, 1u);
  EXPECT_EQ(SegmentFiles(options.dir + "/partition-000").size(), 1u);
  env.fail_creates = false;
  StatusOr<uint64_t> next = AppendAndWait(*log, 0, {"c"});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(*next, 2u);
  EXPECT_EQ(SegmentFiles(options.dir + "/partition-000").size(), 2u);
  log.reset();
  auto reopened = MustOpen(options);
  ExpectPayloads(*reopened, {std::string(200, 'a'), "b", "c"});
}

TEST(WalLog, FullDiskRefusesAnAppendBeforeWritingAnything) {
  TempDir dir;
  FaultEnv env(".seg");
  auto log = MustOpen(Options(dir, &env));
  int writes_before = env.writes.load();  // the segment header
  env.fail_allocates = true;
  StatusOr<uint64_t> refused = AppendAndWait(*log, 0, {"a", "b"});
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("nothing of this request was stored"),
            std::string::npos)
      << refused.status().message();
  EXPECT_EQ(env.writes.load(), writes_before);
  env.fail_allocates = false;
  StatusOr<uint64_t> next = AppendAndWait(*log, 0, {"c"});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(*next, 0u);
}

Status AppendAllAndWait(EventLog& log, std::vector<PartitionAppend> appends) {
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  log.AppendAll(std::move(appends), [promise](Status status) { promise->set_value(status); });
  return future.get();
}

TEST(WalLog, AppendAllStoresEveryPartOrNone) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir, &env);
  options.partitions = 3;
  auto log = MustOpen(options);
  // Partition 0 has blocks reserved ahead; partitions 1 and 2 have none yet.
  ASSERT_TRUE(AppendAndWait(*log, 0, {"first"}).ok());
  env.fail_allocates = true;
  Status refused = AppendAllAndWait(*log, {{2, {"c"}}, {0, {"a"}}, {1, {"b"}}});
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable) << refused.ToString();
  // Nothing of the request was stored, not even in partition 0, which had room.
  EXPECT_EQ(log->EndOffset(0), 1u);
  EXPECT_EQ(log->EndOffset(1), 0u);
  EXPECT_EQ(log->EndOffset(2), 0u);

  env.fail_allocates = false;
  ASSERT_TRUE(AppendAllAndWait(*log, {{2, {"c"}}, {0, {"a"}}, {1, {"b"}}}).ok());
  EXPECT_EQ(log->EndOffset(0), 2u);
  EXPECT_EQ(log->EndOffset(1), 1u);
  EXPECT_EQ(log->EndOffset(2), 1u);
  log.reset();
  auto reopened = MustOpen(options);
  StatusOr<std::vector<Record>> second = ReadAll(*reopened, 1);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].payload, "b");
}

TEST(WalLog, AppendAllOverThePendingLimitStoresNothing) {
  TempDir dir;
  FaultEnv env(".seg");
  WalOptions options = Options(dir, &env);
  options.partitions = 2;
  options.max_pending_bytes = 4096;
  auto log = MustOpen(options);
  env.CloseGate();  // the first append's sync waits, so its bytes stay pending
  log->Append(1, {std::string(3000, 'x')}, [](StatusOr<uint64_t>) {});
  env.WaitForBlockedSync();
  Status refused = AppendAllAndWait(*log, {{0, {"a"}}, {1, {std::string(2000, 'y')}}});
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted) << refused.ToString();
  env.OpenGate();
  StatusOr<uint64_t> after = AppendAndWait(*log, 0, {"b"});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, 0u) << "partition 0 stored part of the refused request";
}

}  // namespace
}  // namespace hoglet::log
