// UuidIndex: every key inserted is found with its number, absent keys are not, a key inserted
// twice keeps its first number, and prefetching changes nothing.
#include "base/uuid_index.h"

#include <gtest/gtest.h>

#include <optional>

namespace hoglet {
namespace {

Uuid Key(uint32_t n) {
  Uuid uuid;
  // Keys that differ only in a few bytes, as time-ordered UUIDs do.
  uuid.bytes[0] = 0x01;
  uuid.bytes[6] = static_cast<uint8_t>(n >> 16);
  uuid.bytes[7] = static_cast<uint8_t>(n >> 8);
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

TEST(UuidIndex, FindsWhatWasInsertedAndNothingElse) {
  UuidIndex index;
  EXPECT_EQ(index.Find(Key(1)), std::nullopt);
  index.Prefetch(Key(1));  // nothing to fetch yet
  for (uint32_t n = 0; n < 50'000; ++n) ASSERT_TRUE(index.Insert(Key(n), n * 3));
  EXPECT_EQ(index.size(), 50'000u);
  EXPECT_GE(index.bytes(), 2 * 50'000 * sizeof(Uuid));  // at most half full
  for (uint32_t n = 0; n < 50'000; ++n) {
    if (n + 8 < 50'000) index.Prefetch(Key(n + 8));
    ASSERT_EQ(index.Find(Key(n)), n * 3) << n;
  }
  for (uint32_t n = 50'000; n < 100'000; ++n) EXPECT_EQ(index.Find(Key(n)), std::nullopt) << n;
  EXPECT_EQ(index.Find(Uuid()), std::nullopt);
}

TEST(UuidIndex, ASecondInsertOfAKeyKeepsTheFirstNumber) {
  UuidIndex index;
  EXPECT_TRUE(index.Insert(Key(7), 0));
  EXPECT_FALSE(index.Insert(Key(7), 2));
  EXPECT_EQ(index.Find(Key(7)), 0u);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_TRUE(index.Insert(Uuid(), 3));  // the all-zero UUID is a key like any other
  EXPECT_EQ(index.Find(Uuid()), 3u);
}

}  // namespace
}  // namespace hoglet
