// Persons' current properties and creation times as queries read them from the person store: a
// block's persons loaded in one read, then answered from memory; with only some keys kept,
// persons sharing their kept values share one set, and a query that read every person leaves
// them for the next.
#include "api/query_persons.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/fake_person_store.h"

namespace hoglet::api {
namespace {

Uuid PersonUuid(int n) {
  Uuid uuid;
  uuid.bytes[0] = 0x51;
  uuid.bytes[14] = static_cast<uint8_t>(n >> 8);
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

class StoredPersonPropertiesTest : public ::testing::Test {
 protected:
  void AddPerson(int n, std::string properties, int64_t team_id = 1) {
    persons::Person person;
    person.team_id = team_id;
    person.uuid = PersonUuid(n);
    person.properties = std::move(properties);
    store_.persons.push_back(person);
  }

  // The text of `key` in the properties Of gives; "-" when it has none, the error otherwise.
  std::string Read(StoredPersonProperties& properties, int n, const std::string& key) {
    StatusOr<const filters::Properties*> read = properties.Of(PersonUuid(n));
    if (!read.ok()) return read.status().ToString();
    auto found = (*read)->find(key);
    return found != (*read)->end() ? found->second.ToText() : "-";
  }

  hoglet::testing::FakePersonStore store_;
};

TEST_F(StoredPersonPropertiesTest, LoadedPersonsAreAnsweredWithoutAskingTheStoreAgain) {
  AddPerson(1, R"({"plan": "pro"})");
  AddPerson(2, R"({"plan": "free"})");
  AddPerson(3, "not json");
  AddPerson(4, R"({"plan": "other team"})", /*team_id=*/2);
  StoredPersonProperties properties(store_, 1);
  ASSERT_TRUE(properties
                  .Load({PersonUuid(1), PersonUuid(2), PersonUuid(1), PersonUuid(3), PersonUuid(4),
                         PersonUuid(5)})
                  .ok());
  store_.fail = true;  // every read from now on must come from memory
  EXPECT_EQ(Read(properties, 1, "plan"), "pro");
  EXPECT_EQ(Read(properties, 2, "plan"), "free");
  EXPECT_EQ(Read(properties, 3, "plan"), "-");  // not a JSON object: no properties
  EXPECT_EQ(Read(properties, 4, "plan"), "-");  // another project's person
  EXPECT_EQ(Read(properties, 5, "plan"), "-");  // no record (personless events)
  EXPECT_TRUE(properties.Load({PersonUuid(2), PersonUuid(5)}).ok());  // nothing left to read
}

TEST_F(StoredPersonPropertiesTest, PersonsNotLoadedAreReadOneByOneAndStoreErrorsPass) {
  AddPerson(1, R"({"plan": "pro"})");
  StoredPersonProperties properties(store_, 1);
  EXPECT_EQ(Read(properties, 1, "plan"), "pro");
  store_.fail = true;
  EXPECT_EQ(Read(properties, 1, "plan"), "pro");
  EXPECT_EQ(properties.Load({PersonUuid(2)}).code(), StatusCode::kUnavailable);
  EXPECT_NE(Read(properties, 2, "plan"), "-");
}

TEST_F(StoredPersonPropertiesTest, KeepOnlyReadsTheKeptKeysOfEachPerson) {
  AddPerson(1, R"({"plan": "pro", "email": "a@x.com", "country": "FR", "plan": "team"})");
  AddPerson(2, R"({"plan": NaN, "email": "b@x.com", "big": 123456789012345678901234567890})");
  AddPerson(3, R"({"email": "c@x.com"})");
  StoredPersonProperties properties(store_, 1);
  properties.KeepOnly({"country", "plan"});
  ASSERT_TRUE(properties.Load({PersonUuid(1), PersonUuid(2)}).ok());
  EXPECT_EQ(Read(properties, 1, "plan"), "team");  // a repeated key keeps its last value
  EXPECT_EQ(Read(properties, 1, "country"), "FR");
  EXPECT_EQ(Read(properties, 1, "email"), "-");  // not kept
  // Not strict JSON: read as ParseProperties reads it (NaN is null), then only the kept keys.
  StatusOr<const filters::Properties*> second = properties.Of(PersonUuid(2));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ((*second)->size(), 1u);
  EXPECT_EQ((*second)->at("plan").kind, filters::PropertyValue::Kind::kNull);
  EXPECT_EQ(Read(properties, 3, "email"), "-");  // read one by one: kept keys only too
}

// Loads persons 0…n-1 as scans of blocks do, 1024 at a time.
Status LoadFirst(StoredPersonProperties& properties, int n) {
  for (int begin = 0; begin < n; begin += 1024) {
    std::vector<Uuid> block;
    for (int i = begin; i < std::min(n, begin + 1024); ++i) block.push_back(PersonUuid(i));
    HOGLET_RETURN_IF_ERROR(properties.Load(block));
  }
  return Status::Ok();
}

TEST_F(StoredPersonPropertiesTest, AQueryReadingManyOfTheTeamsPersonsReadsThemAllInOrder) {
  // 20 000 persons: past 4096 looked up by uuid, 4096 × 8 ≥ 20 000.
  for (int n = 0; n < 20'000; ++n) AddPerson(n, R"({"plan": "p)" + std::to_string(n) + R"("})");
  AddPerson(1, R"({"plan": "other team"})", /*team_id=*/2);
  StoredPersonProperties properties(store_, 1);
  properties.KeepOnly({"plan"});
  ASSERT_TRUE(LoadFirst(properties, 3072).ok());
  EXPECT_EQ(store_.scans, 0);
  ASSERT_TRUE(LoadFirst(properties, 4096).ok());
  EXPECT_EQ(store_.scans, 1);
  EXPECT_EQ(store_.uuid_reads, 3);  // the fourth block was read in the scan
  store_.fail = true;               // everyone is in memory
  EXPECT_EQ(Read(properties, 19'999, "plan"), "p19999");
  EXPECT_EQ(Read(properties, 3500, "plan"), "p3500");
  EXPECT_EQ(Read(properties, 30'000, "plan"), "-");  // no record
  EXPECT_TRUE(LoadFirst(properties, 30'000).ok());
}

TEST_F(StoredPersonPropertiesTest, AQueryReadingFewOfTheTeamsPersonsOrEveryKeyReadsThemByUuid) {
  for (int n = 0; n < 40'000; ++n) AddPerson(n, R"({"plan": "free"})");
  StoredPersonProperties few(store_, 1);
  few.KeepOnly({"plan"});
  ASSERT_TRUE(LoadFirst(few, 4096).ok());  // 4096 × 8 < 40 000
  StoredPersonProperties every_key(store_, 1);
  ASSERT_TRUE(LoadFirst(every_key, 8192).ok());  // all of a person's properties: not kept for all
  EXPECT_EQ(store_.scans, 0);
  store_.fail = true;
  EXPECT_EQ(Read(few, 4095, "plan"), "free");
  EXPECT_NE(Read(few, 4096, "plan"), "free");  // not read yet: asks the store
}

TEST_F(StoredPersonPropertiesTest, AQueryThatReadAllPersonsLeavesThemForTheNextOfTheSameKeys) {
  for (int n = 0; n < 20'000; ++n) AddPerson(n, R"({"plan": "p)" + std::to_string(n % 3) + R"("})");
  store_.data_version = 7;
  PersonPropertiesCache cache;
  {
    StoredPersonProperties first(store_, 1, &cache);
    first.KeepOnly({"plan"});
    ASSERT_TRUE(LoadFirst(first, 4096).ok());
    EXPECT_EQ(store_.scans, 1);
  }
  EXPECT_EQ(cache.entries(), 1u);
  store_.fail = true;  // the next query of the same keys reads nothing from the store
  StoredPersonProperties second(store_, 1, &cache);
  second.KeepOnly({"plan", "plan"});
  ASSERT_TRUE(LoadFirst(second, 30'000).ok());
  EXPECT_EQ(Read(second, 19'999, "plan"), "p1");
  EXPECT_EQ(Read(second, 30'000, "plan"), "-");  // no record
  // Persons with the same kept values share one set of properties.
  EXPECT_EQ(*second.Of(PersonUuid(0)), *second.Of(PersonUuid(3)));
  EXPECT_NE(*second.Of(PersonUuid(0)), *second.Of(PersonUuid(1)));

  StoredPersonProperties other_keys(store_, 1, &cache);  // other keys: not in the cache
  other_keys.KeepOnly({"email"});
  EXPECT_EQ(other_keys.Load({PersonUuid(1)}).code(), StatusCode::kUnavailable);
  StoredPersonProperties other_team(store_, 2, &cache);
  other_team.KeepOnly({"plan"});
  EXPECT_EQ(other_team.Load({PersonUuid(1)}).code(), StatusCode::kUnavailable);

  // A change to the project's persons: the next query reads them again, and keeps the new read.
  store_.fail = false;
  store_.persons[3].properties = R"({"plan": "changed"})";
  store_.data_version = 8;
  StoredPersonProperties after_change(store_, 1, &cache);
  after_change.KeepOnly({"plan"});
  ASSERT_TRUE(LoadFirst(after_change, 4096).ok());
  EXPECT_EQ(store_.scans, 2);
  EXPECT_EQ(Read(after_change, 3, "plan"), "changed");
  EXPECT_EQ(cache.entries(), 1u);  // the version-7 table is gone
}

TEST_F(StoredPersonPropertiesTest, AQueryThatReadFewPersonsLeavesNothingInTheCache) {
  for (int n = 0; n < 40'000; ++n) AddPerson(n, R"({"plan": "free"})");
  store_.data_version = 1;
  PersonPropertiesCache cache;
  StoredPersonProperties few(store_, 1, &cache);
  few.KeepOnly({"plan"});
  ASSERT_TRUE(LoadFirst(few, 4096).ok());
  EXPECT_EQ(Read(few, 5000, "plan"), "free");
  EXPECT_EQ(cache.entries(), 0u);
}

TEST(KeptPersonPropertiesTest, PersonsWithTheSameKeptValuesShareOneSet) {
  KeptPersonProperties kept({"plan", "n", "email", "plan"});
  EXPECT_EQ(kept.keys(), (std::vector<std::string>{"email", "n", "plan"}));
  const filters::Properties* pro =
      kept.Add(PersonUuid(1), R"({"plan": "pro", "name": "Ada", "n": 5})");
  EXPECT_EQ(kept.Add(PersonUuid(2), R"({"n": 5, "plan": "pro", "name": "Bo"})"), pro);
  EXPECT_EQ(pro->size(), 2u);  // name is not kept
  // Values differ by kind or by literal: other sets.
  EXPECT_NE(kept.Add(PersonUuid(3), R"({"plan": "pro", "n": 5.0})"), pro);
  EXPECT_NE(kept.Add(PersonUuid(4), R"({"plan": "pro", "n": "5"})"), pro);
  EXPECT_NE(kept.Add(PersonUuid(5), R"({"plan": "pro"})"), pro);
  // A person's set stays what it was added with.
  EXPECT_EQ(kept.Add(PersonUuid(1), R"({"plan": "free"})"), pro);
  EXPECT_EQ(kept.Find(PersonUuid(1)), pro);
  // No record, no kept key and not a JSON object: the one empty set.
  const filters::Properties* none = kept.AddNone(PersonUuid(6));
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(kept.Add(PersonUuid(7), R"({"name": "Cy"})"), none);
  EXPECT_EQ(kept.Add(PersonUuid(8), "[1, 2]"), none);
  EXPECT_EQ(kept.Find(PersonUuid(9)), nullptr);
  EXPECT_EQ(kept.persons(), 8u);
  EXPECT_EQ(kept.distinct_sets(), 5u);
  EXPECT_GT(kept.ApproximateBytes(), 8 * sizeof(Uuid));
}

TEST(PersonPropertiesCacheTest, KeepsAtMostItsBoundOfTablesDroppingTheLeastRecentlyUsed) {
  PersonPropertiesCache cache;
  auto table = [](std::vector<std::string> keys) {
    auto kept = std::make_shared<KeptPersonProperties>(std::move(keys));
    kept->Add(PersonUuid(1), R"({"plan": "pro"})");
    return kept;
  };
  for (int64_t team = 1; team <= 8; ++team) cache.Put(team, 1, table({"plan"}));
  ASSERT_NE(cache.Find(1, {"plan"}, 1), nullptr);  // team 1 is now the most recently used
  cache.Put(9, 1, table({"plan"}));
  EXPECT_EQ(cache.entries(), PersonPropertiesCache::kMaxEntries);
  EXPECT_NE(cache.Find(1, {"plan"}, 1), nullptr);
  EXPECT_EQ(cache.Find(2, {"plan"}, 1), nullptr);   // the least recently used went
  EXPECT_EQ(cache.Find(9, {"plan"}, 2), nullptr);   // another version
  EXPECT_EQ(cache.Find(9, {"email"}, 1), nullptr);  // other keys
  // A project keeps a table per set of keys, of one version.
  cache.Put(9, 1, table({"email"}));
  EXPECT_NE(cache.Find(9, {"plan"}, 1), nullptr);
  EXPECT_NE(cache.Find(9, {"email"}, 1), nullptr);
  cache.Put(9, 2, table({"plan"}));
  EXPECT_EQ(cache.Find(9, {"email"}, 1), nullptr);
  EXPECT_NE(cache.Find(9, {"plan"}, 2), nullptr);
  EXPECT_GT(cache.bytes(), 0u);
}

// Persons 0…n-1 of team 1, person k created at 1000 + k.
void AddCreatedPersons(int n, hoglet::testing::FakePersonStore* store) {
  for (int k = 0; k < n; ++k) {
    persons::Person person;
    person.team_id = 1;
    person.uuid = PersonUuid(k);
    person.created_at_us = 1000 + k;
    store->persons.push_back(person);
  }
}

TEST(StoredPersonCreationTest, AQueryReadingManyOfTheTeamsPersonsReadsThemAllInOrder) {
  hoglet::testing::FakePersonStore store;
  AddCreatedPersons(20'000, &store);
  StoredPersonCreation creation(store, 1);
  for (int begin = 0; begin < 4096; begin += 1024) {
    std::vector<Uuid> block;
    for (int i = begin; i < begin + 1024; ++i) block.push_back(PersonUuid(i));
    ASSERT_TRUE(creation.Load(block).ok());
  }
  EXPECT_EQ(store.scans, 1);  // 4096 looked up × 8 ≥ 20 000
  store.fail = true;
  EXPECT_EQ(*creation.CreatedAtUs(PersonUuid(19'999)), 1000 + 19'999);
  EXPECT_EQ(*creation.CreatedAtUs(PersonUuid(30'000)), std::nullopt);  // no record
  std::vector<std::optional<int64_t>> many;
  ASSERT_TRUE(creation.CreatedAtMany({PersonUuid(7), PersonUuid(30'000)}, &many).ok());
  EXPECT_EQ(many, (std::vector<std::optional<int64_t>>{1007, std::nullopt}));
  EXPECT_TRUE(creation.Load({PersonUuid(25'000)}).ok());
}

TEST(StoredPersonCreationTest, AQueryThatReadAllPersonsLeavesThemForTheNext) {
  hoglet::testing::FakePersonStore store;
  AddCreatedPersons(20'000, &store);
  store.data_version = 7;
  PersonCreationCache cache;
  auto load_first = [](StoredPersonCreation& creation, int n) {
    for (int begin = 0; begin < n; begin += 1024) {
      std::vector<Uuid> block;
      for (int i = begin; i < std::min(n, begin + 1024); ++i) block.push_back(PersonUuid(i));
      HOGLET_RETURN_IF_ERROR(creation.Load(block));
    }
    return Status::Ok();
  };
  {
    StoredPersonCreation few(store, 1, &cache);
    ASSERT_TRUE(load_first(few, 1024).ok());  // read by uuid: nothing kept
    EXPECT_EQ(cache.entries(), 0u);
    StoredPersonCreation first(store, 1, &cache);
    ASSERT_TRUE(load_first(first, 4096).ok());
    EXPECT_EQ(store.scans, 1);
  }
  EXPECT_EQ(cache.entries(), 1u);
  store.fail = true;  // the next query reads nothing from the store
  StoredPersonCreation second(store, 1, &cache);
  ASSERT_TRUE(load_first(second, 30'000).ok());
  EXPECT_EQ(*second.CreatedAtUs(PersonUuid(19'999)), 1000 + 19'999);
  EXPECT_EQ(*second.CreatedAtUs(PersonUuid(30'000)), std::nullopt);  // no record
  std::vector<std::optional<int64_t>> many;
  ASSERT_TRUE(
      second.CreatedAtMany({PersonUuid(30'000), PersonUuid(5), PersonUuid(19'999)}, &many).ok());
  EXPECT_EQ(many, (std::vector<std::optional<int64_t>>{std::nullopt, 1005, 1000 + 19'999}));
  StoredPersonCreation other_team(store, 2, &cache);
  EXPECT_EQ(other_team.Load({PersonUuid(1)}).code(), StatusCode::kUnavailable);

  // A change to the project's persons: the next query reads them again, and keeps the new read.
  store.fail = false;
  store.persons[3].created_at_us = 5;
  store.data_version = 8;
  StoredPersonCreation after_change(store, 1, &cache);
  ASSERT_TRUE(load_first(after_change, 4096).ok());
  EXPECT_EQ(store.scans, 2);
  EXPECT_EQ(*after_change.CreatedAtUs(PersonUuid(3)), 5);
  EXPECT_EQ(cache.entries(), 1u);  // the version-7 table is gone
}

}  // namespace
}  // namespace hoglet::api
