// The PersonStore contract (persons/person_store.h) as value-parameterized tests. An
// implementation runs them by instantiating the suite with a factory that opens it over a
// directory (see person_store_contract_test.cc):
//
//   INSTANTIATE_TEST_SUITE_P(Postgres, PersonStoreContract,
//                            ::testing::Values(PersonStoreFactory{"Postgres", OpenMine}),
//                            PersonStoreFactoryName);
//
// Each test gets a fresh temporary directory; Reopen() drops the store and opens the factory
// again over the same directory, which is how durability is checked. Only the interface is used.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "persons/person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::persons::contract {

struct PersonStoreFactory {
  std::string name;
  // Opens the implementation over `dir`: empty the first time, the previous data on a reopen.
  std::function<StatusOr<std::unique_ptr<PersonStore>>(const std::string& dir)> open;
};

inline void PrintTo(const PersonStoreFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string PersonStoreFactoryName(
    const ::testing::TestParamInfo<PersonStoreFactory>& info) {
  return info.param.name;
}

class PersonStoreContract : public ::testing::TestWithParam<PersonStoreFactory> {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    auto opened = GetParam().open(dir_.path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = *std::move(opened);
  }
  void Reopen() {
    store_.reset();
    Open();
  }

  static Uuid PersonUuid(uint64_t n) {
    Uuid u;
    u.bytes[0] = 0x70;
    u.bytes[6] = 0x40;  // looks like a v4
    for (int i = 0; i < 8; ++i) u.bytes[15 - i] = static_cast<uint8_t>(n >> (8 * i));
    return u;
  }
  static Person MakePerson(int64_t team, uint64_t n, std::vector<std::string> distinct_ids,
                           std::string properties = "{}", int64_t created_at_us = 1000) {
    Person p;
    p.uuid = PersonUuid(n);
    p.team_id = team;
    p.properties = std::move(properties);
    p.created_at_us = created_at_us;
    p.distinct_ids = std::move(distinct_ids);
    return p;
  }

  std::unique_ptr<Transaction> Begin() {
    auto txn = store_->Begin();
    EXPECT_TRUE(txn.ok()) << txn.status().ToString();
    return txn.ok() ? *std::move(txn) : nullptr;
  }
  // Creates the persons in one committed transaction.
  void Create(const std::vector<Person>& persons) {
    auto txn = Begin();
    ASSERT_NE(txn, nullptr);
    for (const Person& p : persons) ASSERT_TRUE(txn->CreatePerson(p).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  std::optional<Person> ByDistinctId(int64_t team, std::string_view distinct_id) {
    auto person = store_->PersonByDistinctId(team, distinct_id);
    EXPECT_TRUE(person.ok()) << person.status().ToString();
    return person.ok() ? *person : std::nullopt;
  }
  std::optional<Person> ByUuid(int64_t team, const Uuid& uuid) {
    auto person = store_->PersonByUuid(team, uuid);
    EXPECT_TRUE(person.ok()) << person.status().ToString();
    return person.ok() ? *person : std::nullopt;
  }
  std::vector<Uuid> ListUuids(PersonListQuery query) {
    auto persons = store_->ListPersons(query);
    EXPECT_TRUE(persons.ok()) << persons.status().ToString();
    std::vector<Uuid> out;
    if (persons.ok()) {
      for (const Person& p : *persons) out.push_back(p.uuid);
    }
    return out;
  }
  static PersonListQuery Query(int64_t team, size_t limit = 100, size_t offset = 0) {
    PersonListQuery q;
    q.team_id = team;
    q.limit = limit;
    q.offset = offset;
    return q;
  }
  std::vector<DistinctIdMapping> Overrides(int64_t team) {
    auto overrides = store_->DistinctIdOverrides(team);
    EXPECT_TRUE(overrides.ok()) << overrides.status().ToString();
    return overrides.ok() ? *overrides : std::vector<DistinctIdMapping>();
  }

  hoglet::testing::TempDir dir_;
  std::unique_ptr<PersonStore> store_;
};

// --- Persons and distinct ids ---

TEST_P(PersonStoreContract, ACommittedPersonIsFoundByEachDistinctIdAndByUuid) {
  Create({MakePerson(1, 1, {"a", "b"}, R"({"email":"a@x.io"})")});
  for (const char* id : {"a", "b"}) {
    std::optional<Person> found = ByDistinctId(1, id);
    ASSERT_TRUE(found.has_value()) << id;
    EXPECT_EQ(found->uuid, PersonUuid(1));
    EXPECT_EQ(found->properties, R"({"email":"a@x.io"})");
  }
  std::optional<Person> by_uuid = ByUuid(1, PersonUuid(1));
  ASSERT_TRUE(by_uuid.has_value());
  EXPECT_EQ(by_uuid->distinct_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(ByDistinctId(1, "c").has_value());
}

TEST_P(PersonStoreContract, PropertiesByUuidReadsEveryKnownPersonOfTheTeamOnce) {
  // More persons than one statement of an implementation is likely to ask for.
  std::vector<Person> created;
  for (uint64_t n = 1; n <= 250; ++n) {
    created.push_back(
        MakePerson(1, n, {"id-" + std::to_string(n)}, R"({"n":)" + std::to_string(n) + "}"));
  }
  created.push_back(MakePerson(2, 1000, {"other"}, R"({"team":2})"));
  Create(created);
  std::vector<Uuid> asked;
  for (uint64_t n = 250; n >= 1; --n) asked.push_back(PersonUuid(n));
  asked.push_back(PersonUuid(7));     // twice
  asked.push_back(PersonUuid(999));   // nobody
  asked.push_back(PersonUuid(1000));  // another team's
  auto rows = store_->PersonPropertiesByUuid(1, asked);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::map<Uuid, std::string> by_uuid;
  for (const PersonPropertiesRow& row : *rows) {
    EXPECT_TRUE(by_uuid.emplace(row.uuid, row.properties).second) << row.uuid.ToString();
  }
  ASSERT_EQ(by_uuid.size(), 250u);
  for (uint64_t n = 1; n <= 250; ++n) {
    EXPECT_EQ(by_uuid[PersonUuid(n)], R"({"n":)" + std::to_string(n) + "}") << n;
  }
  auto none = store_->PersonPropertiesByUuid(1, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(PersonStoreContract, CreatedAtByUuidReadsEveryKnownPersonOfTheTeamOnce) {
  std::vector<Person> created;
  for (uint64_t n = 1; n <= 250; ++n) {
    created.push_back(MakePerson(1, n, {"id-" + std::to_string(n)}, "{}",
                                 1'700'000'000'000'000 + static_cast<int64_t>(n)));
  }
  created.push_back(MakePerson(2, 1000, {"other"}, "{}", 5));
  Create(created);
  std::vector<Uuid> asked;
  for (uint64_t n = 250; n >= 1; --n) asked.push_back(PersonUuid(n));
  asked.push_back(PersonUuid(7));     // twice
  asked.push_back(PersonUuid(999));   // nobody
  asked.push_back(PersonUuid(1000));  // another team's
  auto rows = store_->PersonCreatedAtByUuid(1, asked);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::map<Uuid, int64_t> by_uuid;
  for (const PersonCreatedRow& row : *rows) {
    EXPECT_TRUE(by_uuid.emplace(row.uuid, row.created_at_us).second) << row.uuid.ToString();
  }
  ASSERT_EQ(by_uuid.size(), 250u);
  for (uint64_t n = 1; n <= 250; ++n) {
    EXPECT_EQ(by_uuid[PersonUuid(n)], 1'700'000'000'000'000 + static_cast<int64_t>(n)) << n;
  }
  auto none = store_->PersonCreatedAtByUuid(1, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(PersonStoreContract, PropertiesByUuidSeesUpdatesAndLeavesOutMergedPersons) {
  Create({MakePerson(1, 1, {"a"}, R"({"plan":"free"})"), MakePerson(1, 2, {"b"})});
  auto txn = Begin();
  ASSERT_TRUE(txn->UpdatePerson(MakePerson(1, 1, {"a"}, R"({"plan":"pro"})")).ok());
  ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(2), PersonUuid(1)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto rows = store_->PersonPropertiesByUuid(1, {PersonUuid(1), PersonUuid(2)});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].uuid, PersonUuid(1));
  EXPECT_EQ((*rows)[0].properties, R"({"plan":"pro"})");
}

TEST_P(PersonStoreContract, ScanReadsEveryPersonOfTheTeamOnceInChunks) {
  std::vector<Person> created;
  const uint64_t count = kPersonScanChunk + 50;
  for (uint64_t n = 1; n <= count; ++n) {
    created.push_back(MakePerson(1, n, {"id-" + std::to_string(n)},
                                 R"({"n":)" + std::to_string(n) + "}", static_cast<int64_t>(n)));
  }
  created.push_back(MakePerson(2, count + 1, {"other"}));
  Create(created);
  auto txn = Begin();
  ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(2), PersonUuid(1)).ok());
  ASSERT_TRUE(txn->Commit().ok());

  std::map<Uuid, std::string> by_uuid;
  size_t chunks = 0;
  Status scanned =
      store_->ScanPersonProperties(1, [&](const std::vector<PersonPropertiesRow>& rows) {
        ++chunks;
        EXPECT_LE(rows.size(), kPersonScanChunk);
        for (const PersonPropertiesRow& row : rows) {
          EXPECT_TRUE(by_uuid.emplace(row.uuid, row.properties).second) << row.uuid.ToString();
        }
        return Status::Ok();
      });
  ASSERT_TRUE(scanned.ok()) << scanned.ToString();
  EXPECT_GE(chunks, 2u);
  ASSERT_EQ(by_uuid.size(), count - 1);  // person 2 was merged away
  EXPECT_FALSE(by_uuid.contains(PersonUuid(2)));
  EXPECT_EQ(by_uuid[PersonUuid(count)], R"({"n":)" + std::to_string(count) + "}");
  std::map<Uuid, int64_t> created_at;
  Status times = store_->ScanPersonCreatedAt(1, [&](const std::vector<PersonCreatedRow>& rows) {
    EXPECT_LE(rows.size(), kPersonScanChunk);
    for (const PersonCreatedRow& row : rows) {
      EXPECT_TRUE(created_at.emplace(row.uuid, row.created_at_us).second);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(times.ok()) << times.ToString();
  ASSERT_EQ(created_at.size(), count - 1);
  EXPECT_EQ(created_at[PersonUuid(count)], static_cast<int64_t>(count));
  EXPECT_EQ(*store_->PersonCount(1), count - 1);
  EXPECT_EQ(*store_->PersonCount(2), 1u);
  EXPECT_EQ(*store_->PersonCount(3), 0u);

  Status stopped = store_->ScanPersonProperties(
      1, [](const std::vector<PersonPropertiesRow>&) { return UnavailableError("stop"); });
  EXPECT_EQ(stopped.code(), StatusCode::kUnavailable);
}

TEST_P(PersonStoreContract, ATransactionReadsItsOwnWrites) {
  auto txn = Begin();
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, 1, {"a"})).ok());
  auto found = txn->PersonByDistinctId(1, "a");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->uuid, PersonUuid(1));
}

TEST_P(PersonStoreContract, CreatingAPersonWithAMappedDistinctIdIsAlreadyExists) {
  Create({MakePerson(1, 1, {"a"})});
  auto txn = Begin();
  Status status = txn->CreatePerson(MakePerson(1, 2, {"a"}));
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
}

TEST_P(PersonStoreContract, WritesOfATransactionNeverCommittedAreRolledBack) {
  Create({MakePerson(1, 1, {"a"})});
  uint64_t version = store_->DataVersion(1);
  {
    auto txn = Begin();
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, 2, {"b"})).ok());
    ASSERT_TRUE(txn->SetDistinctId(1, "a", PersonUuid(2)).ok());
    ASSERT_TRUE(txn->MarkPersonlessDistinctId(1, "p").ok());
    ASSERT_TRUE(txn->AddWarning(IngestionWarning{1, "w", "{}", 5}).ok());
    ASSERT_TRUE(txn->GroupTypeIndex(1, "company").ok());
  }
  EXPECT_FALSE(ByDistinctId(1, "b").has_value());
  ASSERT_TRUE(ByDistinctId(1, "a").has_value());
  EXPECT_EQ(ByDistinctId(1, "a")->uuid, PersonUuid(1));
  EXPECT_TRUE(store_->ListWarnings(1, 10)->empty());
  EXPECT_TRUE(store_->GroupTypes(1)->empty());
  auto txn = Begin();
  EXPECT_FALSE(*txn->IsPersonlessDistinctId(1, "p"));
  EXPECT_FALSE(txn->PersonByDistinctId(1, "b")->has_value());
  EXPECT_EQ((*txn->PersonByDistinctId(1, "a"))->uuid, PersonUuid(1));
  EXPECT_EQ(store_->DataVersion(1), version);
}

TEST_P(PersonStoreContract, ReadsOutsideATransactionSeeOnlyCommittedWrites) {
  auto txn = Begin();
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, 1, {"a"})).ok());
  std::optional<Person> during;
  std::thread reader([&] { during = ByDistinctId(1, "a"); });
  reader.join();
  EXPECT_FALSE(during.has_value());
  ASSERT_TRUE(txn->Commit().ok());
  std::thread after([&] { during = ByDistinctId(1, "a"); });
  after.join();
  EXPECT_TRUE(during.has_value());
}

TEST_P(PersonStoreContract, UpdatePersonReplacesPropertiesIdentificationCreationAndVersion) {
  Create({MakePerson(1, 1, {"a"})});
  Person changed = MakePerson(1, 1, {"a"}, R"({"plan":"pro"})", 500);
  changed.is_identified = true;
  changed.version = 3;
  auto txn = Begin();
  ASSERT_TRUE(txn->UpdatePerson(changed).ok());
  ASSERT_TRUE(txn->Commit().ok());
  std::optional<Person> found = ByUuid(1, PersonUuid(1));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->properties, R"({"plan":"pro"})");
  EXPECT_TRUE(found->is_identified);
  EXPECT_EQ(found->created_at_us, 500);
  EXPECT_EQ(found->version, 3);
}

TEST_P(PersonStoreContract, UpdatingAnUnknownPersonIsNotFound) {
  auto txn = Begin();
  Status status = txn->UpdatePerson(MakePerson(1, 9, {}));
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
}

TEST_P(PersonStoreContract, MovingADistinctIdMakesItAnOverrideWithVersionOne) {
  Create({MakePerson(1, 1, {"a"}), MakePerson(1, 2, {"b"})});
  EXPECT_TRUE(Overrides(1).empty());
  auto txn = Begin();
  ASSERT_TRUE(txn->SetDistinctId(1, "a", PersonUuid(2)).ok());
  ASSERT_TRUE(txn->SetDistinctId(1, "c", PersonUuid(2)).ok());  // new: version 0
  ASSERT_TRUE(txn->Commit().ok());
  auto mappings = store_->DistinctIdMappings(1, PersonUuid(2));
  ASSERT_TRUE(mappings.ok());
  ASSERT_EQ(mappings->size(), 3u);
  EXPECT_EQ((*mappings)[0].distinct_id, "a");
  EXPECT_EQ((*mappings)[0].version, 1);
  EXPECT_EQ((*mappings)[1].distinct_id, "b");
  EXPECT_EQ((*mappings)[1].version, 0);
  EXPECT_EQ((*mappings)[2].distinct_id, "c");
  EXPECT_EQ((*mappings)[2].version, 0);
  std::vector<DistinctIdMapping> overrides = Overrides(1);
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0].distinct_id, "a");
  EXPECT_EQ(overrides[0].person_uuid, PersonUuid(2));
}

TEST_P(PersonStoreContract, PointingADistinctIdAtItsOwnPersonAgainKeepsItsVersion) {
  Create({MakePerson(1, 1, {"a"})});
  auto txn = Begin();
  ASSERT_TRUE(txn->SetDistinctId(1, "a", PersonUuid(1)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto mappings = store_->DistinctIdMappings(1, PersonUuid(1));
  ASSERT_TRUE(mappings.ok());
  ASSERT_EQ(mappings->size(), 1u);
  EXPECT_EQ((*mappings)[0].version, 0);
}

// --- Merges ---

TEST_P(PersonStoreContract, MergeMovesEveryDistinctIdAndDeletesTheSource) {
  Create({MakePerson(1, 1, {"a", "a2"}), MakePerson(1, 2, {"b"})});
  auto txn = Begin();
  ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(1), PersonUuid(2)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_FALSE(ByUuid(1, PersonUuid(1)).has_value());
  for (const char* id : {"a", "a2", "b"}) {
    ASSERT_TRUE(ByDistinctId(1, id).has_value()) << id;
    EXPECT_EQ(ByDistinctId(1, id)->uuid, PersonUuid(2)) << id;
  }
  std::vector<DistinctIdMapping> overrides = Overrides(1);
  ASSERT_EQ(overrides.size(), 2u);
  EXPECT_EQ(overrides[0].version, 1);
  EXPECT_EQ(overrides[1].version, 1);
}

TEST_P(PersonStoreContract, AMergeIsVisibleToTheNextReadOnAnotherThread) {
  Create({MakePerson(1, 1, {"a"}), MakePerson(1, 2, {"b"})});
  ASSERT_EQ(ByDistinctId(1, "a")->uuid, PersonUuid(1));  // warm any cache
  auto txn = Begin();
  ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(1), PersonUuid(2)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  std::optional<Person> seen;
  std::vector<DistinctIdMapping> overrides;
  std::thread reader([&] {
    seen = ByDistinctId(1, "a");
    overrides = Overrides(1);
  });
  reader.join();
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->uuid, PersonUuid(2));
  EXPECT_EQ(overrides.size(), 1u);
}

TEST_P(PersonStoreContract, MergingAnUnknownPersonIsNotFound) {
  Create({MakePerson(1, 2, {"b"})});
  auto txn = Begin();
  Status status = txn->MergePersonInto(1, PersonUuid(1), PersonUuid(2));
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
}

TEST_P(PersonStoreContract, MergeMovesFlagStateAndTheSurvivorKeepsItsOwnOnConflict) {
  Create({MakePerson(1, 1, {"a"}), MakePerson(1, 2, {"b"})});
  ASSERT_TRUE(store_->AddHashKeyOverrides(1, PersonUuid(1), {"f1", "f2"}, "from-a").ok());
  ASSERT_TRUE(store_->AddHashKeyOverrides(1, PersonUuid(2), {"f2"}, "from-b").ok());
  ASSERT_TRUE(store_->AddPersonsToStaticCohort(1, 7, {PersonUuid(1)}).ok());
  ASSERT_TRUE(store_->AddPersonsToStaticCohort(1, 8, {PersonUuid(1), PersonUuid(2)}).ok());
  auto txn = Begin();
  ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(1), PersonUuid(2)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto overrides = store_->HashKeyOverrides(1, PersonUuid(2));
  ASSERT_TRUE(overrides.ok());
  EXPECT_EQ(*overrides,
            (std::unordered_map<std::string, std::string>{{"f1", "from-a"}, {"f2", "from-b"}}));
  EXPECT_EQ(*store_->StaticCohortsOf(1, PersonUuid(2)), (std::vector<int64_t>{7, 8}));
  EXPECT_EQ(*store_->StaticCohortSize(1, 8), 1u);
  EXPECT_TRUE(store_->HashKeyOverrides(1, PersonUuid(1))->empty());
}

// --- Deletion ---

TEST_P(PersonStoreContract, DeleteRemovesThePersonItsDistinctIdsAndItsFlagState) {
  Create({MakePerson(1, 1, {"a", "a2"})});
  ASSERT_TRUE(store_->AddHashKeyOverrides(1, PersonUuid(1), {"f"}, "h").ok());
  ASSERT_TRUE(store_->AddPersonsToStaticCohort(1, 7, {PersonUuid(1)}).ok());
  ASSERT_TRUE(store_->DeletePerson(1, PersonUuid(1)).ok());
  EXPECT_FALSE(ByUuid(1, PersonUuid(1)).has_value());
  EXPECT_FALSE(ByDistinctId(1, "a").has_value());
  EXPECT_FALSE(ByDistinctId(1, "a2").has_value());
  EXPECT_TRUE(store_->DistinctIdMappings(1, PersonUuid(1))->empty());
  EXPECT_TRUE(store_->HashKeyOverrides(1, PersonUuid(1))->empty());
  EXPECT_EQ(*store_->StaticCohortSize(1, 7), 0u);
  auto txn = Begin();
  EXPECT_FALSE(txn->PersonByDistinctId(1, "a")->has_value());
}

TEST_P(PersonStoreContract, DeletingAnUnknownPersonIsNotFound) {
  Status status = store_->DeletePerson(1, PersonUuid(1));
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
}

// --- Listing ---

TEST_P(PersonStoreContract, ListIsNewestFirstThenByUuidAndPaged) {
  Create({MakePerson(1, 1, {"a"}, "{}", 100), MakePerson(1, 2, {"b"}, "{}", 300),
          MakePerson(1, 3, {"c"}, "{}", 200), MakePerson(1, 4, {"d"}, "{}", 200)});
  EXPECT_EQ(ListUuids(Query(1)),
            (std::vector<Uuid>{PersonUuid(2), PersonUuid(4), PersonUuid(3), PersonUuid(1)}));
  EXPECT_EQ(ListUuids(Query(1, 2, 1)), (std::vector<Uuid>{PersonUuid(4), PersonUuid(3)}));
  EXPECT_TRUE(ListUuids(Query(1, 2, 4)).empty());
  auto listed = store_->ListPersons(Query(1, 1));
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].distinct_ids, (std::vector<std::string>{"b"}));
}

TEST_P(PersonStoreContract, ListFindsByDistinctIdAndBySearch) {
  Create({MakePerson(1, 1, {"anna-1"}, R"({"email":"anna@x.io"})", 100),
          MakePerson(1, 2, {"bob-1"}, R"({"name":"Bobby"})", 200),
          MakePerson(1, 3, {"carl"}, "{}", 300)});
  PersonListQuery q = Query(1);
  q.distinct_id = "bob-1";
  EXPECT_EQ(ListUuids(q), (std::vector<Uuid>{PersonUuid(2)}));
  q = Query(1);
  q.search = "anna@";
  EXPECT_EQ(ListUuids(q), (std::vector<Uuid>{PersonUuid(1)}));
  q.search = "Bobb";
  EXPECT_EQ(ListUuids(q), (std::vector<Uuid>{PersonUuid(2)}));
  q.search = "carl";
  EXPECT_EQ(ListUuids(q), (std::vector<Uuid>{PersonUuid(3)}));
}

TEST_P(PersonStoreContract, PropertyFiltersCountOffsetAndLimitOverMatches) {
  Create({MakePerson(1, 1, {"a"}, R"({"plan":"pro"})", 100),
          MakePerson(1, 2, {"b"}, R"({"plan":"free"})", 200),
          MakePerson(1, 3, {"c"}, R"({"plan":"pro"})", 300),
          MakePerson(1, 4, {"d"}, R"({"plan":"pro"})", 400)});
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kPerson;
  auto tree = filters::ParseFilterTree(
      R"([{"key":"plan","value":"pro","operator":"exact","type":"person"}])", options);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  PersonListQuery q = Query(1, 2, 1);
  q.properties = *tree;
  EXPECT_EQ(ListUuids(q), (std::vector<Uuid>{PersonUuid(3), PersonUuid(1)}));
}

// --- Isolation between teams ---

TEST_P(PersonStoreContract, TeamsNeverSeeEachOthersPersons) {
  Create({MakePerson(1, 1, {"same"}), MakePerson(2, 2, {"same"})});
  EXPECT_EQ(ByDistinctId(1, "same")->uuid, PersonUuid(1));
  EXPECT_EQ(ByDistinctId(2, "same")->uuid, PersonUuid(2));
  EXPECT_FALSE(ByUuid(2, PersonUuid(1)).has_value());
  EXPECT_EQ(ListUuids(Query(1)), (std::vector<Uuid>{PersonUuid(1)}));
  EXPECT_TRUE(ListUuids(Query(3)).empty());
  EXPECT_TRUE(store_->DistinctIdMappings(2, PersonUuid(1))->empty());
  EXPECT_EQ(store_->DeletePerson(2, PersonUuid(1)).code(), StatusCode::kNotFound);
  EXPECT_TRUE(ByUuid(1, PersonUuid(1)).has_value());
}

TEST_P(PersonStoreContract, OverridesOfOneTeamAreNotAnothersTeams) {
  Create({MakePerson(1, 1, {"a"}), MakePerson(1, 2, {"b"}), MakePerson(2, 3, {"a"})});
  auto txn = Begin();
  ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(1), PersonUuid(2)).ok());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(Overrides(1).size(), 1u);
  EXPECT_TRUE(Overrides(2).empty());
  EXPECT_EQ(ByDistinctId(2, "a")->uuid, PersonUuid(3));
}

// --- Personless distinct ids ---

TEST_P(PersonStoreContract, PersonlessDistinctIdsAreRememberedPerTeam) {
  {
    auto txn = Begin();
    EXPECT_FALSE(*txn->IsPersonlessDistinctId(1, "p"));
    ASSERT_TRUE(txn->MarkPersonlessDistinctId(1, "p").ok());
    ASSERT_TRUE(txn->MarkPersonlessDistinctId(1, "p").ok());
    EXPECT_TRUE(*txn->IsPersonlessDistinctId(1, "p"));
    ASSERT_TRUE(txn->Commit().ok());
  }
  Reopen();
  auto txn = Begin();
  EXPECT_TRUE(*txn->IsPersonlessDistinctId(1, "p"));
  EXPECT_FALSE(*txn->IsPersonlessDistinctId(2, "p"));
}

// --- Groups ---

TEST_P(PersonStoreContract, GroupTypesGetTheFirstFreeIndexAndAtMostFive) {
  auto txn = Begin();
  const char* types[] = {"company", "project", "org", "team", "unit"};
  for (int i = 0; i < 5; ++i) {
    auto index = txn->GroupTypeIndex(1, types[i]);
    ASSERT_TRUE(index.ok());
    EXPECT_EQ(*index, std::optional<int>(i)) << types[i];
  }
  EXPECT_EQ(*txn->GroupTypeIndex(1, "project"), std::optional<int>(1));
  EXPECT_EQ(*txn->GroupTypeIndex(1, "sixth"), std::nullopt);
  EXPECT_EQ(*txn->GroupTypeIndex(2, "other"), std::optional<int>(0));
  ASSERT_TRUE(txn->Commit().ok());
  auto listed = store_->GroupTypes(1);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 5u);
  for (const GroupType& type : *listed) {
    EXPECT_EQ(type.team_id, 1);
    EXPECT_EQ(type.group_type, types[type.group_type_index]);
  }
  EXPECT_EQ(store_->GroupTypes(2)->size(), 1u);
}

TEST_P(PersonStoreContract, UpsertedGroupsAreFoundListedNewestFirstAndPaged) {
  auto txn = Begin();
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(txn->UpsertGroup(Group{1, 0, "g" + std::to_string(i), "{}", i * 100, 0}).ok());
  }
  ASSERT_TRUE(txn->UpsertGroup(Group{1, 1, "other-type", "{}", 50, 0}).ok());
  ASSERT_TRUE(txn->UpsertGroup(Group{2, 0, "g9", "{}", 50, 0}).ok());
  ASSERT_TRUE(txn->UpsertGroup(Group{1, 0, "g1", R"({"n":2})", 100, 1}).ok());  // replaces
  auto in_txn = txn->GroupByKey(1, 0, "g1");
  ASSERT_TRUE(in_txn.ok() && in_txn->has_value());
  EXPECT_EQ((*in_txn)->properties, R"({"n":2})");
  ASSERT_TRUE(txn->Commit().ok());
  auto g1 = store_->GroupByKey(1, 0, "g1");
  ASSERT_TRUE(g1.ok() && g1->has_value());
  EXPECT_EQ((*g1)->version, 1);
  EXPECT_FALSE(store_->GroupByKey(2, 0, "g1")->has_value());
  auto page = store_->ListGroups(1, 0, 2, 0);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].group_key, "g3");
  EXPECT_EQ((*page)[1].group_key, "g2");
  auto rest = store_->ListGroups(1, 0, 2, 2);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].group_key, "g1");
}

// --- Ingestion warnings ---

TEST_P(PersonStoreContract, WarningsAreListedMostRecentlyAddedFirstPerTeam) {
  auto txn = Begin();
  ASSERT_TRUE(txn->AddWarning(IngestionWarning{1, "first", "{}", 300}).ok());
  ASSERT_TRUE(txn->AddWarning(IngestionWarning{1, "second", "{}", 100}).ok());
  ASSERT_TRUE(txn->AddWarning(IngestionWarning{2, "theirs", "{}", 400}).ok());
  ASSERT_TRUE(txn->AddWarning(IngestionWarning{1, "third", R"({"k":1})", 200}).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto listed = store_->ListWarnings(1, 2);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].type, "third");
  EXPECT_EQ((*listed)[0].details, R"({"k":1})");
  EXPECT_EQ((*listed)[0].timestamp_us, 200);
  EXPECT_EQ((*listed)[0].team_id, 1);
  EXPECT_EQ((*listed)[1].type, "second");
}

// --- Flag state ---

TEST_P(PersonStoreContract, HashKeyOverridesKeepTheFirstKeyAndIgnoreUnknownPersons) {
  Create({MakePerson(1, 1, {"a"})});
  EXPECT_TRUE(store_->HashKeyOverrides(1, PersonUuid(1))->empty());
  ASSERT_TRUE(store_->AddHashKeyOverrides(1, PersonUuid(1), {"f1"}, "first").ok());
  ASSERT_TRUE(store_->AddHashKeyOverrides(1, PersonUuid(1), {"f1", "f2"}, "second").ok());
  EXPECT_EQ(*store_->HashKeyOverrides(1, PersonUuid(1)),
            (std::unordered_map<std::string, std::string>{{"f1", "first"}, {"f2", "second"}}));
  ASSERT_TRUE(store_->AddHashKeyOverrides(1, PersonUuid(9), {"f1"}, "x").ok());
  EXPECT_TRUE(store_->HashKeyOverrides(1, PersonUuid(9))->empty());
  EXPECT_TRUE(store_->HashKeyOverrides(2, PersonUuid(1))->empty());
}

TEST_P(PersonStoreContract, StaticCohortsCountOnlyNewKnownMembers) {
  Create({MakePerson(1, 1, {"a"}), MakePerson(1, 2, {"b"})});
  EXPECT_EQ(*store_->AddPersonsToStaticCohort(1, 9, {PersonUuid(1)}), 1u);
  EXPECT_EQ(*store_->AddPersonsToStaticCohort(1, 9, {PersonUuid(1), PersonUuid(2), PersonUuid(3)}),
            1u);
  EXPECT_EQ(*store_->AddPersonsToStaticCohort(1, 4, {PersonUuid(1)}), 1u);
  EXPECT_EQ(*store_->StaticCohortSize(1, 9), 2u);
  EXPECT_EQ(*store_->StaticCohortsOf(1, PersonUuid(1)), (std::vector<int64_t>{4, 9}));
  EXPECT_EQ(*store_->StaticCohortSize(2, 9), 0u);
}

// --- Versions ---

TEST_P(PersonStoreContract, DataVersionGrowsWithEveryCommittedChange) {
  uint64_t v = store_->DataVersion(1);
  auto grew = [&](const char* what) {
    uint64_t now = store_->DataVersion(1);
    EXPECT_GT(now, v) << what;
    v = now;
  };
  Create({MakePerson(1, 1, {"a"}), MakePerson(1, 2, {"b"})});
  grew("create");
  {
    auto txn = Begin();
    ASSERT_TRUE(txn->SetDistinctId(1, "c", PersonUuid(1)).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  grew("distinct id");
  {
    auto txn = Begin();
    ASSERT_TRUE(txn->UpsertGroup(Group{1, 0, "g", "{}", 1, 0}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  grew("group");
  {
    auto txn = Begin();
    ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(1), PersonUuid(2)).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  grew("merge");
  ASSERT_TRUE(store_->AddPersonsToStaticCohort(1, 3, {PersonUuid(2)}).ok());
  grew("static cohort");
  ASSERT_TRUE(store_->DeletePerson(1, PersonUuid(2)).ok());
  grew("delete");
}

TEST_P(PersonStoreContract, DataVersionDoesNotWaitForAnOpenTransaction) {
  auto txn = Begin();
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, 1, {"a"})).ok());
  auto read = std::async(std::launch::async, [&] {
    store_->Stats();
    return store_->DataVersion(1);
  });
  bool answered = read.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  ASSERT_TRUE(txn->Commit().ok());  // unblocks a reader that did wait
  EXPECT_TRUE(answered);
}

// --- Transactions one at a time ---

TEST_P(PersonStoreContract, BeginWaitsForTheOpenTransactionToFinish) {
  auto first = Begin();
  std::atomic<bool> began{false};
  std::thread second([&] {
    auto txn = Begin();
    began = true;
    if (txn) {
      auto found = txn->PersonByDistinctId(1, "a");
      EXPECT_TRUE(found.ok() && found->has_value()) << "the second sees the first's commit";
    }
  });
  ASSERT_TRUE(first->CreatePerson(MakePerson(1, 1, {"a"})).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(began.load());
  ASSERT_TRUE(first->Commit().ok());
  first.reset();
  second.join();
  EXPECT_TRUE(began.load());
}

// --- Durability ---

TEST_P(PersonStoreContract, CommittedStateSurvivesAReopen) {
  Create({MakePerson(1, 1, {"a"}, R"({"x":1})"), MakePerson(1, 2, {"b"})});
  {
    auto txn = Begin();
    ASSERT_TRUE(txn->MergePersonInto(1, PersonUuid(1), PersonUuid(2)).ok());
    ASSERT_TRUE(txn->UpsertGroup(Group{1, 0, "g", "{}", 1, 0}).ok());
    ASSERT_TRUE(txn->GroupTypeIndex(1, "company").ok());
    ASSERT_TRUE(txn->AddWarning(IngestionWarning{1, "w", "{}", 1}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  ASSERT_TRUE(store_->AddHashKeyOverrides(1, PersonUuid(2), {"f"}, "h").ok());
  ASSERT_TRUE(store_->AddPersonsToStaticCohort(1, 5, {PersonUuid(2)}).ok());
  {
    auto txn = Begin();  // never committed
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, 3, {"c"})).ok());
  }
  Reopen();
  EXPECT_EQ(ByDistinctId(1, "a")->uuid, PersonUuid(2));
  EXPECT_FALSE(ByDistinctId(1, "c").has_value());
  EXPECT_EQ(Overrides(1).size(), 1u);
  EXPECT_TRUE(store_->GroupByKey(1, 0, "g")->has_value());
  EXPECT_EQ(store_->GroupTypes(1)->size(), 1u);
  EXPECT_EQ(store_->ListWarnings(1, 10)->size(), 1u);
  EXPECT_EQ(store_->HashKeyOverrides(1, PersonUuid(2))->size(), 1u);
  EXPECT_EQ(*store_->StaticCohortSize(1, 5), 1u);
}

}  // namespace hoglet::persons::contract
