// The store's crash paths under injected file-system faults (tests/support/fault_env.h): a part
// write cut short by a full disk, fsync, rename and directory-sync failures, and a full disk
// during a merge. Whatever fails, nothing acknowledged is lost, nothing half-written is visible,
// and the next open succeeds and cleans up.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "store/columnar_store.h"
#include "store/event_order.h"
#include "store/store_layout.h"
#include "tests/support/fault_env.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"
#include "tests/unit/store/test_events.h"

namespace hoglet::store {
namespace {

using namespace hoglet::store::testing;  // NOLINT: test helpers
using ::hoglet::testing::FaultEnv;

std::vector<Event> Batch(uint64_t first, size_t count) {
  std::vector<Event> events;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t n = first + i;
    events.push_back(MakeEvent(1, n, kDay0Us + static_cast<int64_t>(n) * 1000,
                               R"({"n":)" + std::to_string(n) + "}", "e", n % 5));
  }
  return events;
}

std::set<Uuid> Uuids(const std::vector<Event>& events) {
  std::set<Uuid> out;
  for (const Event& e : events) out.insert(e.uuid);
  return out;
}

ColumnarStoreOptions FaultOptions(const std::string& dir, FaultEnv* env) {
  ColumnarStoreOptions options = TestOptions(dir);
  options.fsync = true;  // the sync faults need syncs
  options.env = env;
  return options;
}

// Appends batch A, fails batch B with `inject` switched on, and checks the store (and a reopened
// one) holds exactly A, with no unfinished part left behind.
void ExpectFailedAppendLeavesNothing(FaultEnv& env, std::atomic<bool>& inject) {
  hoglet::testing::TempDir dir;
  const std::vector<Event> a = Batch(0, 40);
  const std::vector<Event> b = Batch(100, 40);
  {
    auto store = OpenOrDie(FaultOptions(dir.path(), &env));
    ASSERT_TRUE(store->Append(a, {0, 1}).ok());
    inject.store(true);
    Status failed = store->Append(b, {0, 2});
    inject.store(false);
    EXPECT_EQ(failed.code(), StatusCode::kUnavailable) << failed.ToString();
    EXPECT_EQ(store->DurableOffset(0), 1u);
    EXPECT_EQ(Uuids(List(*store, AllOf(1))), Uuids(a));
  }
  auto reopened = OpenOrDie(TestOptions(dir.path()));
  EXPECT_EQ(Uuids(List(*reopened, AllOf(1))), Uuids(a));
  EXPECT_EQ(reopened->DurableOffset(0), 1u);
  EXPECT_TRUE(EntriesWithPrefix(DayDir(dir.path(), 1, DayOf(kDay0Us)), std::string(kTmpPartPrefix))
                  .empty());
  // The log redelivers B: it lands once.
  ASSERT_TRUE(reopened->Append(b, {0, 2}).ok());
  std::set<Uuid> both = Uuids(a);
  for (const Uuid& u : Uuids(b)) both.insert(u);
  EXPECT_EQ(Uuids(List(*reopened, AllOf(1))), both);
}

TEST(StoreFaults, DiskFullDuringAPartWrite) {
  FaultEnv env("/columns");
  ExpectFailedAppendLeavesNothing(env, env.fail_writes);
}

TEST(StoreFaults, FsyncFailureOfThePartsColumnFile) {
  FaultEnv env("/columns");
  ExpectFailedAppendLeavesNothing(env, env.fail_syncs);
}

TEST(StoreFaults, FailureToCreateThePartsColumnFile) {
  FaultEnv env("/columns");
  ExpectFailedAppendLeavesNothing(env, env.fail_creates);
}

TEST(StoreFaults, RenameFailureWhilePublishing) {
  FaultEnv env;
  ExpectFailedAppendLeavesNothing(env, env.fail_renames);
}

TEST(StoreFaults, DirectorySyncFailure) {
  FaultEnv env;
  ExpectFailedAppendLeavesNothing(env, env.fail_dir_syncs);
}

TEST(StoreFaults, DiskFullDuringAMergeKeepsThePartsAndTheNextOpenMerges) {
  hoglet::testing::TempDir dir;
  std::set<Uuid> all;
  {
    auto store = OpenOrDie(TestOptions(dir.path()));  // no merges yet
    for (uint64_t i = 0; i < 3; ++i) {
      std::vector<Event> batch = Batch(i * 100, 30);
      for (const Uuid& u : Uuids(batch)) all.insert(u);
      ASSERT_TRUE(store->Append(batch, {0, i + 1}).ok());
    }
  }
  const std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  ASSERT_EQ(EntriesWithPrefix(day_dir, "part-").size(), 3u);

  FaultEnv env("/columns");
  env.fail_writes.store(true);
  {
    ColumnarStoreOptions options = FaultOptions(dir.path(), &env);
    options.merge_threads = 1;
    options.merge_min_parts = 2;
    auto store = OpenOrDie(options);  // recovery queues the day; its merge hits the full disk
    for (int i = 0; i < 2000 && env.writes.load() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_GT(env.writes.load(), 0) << "the merge never wrote";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(Uuids(List(*store, AllOf(1))), all);
    EXPECT_EQ(store->DurableOffset(0), 3u);
  }
  EXPECT_EQ(EntriesWithPrefix(day_dir, "part-").size(), 3u);

  env.fail_writes.store(false);
  ColumnarStoreOptions options = FaultOptions(dir.path(), &env);
  options.merge_threads = 1;
  options.merge_min_parts = 2;
  auto store = OpenOrDie(options);
  for (int i = 0; i < 2000 && EntriesWithPrefix(day_dir, "part-").size() > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(EntriesWithPrefix(day_dir, "part-").size(), 1u);
  EXPECT_EQ(Uuids(List(*store, AllOf(1))), all);
  EXPECT_TRUE(EntriesWithPrefix(day_dir, std::string(kTmpPartPrefix)).empty());
}

}  // namespace
}  // namespace hoglet::store
