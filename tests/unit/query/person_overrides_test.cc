// PersonOverrides: the distinct ids merged into another person, found by id whatever the number
// of ids (its bit array grows with them), and nothing found for the ids not listed; the persons
// of a block's rows resolved through them, and their numbers kept with the block.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "base/uuid.h"
#include "query/event_persons.h"
#include "query/event_rows.h"
#include "store/block_cache.h"
#include "store/block_reader.h"
#include "store/event_order.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "tests/support/temp_dir.h"

namespace hoglet::query {
namespace {

Uuid PersonUuid(int n) {
  Uuid uuid;
  uuid.bytes[0] = static_cast<uint8_t>(n >> 8);
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

TEST(PersonOverrides, FindsEveryListedIdAndNoOther) {
  PersonOverrides overrides;
  EXPECT_EQ(overrides.Find("anon"), nullptr);
  for (int i = 0; i < 20000; ++i) overrides.Set("merged-" + std::to_string(i), PersonUuid(i));
  EXPECT_EQ(overrides.size(), 20000u);
  for (int i = 0; i < 20000; ++i) {
    const Uuid* person = overrides.Find("merged-" + std::to_string(i));
    ASSERT_NE(person, nullptr) << i;
    EXPECT_EQ(*person, PersonUuid(i));
  }
  for (int i = 0; i < 20000; ++i) {
    EXPECT_EQ(overrides.Find("kept-" + std::to_string(i)), nullptr) << i;
  }
  EXPECT_EQ(overrides.Find(""), nullptr);
}

TEST(PersonOverrides, ALaterSetOfAnIdReplacesItsPerson) {
  PersonOverrides overrides;
  overrides.Set("anon", PersonUuid(1));
  overrides.Set("anon", PersonUuid(2));
  ASSERT_NE(overrides.Find("anon"), nullptr);
  EXPECT_EQ(*overrides.Find("anon"), PersonUuid(2));
  EXPECT_EQ(overrides.size(), 1u);
}

TEST(PersonOverrides, ABlocksDictionaryIsResolvedOnceAndAgainAfterASet) {
  PersonOverrides overrides;
  overrides.Set("anon", PersonUuid(1));
  const std::vector<std::string> dictionary = {"user", "anon", "other"};
  auto first = overrides.ResolveDictionary(/*part_id=*/7, /*block=*/0, dictionary);
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0], nullptr);
  ASSERT_NE((*first)[1], nullptr);
  EXPECT_EQ(*(*first)[1], PersonUuid(1));
  EXPECT_EQ((*first)[2], nullptr);
  EXPECT_EQ(overrides.ResolveDictionary(7, 0, dictionary), first);  // remembered
  EXPECT_NE(overrides.ResolveDictionary(7, 1, dictionary), first);  // another block
  EXPECT_NE(overrides.ResolveDictionary(8, 0, dictionary), first);  // another part

  overrides.Set("other", PersonUuid(2));  // forgets what it resolved
  auto second = overrides.ResolveDictionary(7, 0, dictionary);
  ASSERT_NE((*second)[2], nullptr);
  EXPECT_EQ(*(*second)[2], PersonUuid(2));
  EXPECT_EQ((*first)[2], nullptr);  // a scan holding the earlier answer keeps it
}

// Two blocks of four rows: persons 1 and 2 (ids d1, d2), then person 3 (ids d3, d4); the part
// keeps its decoded blocks in `blocks` when given.
StatusOr<std::shared_ptr<store::Part>> TwoBlockPart(const std::string& path,
                                                    std::shared_ptr<store::BlockCache> blocks) {
  std::vector<store::Event> events;
  for (int i = 0; i < 8; ++i) {
    store::Event event;
    event.uuid = PersonUuid(100 + i);
    event.team_id = 1;
    event.event = "$pageview";
    event.distinct_id = "d" + std::to_string(i < 2 ? 1 : i < 4 ? 2 : i % 2 ? 3 : 4);
    event.person_id = PersonUuid(i < 2 ? 1 : i < 4 ? 2 : 3);
    event.timestamp_us = int64_t{1'700'000'000'000'000} + i;
    event.created_at_us = event.timestamp_us;
    event.properties = "{}";
    events.push_back(event);
  }
  std::sort(events.begin(), events.end(), store::StorageOrderLess);
  store::PartMeta meta;
  meta.part_id = 1;
  meta.team_id = 1;
  meta.day = store::DayOf(events.front().timestamp_us);
  store::PartWriterOptions options;
  options.block_rows = 4;
  options.fsync = false;
  HOGLET_ASSIGN_OR_RETURN(auto writer, store::PartWriter::Create(path, meta, options));
  for (const store::Event& event : events) HOGLET_RETURN_IF_ERROR(writer->Add(event));
  HOGLET_RETURN_IF_ERROR(writer->Finish());
  return store::Part::Open(fs::Env::Default(), path, std::move(blocks));
}

TEST(ResolveEventPersons, ABlockWithoutAMovedIdKeepsItsStoredPersonsUncopied) {
  hoglet::testing::TempDir dir;
  auto part = TwoBlockPart(dir.Join("p"), nullptr);
  ASSERT_TRUE(part.ok());
  store::PartCursor cursor(**part);

  PersonOverrides overrides;
  overrides.Set("d4", PersonUuid(9));  // merged into person 9
  const std::vector<const PersonOverrides*> given_overrides = {nullptr, &overrides};
  for (const PersonOverrides* given : given_overrides) {
    store::BlockReader first(**part, 0, &cursor);
    std::vector<Uuid> moved;
    auto persons = ResolveEventPersons(&first, given, &moved);
    ASSERT_TRUE(persons.ok());
    EXPECT_EQ(*persons, *first.PersonIds()) << "the block's own column, not a copy";
    EXPECT_TRUE(moved.empty());
  }
  store::BlockReader second(**part, 1, &cursor);
  std::vector<Uuid> moved;
  auto persons = ResolveEventPersons(&second, &overrides, &moved);
  ASSERT_TRUE(persons.ok());
  EXPECT_EQ(*persons, &moved);
  const store::DictStrings* ids = *second.DistinctIds();
  for (size_t row = 0; row < 4; ++row) {
    EXPECT_EQ(moved[row], PersonUuid(ids->at(row) == "d4" ? 9 : 3)) << ids->at(row);
  }
}

TEST(EventRows, PersonNumbersAreKeptWithTheBlockAndFollowTheOverrides) {
  hoglet::testing::TempDir dir;
  auto blocks = std::make_shared<store::BlockCache>(size_t{1} << 20);
  auto part = TwoBlockPart(dir.Join("p"), blocks);
  ASSERT_TRUE(part.ok());
  store::PartCursor cursor(**part);
  auto numbers_of = [&](const PersonOverrides& overrides, size_t block) {
    EventRowsContext context;
    context.overrides = &overrides;
    store::BlockReader reader(**part, block, &cursor);
    EventRows rows(&reader, context);
    auto numbers = rows.PersonNumbers();
    EXPECT_TRUE(numbers.ok());
    return *numbers;
  };

  PersonOverrides none;
  const std::vector<uint32_t>* first = numbers_of(none, 0);
  const std::vector<uint32_t>* second = numbers_of(none, 1);
  // Persons 1, 2 and 3 in the order met: 0, 1, 2.
  EXPECT_EQ(*first, (std::vector<uint32_t>{0, 0, 1, 1}));
  EXPECT_EQ(*second, (std::vector<uint32_t>{2, 2, 2, 2}));
  const size_t kept = blocks->entries();
  EXPECT_EQ(numbers_of(none, 1), second) << "kept in the block cache, not worked out again";
  EXPECT_EQ(blocks->entries(), kept);

  // Other overrides: d4 merged into person 9, a number of its own under them.
  PersonOverrides merged;
  merged.Set("d4", PersonUuid(9));
  const std::vector<uint32_t> moved = *numbers_of(merged, 1);
  const store::DictStrings* ids = nullptr;
  store::BlockReader reader(**part, 1, &cursor);
  ids = *reader.DistinctIds();
  for (size_t row = 0; row < 4; ++row) {
    EXPECT_EQ(moved[row], ids->at(row) == "d4" ? *merged.numbers().Number(PersonUuid(9))
                                               : *merged.numbers().Number(PersonUuid(3)))
        << ids->at(row);
  }
  EXPECT_NE(*merged.numbers().Number(PersonUuid(9)), *merged.numbers().Number(PersonUuid(3)));

  // A Set after the numbers were kept: they are worked out again under the overrides as they
  // now stand.
  none.Set("d4", PersonUuid(9));
  const std::vector<uint32_t> again = *numbers_of(none, 1);
  for (size_t row = 0; row < 4; ++row) {
    EXPECT_EQ(again[row], ids->at(row) == "d4" ? 3u : 2u) << ids->at(row);
  }
}

}  // namespace
}  // namespace hoglet::query
