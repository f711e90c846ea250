#include "persons/person_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hoglet::persons {
namespace {

constexpr int64_t kTeam = 1;

// Puts `count` persons whose properties are about `properties_bytes` long; returns their uuids
// in the order they were put.
std::vector<Uuid> PutPersons(PersonCache& cache, int count, size_t properties_bytes) {
  std::vector<Uuid> uuids;
  for (int i = 0; i < count; ++i) {
    Person person;
    person.team_id = kTeam;
    person.uuid = Uuid::V7(i + 1);
    person.properties = R"({"v":")" + std::string(properties_bytes, 'x') + R"("})";
    cache.PutPerson(person);
    uuids.push_back(person.uuid);
  }
  return uuids;
}

TEST(PersonCache, EntryCountBoundsEachMap) {
  PersonCache cache(2);
  std::vector<Uuid> uuids = PutPersons(cache, 3, 10);
  EXPECT_EQ(cache.Stats().person_entries, 2u);
  EXPECT_EQ(cache.FindPerson(kTeam, uuids[0]), nullptr);
  EXPECT_NE(cache.FindPerson(kTeam, uuids[2]), nullptr);
}

TEST(PersonCache, ByteBoundEvictsLeastRecentlyUsedPersons) {
  PersonCache cache(1000, 1 << 20);
  std::vector<Uuid> uuids = PutPersons(cache, 10, 300 << 10);
  PersonCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.person_entries, 3u);  // 3 × 300 KiB fit in 1 MiB, 4 do not
  EXPECT_LE(stats.approximate_bytes, size_t{1} << 20);
  EXPECT_NE(cache.FindPerson(kTeam, uuids[9]), nullptr);
  EXPECT_EQ(cache.FindPerson(kTeam, uuids[6]), nullptr);
}

TEST(PersonCache, EntryLargerThanTheBoundIsKeptAlone) {
  PersonCache cache(1000, 1 << 10);
  PutPersons(cache, 1, 100);
  std::vector<Uuid> big = PutPersons(cache, 1, 4 << 10);
  EXPECT_EQ(cache.Stats().person_entries, 1u);
  EXPECT_NE(cache.FindPerson(kTeam, big[0]), nullptr);
}

}  // namespace
}  // namespace hoglet::persons
