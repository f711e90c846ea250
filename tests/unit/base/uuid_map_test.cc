// UuidMap and the UuidIndex it stands on: every key added is found with its value (number),
// absent keys are not, values keep their address as the map grows, a key added twice keeps its
// first value, prefetching changes nothing, and many keys found at once are found as one by
// one.
#include "base/uuid_map.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "base/uuid_index.h"

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

TEST(UuidMap, FindsWhatWasAddedAndNothingElse) {
  UuidMap<std::string> map;
  EXPECT_EQ(map.Find(Key(1)), nullptr);
  std::vector<const std::string*> addresses;
  for (uint32_t n = 0; n < 50'000; ++n) {
    auto [value, added] = map.TryEmplace(Key(n), "v" + std::to_string(n));
    ASSERT_TRUE(added);
    addresses.push_back(value);
  }
  EXPECT_EQ(map.size(), 50'000u);
  for (uint32_t n = 0; n < 50'000; ++n) {
    const std::string* value = map.Find(Key(n));
    ASSERT_NE(value, nullptr) << n;
    EXPECT_EQ(*value, "v" + std::to_string(n));
    EXPECT_EQ(value, addresses[n]) << "moved as the map grew";
  }
  for (uint32_t n = 50'000; n < 100'000; ++n) EXPECT_FALSE(map.contains(Key(n))) << n;
  EXPECT_FALSE(map.contains(Uuid()));
}

TEST(UuidMap, FindsManyAtOnceAsOneByOne) {
  UuidMap<int> map;
  for (uint32_t n = 0; n < 10'000; n += 2) map.TryEmplace(Key(n), static_cast<int>(n));
  std::vector<Uuid> keys;
  for (uint32_t n = 0; n < 1'000; ++n) keys.push_back(Key((n * 7919) % 10'003));
  std::vector<const int*> found(keys.size());
  map.FindMany(keys.data(), keys.size(), found.data());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(found[i], map.Find(keys[i])) << i;
  map.FindMany(keys.data(), 0, found.data());  // none asked: nothing written
}

TEST(UuidMap, ASecondAddOfAKeyKeepsTheFirstValue) {
  UuidMap<int> map;
  EXPECT_TRUE(map.TryEmplace(Key(7), 1).second);
  auto [value, added] = map.TryEmplace(Key(7), 2);
  EXPECT_FALSE(added);
  EXPECT_EQ(*value, 1);
  EXPECT_EQ(map.size(), 1u);
  EXPECT_TRUE(map.TryEmplace(Uuid(), 3).second);  // the all-zero UUID is a key like any other
  EXPECT_EQ(*map.Find(Uuid()), 3);
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
