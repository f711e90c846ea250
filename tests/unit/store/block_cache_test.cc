#include "store/block_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/block_reader.h"
#include "store/event_order.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/test_events.h"

namespace hoglet::store {
namespace {

using testing::kDay0Us;
using testing::MakeEvent;

using Column = std::vector<int64_t>;

// A decoder of `values` that counts its calls.
std::function<StatusOr<Column>()> Counting(Column values, int* calls) {
  return [values = std::move(values), calls]() -> StatusOr<Column> {
    ++*calls;
    return values;
  };
}

TEST(BlockCache, KeepsADecodedColumnAndHandsItOutAgain) {
  BlockCache cache(1 << 20);
  int calls = 0;
  StatusOr<std::shared_ptr<const Column>> first =
      cache.Get<Column>(1, 0, "timestamp", Counting({1, 2, 3}, &calls));
  ASSERT_TRUE(first.ok());
  StatusOr<std::shared_ptr<const Column>> again =
      cache.Get<Column>(1, 0, "timestamp", Counting({9}, &calls));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(again->get(), first->get());
  EXPECT_EQ(**again, (Column{1, 2, 3}));
  // Another block, part or column is another entry.
  ASSERT_TRUE(cache.Get<Column>(1, 1, "timestamp", Counting({4}, &calls)).ok());
  ASSERT_TRUE(cache.Get<Column>(2, 0, "timestamp", Counting({5}, &calls)).ok());
  ASSERT_TRUE(cache.Get<Column>(1, 0, "created_at", Counting({6}, &calls)).ok());
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(cache.entries(), 4u);
  EXPECT_EQ(cache.bytes(), 3 * DecodedBytes(Column{4}) + DecodedBytes(Column{1, 2, 3}));
}

TEST(BlockCache, OnceFullOneNewColumnInSomeIsKeptAndTheLeastRecentlyUsedLeavesForIt) {
  const Column column(100, 7);
  const size_t each = DecodedBytes(column);
  BlockCache cache(each * 16);  // a column is a sixteenth: kept
  int calls = 0;
  for (size_t block = 0; block < 16; ++block) {
    ASSERT_TRUE(cache.Get<Column>(1, block, "timestamp", Counting(column, &calls)).ok());
  }
  EXPECT_EQ(cache.entries(), 16u);
  ASSERT_TRUE(cache.Get<Column>(1, 0, "timestamp", Counting(column, &calls)).ok());  // used again
  const size_t last = 16 + BlockCache::kKeepOneIn - 1;
  for (size_t block = 16; block <= last; ++block) {
    ASSERT_TRUE(cache.Get<Column>(1, block, "timestamp", Counting(column, &calls)).ok());
    EXPECT_EQ(cache.entries(), 16u);
    EXPECT_LE(cache.bytes(), cache.capacity());
  }
  calls = 0;
  ASSERT_TRUE(cache.Get<Column>(1, last, "timestamp", Counting(column, &calls)).ok());
  EXPECT_EQ(calls, 0) << "the last new column was kept";
  ASSERT_TRUE(cache.Get<Column>(1, 0, "timestamp", Counting(column, &calls)).ok());
  EXPECT_EQ(calls, 0) << "block 0 was used more recently than block 1";
  ASSERT_TRUE(cache.Get<Column>(1, 2, "timestamp", Counting(column, &calls)).ok());
  EXPECT_EQ(calls, 0) << "block 2 stays";
  ASSERT_TRUE(cache.Get<Column>(1, 1, "timestamp", Counting(column, &calls)).ok());
  EXPECT_EQ(calls, 1) << "block 1 was the least recently used";
  ASSERT_TRUE(cache.Get<Column>(1, 17, "timestamp", Counting(column, &calls)).ok());
  EXPECT_EQ(calls, 2) << "the other new columns were not kept";
}

TEST(BlockCache, RepeatedScansOverMoreBlocksThanItHoldsFindMostOfWhatItHolds) {
  const Column column(100, 7);
  BlockCache cache(DecodedBytes(column) * 16);
  int calls = 0;
  constexpr size_t kBlocks = 32;  // twice what it holds
  for (int scan = 0; scan < 4; ++scan) {
    calls = 0;
    for (size_t block = 0; block < kBlocks; ++block) {
      ASSERT_TRUE(cache.Get<Column>(1, block, "timestamp", Counting(column, &calls)).ok());
    }
    if (scan == 0) {
      EXPECT_EQ(calls, static_cast<int>(kBlocks));
    } else {
      // Least recently used first would decode every block of every scan.
      EXPECT_LE(calls, static_cast<int>(kBlocks / 2 + 2)) << "scan " << scan;
    }
  }
}

TEST(BlockCache, KeepsNothingTooLargeAndNothingAtCapacityZero) {
  const Column column(100, 7);
  BlockCache small(DecodedBytes(column) * 15);  // a column is more than a sixteenth
  BlockCache none(0);
  for (BlockCache* cache : {&small, &none}) {
    int calls = 0;
    for (int i = 0; i < 2; ++i) {
      StatusOr<std::shared_ptr<const Column>> got =
          cache->Get<Column>(1, 0, "timestamp", Counting(column, &calls));
      ASSERT_TRUE(got.ok());
      EXPECT_EQ(**got, column);
    }
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(cache->entries(), 0u);
    EXPECT_EQ(cache->bytes(), 0u);
  }
}

TEST(BlockCache, AnErrorIsReturnedAndNotKept) {
  BlockCache cache(1 << 20);
  StatusOr<std::shared_ptr<const Column>> failed = cache.Get<Column>(
      1, 0, "timestamp", [] { return StatusOr<Column>(DataLossError("block 0 is corrupt")); });
  EXPECT_EQ(failed.status().code(), StatusCode::kDataLoss);
  int calls = 0;
  ASSERT_TRUE(cache.Get<Column>(1, 0, "timestamp", Counting({1}, &calls)).ok());
  EXPECT_EQ(calls, 1);
}

TEST(BlockCache, ForgetDropsEveryColumnOfOnePartOnly) {
  BlockCache cache(1 << 20);
  int calls = 0;
  for (uint64_t part : {1, 2, 3}) {
    for (size_t block = 0; block < 3; ++block) {
      ASSERT_TRUE(cache.Get<Column>(part, block, "timestamp", Counting({1}, &calls)).ok());
      ASSERT_TRUE(cache.Get<Column>(part, block, "created_at", Counting({1}, &calls)).ok());
    }
  }
  const size_t bytes = cache.bytes();
  cache.Forget(2);
  EXPECT_EQ(cache.entries(), 12u);
  EXPECT_EQ(cache.bytes(), bytes / 3 * 2);
  calls = 0;
  ASSERT_TRUE(cache.Get<Column>(1, 2, "created_at", Counting({1}, &calls)).ok());
  ASSERT_TRUE(cache.Get<Column>(3, 0, "timestamp", Counting({1}, &calls)).ok());
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(cache.Get<Column>(2, 1, "timestamp", Counting({1}, &calls)).ok());
  EXPECT_EQ(calls, 1);
}

// A part of 20 events in blocks of 8 rows, opened with `cache`.
std::shared_ptr<Part> WritePart(const hoglet::testing::TempDir& dir,
                                std::shared_ptr<BlockCache> cache) {
  std::vector<Event> events;
  for (int i = 0; i < 20; ++i) {
    events.push_back(MakeEvent(1, static_cast<uint64_t>(i + 1), kDay0Us + i * 1000,
                               "{\"$browser\":\"" + std::string(i % 2 ? "Chrome" : "Safari") +
                                   "\",\"price\":" + std::to_string(i) + "}",
                               i % 3 ? "$pageview" : "paid", 1 + i % 4));
  }
  std::sort(events.begin(), events.end(), StorageOrderLess);
  PartMeta meta;
  meta.part_id = 1;
  meta.team_id = 1;
  meta.day = DayOf(kDay0Us);
  PartWriterOptions options;
  options.block_rows = 8;
  options.fsync = false;
  auto writer = PartWriter::Create(dir.Join("p"), meta, options);
  EXPECT_TRUE(writer.ok());
  for (const Event& e : events) EXPECT_TRUE((*writer)->Add(e).ok());
  EXPECT_TRUE((*writer)->Finish().ok());
  StatusOr<std::shared_ptr<Part>> part =
      Part::Open(fs::Env::Default(), dir.Join("p"), std::move(cache));
  EXPECT_TRUE(part.ok()) << part.status().ToString();
  return *part;
}

// Every column a scan may take from the cache, read through a BlockReader of `block`.
struct BlockColumns {
  std::vector<int64_t> timestamps;
  std::vector<std::string> events;
  std::vector<Uuid> persons;
  std::vector<std::string> browsers;

  friend bool operator==(const BlockColumns&, const BlockColumns&) = default;
};

StatusOr<BlockColumns> ReadBlock(const Part& part, size_t block) {
  PartCursor cursor(part);
  BlockReader reader(part, block, &cursor);
  BlockColumns out;
  HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, reader.Timestamps());
  out.timestamps = *timestamps;
  HOGLET_ASSIGN_OR_RETURN(const DictStrings* events, reader.EventNames());
  for (size_t row = 0; row < events->size(); ++row) out.events.push_back(events->at(row));
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, reader.PersonIds());
  out.persons = *persons;
  HOGLET_ASSIGN_OR_RETURN(const PropertyColumnData* browsers, reader.Property("$browser"));
  for (size_t row = 0; row < browsers->rows(); ++row) {
    out.browsers.push_back(browsers->Get(row)->text);
  }
  HOGLET_ASSIGN_OR_RETURN(const PropertyColumnData* absent, reader.Property("no_such_key"));
  if (absent != nullptr) return InternalError("a key no event has came back as a column");
  return out;
}

TEST(BlockCache, APartsScansReadTheSameColumnsFromTheCacheAndItsFilesNoMore) {
  hoglet::testing::TempDir dir;
  auto cache = std::make_shared<BlockCache>(1 << 20);
  std::shared_ptr<Part> cached = WritePart(dir, cache);
  StatusOr<std::shared_ptr<Part>> uncached = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(uncached.ok());
  for (size_t block = 0; block < 3; ++block) {
    StatusOr<BlockColumns> from_files = ReadBlock(**uncached, block);
    ASSERT_TRUE(from_files.ok()) << from_files.status().ToString();
    EXPECT_EQ(from_files->timestamps.size(), block < 2 ? 8u : 4u);
    StatusOr<BlockColumns> first = ReadBlock(*cached, block);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(*first, *from_files);
  }
  EXPECT_EQ(cache->entries(), 3u * 4u);  // timestamp, event, person_id, property:$browser

  // The files spoilt: the part without a cache finds out, the cached part's scans read on.
  for (const ColumnMeta& column : cached->meta().columns) {
    std::fstream file(dir.Join("p") + "/" + column.file,
                      std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(file);
    file.write(std::string(column.end, '\x5a').data(), static_cast<std::streamsize>(column.end));
  }
  EXPECT_EQ(ReadBlock(**uncached, 0).status().code(), StatusCode::kDataLoss);
  StatusOr<BlockColumns> again = ReadBlock(*cached, 0);
  ASSERT_TRUE(again.ok()) << again.status().ToString();

  cached.reset();
  EXPECT_EQ(cache->entries(), 0u) << "a part's columns go with it";
  EXPECT_EQ(cache->bytes(), 0u);
}

}  // namespace
}  // namespace hoglet::store
