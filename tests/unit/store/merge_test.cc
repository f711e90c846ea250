#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "store/block_reader.h"
#include "store/columnar_store.h"
#include "store/event_order.h"
#include "store/merger.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/scan_source.h"
#include "store/store_layout.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"
#include "tests/unit/store/test_events.h"

namespace hoglet::store {
namespace {

using namespace hoglet::store::testing;  // NOLINT: test helpers

std::vector<Event> Batch(uint64_t first, size_t count, int64_t base_us) {
  std::vector<Event> events;
  for (size_t i = 0; i < count; ++i) {
    uint64_t n = first + i;
    std::string props = n % 3 == 0 ? R"({"k":"v)" + std::to_string(n) + R"("})"
                                   : R"({"k":)" + std::to_string(n) + "}";
    events.push_back(
        MakeEvent(1, n, base_us + static_cast<int64_t>((n * 7919) % 100000), props, "e", n % 5));
  }
  return events;
}

// Waits until `day_dir` holds at most `parts` part directories (merges settle).
bool WaitForParts(const std::string& day_dir, size_t parts) {
  for (int i = 0; i < 1000; ++i) {
    if (EntriesWithPrefix(day_dir, "part-").size() <= parts) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

void ExpectEachOnce(const std::vector<Event>& got, uint64_t count) {
  std::set<Uuid> seen;
  for (const Event& e : got) EXPECT_TRUE(seen.insert(e.uuid).second) << "duplicate event";
  EXPECT_EQ(seen.size(), count);
}

TEST(Merge, BackgroundMergeFoldsSmallPartsIntoOneSortedPart) {
  hoglet::testing::TempDir dir;
  ColumnarStoreOptions options = TestOptions(dir.path());
  options.merge_threads = 1;
  options.merge_min_parts = 3;
  options.block_rows = 16;
  std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  {
    auto store = OpenOrDie(options);
    for (uint64_t b = 0; b < 3; ++b) {
      ASSERT_TRUE(store->Append(Batch(b * 40, 40, kDay0Us), {2, b + 1}).ok());
    }
    ASSERT_TRUE(WaitForParts(day_dir, 1));
    std::vector<Event> all = List(*store, AllOf(1));
    ExpectEachOnce(all, 120);
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), NewerFirst));
    EXPECT_EQ(store->DurableOffset(2), 3u);
  }
  std::set<std::string> parts = EntriesWithPrefix(day_dir, "part-");
  ASSERT_EQ(parts.size(), 1u);
  auto part = Part::Open(fs::Env::Default(), day_dir + "/" + *parts.begin());
  ASSERT_TRUE(part.ok());
  EXPECT_EQ((*part)->meta().row_count, 120u);
  EXPECT_EQ((*part)->meta().replaces.size(), 3u);
  PartCursor cursor(**part);
  std::vector<Event> rows;
  for (size_t b = 0; b < 8; ++b) {
    auto events = cursor.ReadEvents(b);
    ASSERT_TRUE(events.ok());
    rows.insert(rows.end(), events->begin(), events->end());
  }
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), StorageOrderLess));

  auto store = OpenOrDie(TestOptions(dir.path()));
  ExpectEachOnce(List(*store, AllOf(1)), 120);
  EXPECT_EQ(store->DurableOffset(2), 3u);
}

// Reads the timestamps of every block of the snapshot's parts; the number of blocks read.
size_t ReadTimestamps(const ScanSnapshot& snapshot) {
  size_t blocks = 0;
  for (const auto& part : snapshot.parts) {
    auto index = part->TimestampIndex();
    EXPECT_TRUE(index.ok());
    PartCursor cursor(*part);
    for (size_t b = 0; b < (*index)->blocks.size(); ++b, ++blocks) {
      BlockReader reader(*part, b, &cursor);
      EXPECT_TRUE(reader.Timestamps().ok());
    }
  }
  return blocks;
}

TEST(Merge, ThePartsOfAStoreShareOneBlockCacheAndAMergedPartsColumnsLeaveIt) {
  hoglet::testing::TempDir dir;
  ColumnarStoreOptions options = TestOptions(dir.path());
  options.block_rows = 16;
  options.block_cache_bytes = 1 << 20;
  std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  {
    auto store = OpenOrDie(options);
    for (uint64_t b = 0; b < 3; ++b) {
      ASSERT_TRUE(store->Append(Batch(b * 40, 40, kDay0Us), {2, b + 1}).ok());
    }
    auto snapshot = store->scan_source()->Snapshot(1, kDay0Us, kDay0Us + 100000);
    ASSERT_TRUE(snapshot.ok());
    ASSERT_EQ(snapshot->parts.size(), 3u);
    BlockCache* cache = snapshot->parts.front()->blocks();
    ASSERT_NE(cache, nullptr);
    for (const auto& part : snapshot->parts) EXPECT_EQ(part->blocks(), cache);
    EXPECT_EQ(cache->entries(), ReadTimestamps(*snapshot));
  }
  // Parts found at open share the cache too; once merged away, their columns go.
  options.merge_threads = 1;
  options.merge_min_parts = 3;
  auto store = OpenOrDie(options);
  ASSERT_TRUE(WaitForParts(day_dir, 1));
  auto snapshot = store->scan_source()->Snapshot(1, kDay0Us, kDay0Us + 100000);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->parts.size(), 1u);
  BlockCache* cache = snapshot->parts.front()->blocks();
  ASSERT_NE(cache, nullptr);
  EXPECT_EQ(cache->entries(), 0u);
  EXPECT_EQ(ReadTimestamps(*snapshot), 8u);
  EXPECT_EQ(cache->entries(), 8u);

  options.block_cache_bytes = 0;
  store.reset();
  store = OpenOrDie(options);
  snapshot = store->scan_source()->Snapshot(1, kDay0Us, kDay0Us + 100000);
  ASSERT_TRUE(snapshot.ok());
  ReadTimestamps(*snapshot);
  EXPECT_EQ(snapshot->parts.front()->blocks()->entries(), 0u) << "a cache of 0 bytes keeps none";
}

TEST(Merge, CrashBetweenPublishAndDeleteDoesNotDuplicate) {
  hoglet::testing::TempDir dir;
  std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  {
    auto store = OpenOrDie(TestOptions(dir.path()));
    for (uint64_t b = 0; b < 4; ++b) {
      ASSERT_TRUE(store->Append(Batch(b * 10, 10, kDay0Us), {0, b + 1}).ok());
    }
  }
  // Publish a merged part the way a merge does, then "crash" before the sources are removed.
  std::vector<std::shared_ptr<const Part>> sources;
  for (const std::string& name : EntriesWithPrefix(day_dir, "part-")) {
    auto part = Part::Open(fs::Env::Default(), day_dir + "/" + name);
    ASSERT_TRUE(part.ok());
    sources.push_back(*part);
  }
  ASSERT_EQ(sources.size(), 4u);
  PartMeta meta;
  meta.part_id = 1000;
  meta.team_id = 1;
  meta.day = DayOf(kDay0Us);
  meta.positions = MergedPositions(sources);
  for (const auto& p : sources) meta.replaces.push_back(p->meta().part_id);
  PartWriterOptions writer_options;
  writer_options.fsync = false;
  auto writer = PartWriter::Create(day_dir + "/" + TmpPartDirName(1000), meta, writer_options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(MergeParts(sources, writer->get(), nullptr).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  ASSERT_TRUE(PublishPart(fs::Env::Default(), day_dir + "/" + TmpPartDirName(1000),
                          day_dir + "/" + PartDirName(1000), false)
                  .ok());
  sources.clear();
  ASSERT_EQ(EntriesWithPrefix(day_dir, "part-").size(), 5u);

  auto store = OpenOrDie(TestOptions(dir.path()));
  ExpectEachOnce(List(*store, AllOf(1)), 40);
  EXPECT_EQ(store->DurableOffset(0), 4u);
  EXPECT_EQ(EntriesWithPrefix(day_dir, "part-"), std::set<std::string>{PartDirName(1000)});
  // New appends get ids after the merged part's.
  ASSERT_TRUE(store->Append(Batch(500, 1, kDay0Us), {0, 5}).ok());
  EXPECT_EQ(EntriesWithPrefix(day_dir, "part-").size(), 2u);
}

TEST(Merge, ObsoletePartDirectoryOutlivesItsLastReader) {
  hoglet::testing::TempDir dir;
  {
    auto store = OpenOrDie(TestOptions(dir.path()));
    ASSERT_TRUE(store->Append(Batch(0, 5, kDay0Us), {0, 1}).ok());
  }
  std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  std::string path = day_dir + "/" + *EntriesWithPrefix(day_dir, "part-").begin();
  auto part = Part::Open(fs::Env::Default(), path);
  ASSERT_TRUE(part.ok());
  std::shared_ptr<const Part> reader = *part;
  part->reset();
  reader->MarkObsolete();
  PartCursor cursor(*reader);
  EXPECT_TRUE(cursor.ReadEvents(0).ok());
  EXPECT_TRUE(std::filesystem::exists(path));
  reader.reset();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Merge, ConcurrentAppendListAndMergeNeverLoseOrDuplicate) {
  hoglet::testing::TempDir dir;
  ColumnarStoreOptions options = TestOptions(dir.path());
  options.merge_threads = 2;
  options.merge_min_parts = 2;
  options.merge_max_parts = 4;
  options.block_rows = 64;
  auto store = OpenOrDie(options);
  constexpr uint64_t kBatches = 60;
  constexpr size_t kPerBatch = 50;
  std::atomic<bool> done{false};
  std::atomic<int> reader_failures{0};
  std::thread reader([&] {
    size_t last = 0;
    while (!done.load()) {
      auto events = store->ListEvents(AllOf(1));
      if (!events.ok()) {
        ++reader_failures;
        continue;
      }
      std::set<Uuid> seen;
      for (const Event& e : *events) {
        if (!seen.insert(e.uuid).second) ++reader_failures;  // a duplicate
      }
      if (events->size() < last) ++reader_failures;  // an event vanished
      last = events->size();
      EventQuery q = AllOf(1, 10);
      q.properties = EventFilters(R"([{"key":"k","operator":"gt","value":100}])");
      if (!store->ListEvents(q).ok()) ++reader_failures;
    }
  });
  for (uint64_t b = 0; b < kBatches; ++b) {
    // Two days per batch, so merges run on both while appends continue.
    int64_t base = b % 2 ? kDay0Us : kDay0Us + kDayUs;
    ASSERT_TRUE(store->Append(Batch(b * kPerBatch, kPerBatch, base), {0, b + 1}).ok());
  }
  ASSERT_TRUE(WaitForParts(DayDir(dir.path(), 1, DayOf(kDay0Us)), 1));
  ASSERT_TRUE(WaitForParts(DayDir(dir.path(), 1, DayOf(kDay0Us + kDayUs)), 1));
  done.store(true);
  reader.join();
  EXPECT_EQ(reader_failures.load(), 0);
  ExpectEachOnce(List(*store, AllOf(1)), kBatches * kPerBatch);
  store->Close();
  store.reset();
  auto reopened = OpenOrDie(TestOptions(dir.path()));
  ExpectEachOnce(List(*reopened, AllOf(1)), kBatches * kPerBatch);
  EXPECT_EQ(reopened->DurableOffset(0), kBatches);
}

}  // namespace
}  // namespace hoglet::store
