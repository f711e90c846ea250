// PersonOverrides: the distinct ids merged into another person, found by id whatever the number
// of ids (its bit array grows with them), and nothing found for the ids not listed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/uuid.h"
#include "query/event_persons.h"

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

}  // namespace
}  // namespace hoglet::query
