// Feature flag state kept with persons in the SQLite person store: experience-continuity hash key
// overrides and static cohort members (insert rules, merges, deletion, the one-writer rule, the
// schema upgrade), and the read side's GroupByKey.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <future>
#include <string>
#include <unordered_map>
#include <vector>

#include "persons/person_uuid.h"
#include "persons/sqlite_person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::persons {
namespace {

using Overrides = std::unordered_map<std::string, std::string>;

constexpr int64_t kTeam = 1;
constexpr int64_t kOtherTeam = 2;

class FlagState : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto opened = OpenSqlitePersonStore(path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  std::string path() const { return dir_.Join("persons.sqlite"); }

  // Creates a person with one distinct id (its uuid is the id's deterministic one).
  Uuid MakePerson(const std::string& distinct_id, int64_t team_id = kTeam) {
    Person person;
    person.team_id = team_id;
    person.uuid = DeterministicPersonId(team_id, distinct_id);
    person.created_at_us = 1'000;
    person.distinct_ids = {distinct_id};
    auto txn = store_->Begin();
    EXPECT_TRUE(txn.ok()) << txn.status().ToString();
    EXPECT_TRUE((*txn)->CreatePerson(person).ok());
    EXPECT_TRUE((*txn)->Commit().ok());
    return person.uuid;
  }

  Overrides OverridesOf(const Uuid& uuid, int64_t team_id = kTeam) {
    auto overrides = store_->HashKeyOverrides(team_id, uuid);
    EXPECT_TRUE(overrides.ok()) << overrides.status().ToString();
    return overrides.ok() ? *overrides : Overrides{};
  }

  std::vector<int64_t> CohortsOf(const Uuid& uuid, int64_t team_id = kTeam) {
    auto cohorts = store_->StaticCohortsOf(team_id, uuid);
    EXPECT_TRUE(cohorts.ok()) << cohorts.status().ToString();
    return cohorts.ok() ? *cohorts : std::vector<int64_t>{};
  }

  size_t Add(int64_t cohort_id, const std::vector<Uuid>& uuids, int64_t team_id = kTeam) {
    auto added = store_->AddPersonsToStaticCohort(team_id, cohort_id, uuids);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : 0;
  }

  size_t Size(int64_t cohort_id, int64_t team_id = kTeam) {
    auto size = store_->StaticCohortSize(team_id, cohort_id);
    EXPECT_TRUE(size.ok()) << size.status().ToString();
    return size.ok() ? *size : 0;
  }

  void Merge(const Uuid& from, const Uuid& to) {
    auto txn = store_->Begin();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->MergePersonInto(kTeam, from, to).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<PersonStore> store_;
};

TEST_F(FlagState, HashKeyOverridesAreOnlyInsertedWhenAbsent) {
  Uuid alice = MakePerson("alice");
  EXPECT_TRUE(OverridesOf(alice).empty());
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, alice, {"f1", "f2"}, "anon-1").ok());
  EXPECT_EQ(OverridesOf(alice), (Overrides{{"f1", "anon-1"}, {"f2", "anon-1"}}));
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, alice, {"f2", "f3", "f3"}, "anon-2").ok());
  EXPECT_EQ(OverridesOf(alice), (Overrides{{"f1", "anon-1"}, {"f2", "anon-1"}, {"f3", "anon-2"}}));
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, alice, {}, "anon-3").ok());
  EXPECT_EQ(OverridesOf(alice).size(), 3u);
  // Overrides are per team.
  EXPECT_TRUE(OverridesOf(alice, kOtherTeam).empty());
}

TEST_F(FlagState, OverridesForAnUnknownPersonAreNotStored) {
  Uuid ghost = DeterministicPersonId(kTeam, "ghost");
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, ghost, {"f1"}, "anon").ok());
  EXPECT_TRUE(OverridesOf(ghost).empty());
  // The same uuid in another team is another (unknown) person.
  Uuid alice = MakePerson("alice");
  ASSERT_TRUE(store_->AddHashKeyOverrides(kOtherTeam, alice, {"f1"}, "anon").ok());
  EXPECT_TRUE(OverridesOf(alice, kOtherTeam).empty());
  EXPECT_TRUE(OverridesOf(alice).empty());
}

TEST_F(FlagState, MergeMovesOverridesAndTheSurvivorKeepsItsOwn) {
  Uuid anon = MakePerson("anon");
  Uuid user = MakePerson("user");
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, anon, {"f1", "shared"}, "from-anon").ok());
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, user, {"shared", "f2"}, "from-user").ok());
  Merge(anon, user);
  EXPECT_EQ(OverridesOf(user),
            (Overrides{{"f1", "from-anon"}, {"shared", "from-user"}, {"f2", "from-user"}}));
  EXPECT_TRUE(OverridesOf(anon).empty());
}

TEST_F(FlagState, RolledBackMergeLeavesFlagStateWhereItWas) {
  Uuid anon = MakePerson("anon");
  Uuid user = MakePerson("user");
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, anon, {"f1"}, "anon").ok());
  ASSERT_EQ(Add(3, {anon}), 1u);
  {
    auto txn = store_->Begin();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->MergePersonInto(kTeam, anon, user).ok());
  }  // no Commit
  EXPECT_EQ(OverridesOf(anon), (Overrides{{"f1", "anon"}}));
  EXPECT_TRUE(OverridesOf(user).empty());
  EXPECT_EQ(CohortsOf(anon), std::vector<int64_t>{3});
  EXPECT_TRUE(CohortsOf(user).empty());
}

TEST_F(FlagState, StaticCohortAddSkipsDuplicatesAndUnknownPersons) {
  Uuid a = MakePerson("a");
  Uuid b = MakePerson("b");
  Uuid c = MakePerson("c");
  Uuid ghost = DeterministicPersonId(kTeam, "ghost");
  Uuid elsewhere = MakePerson("elsewhere", kOtherTeam);
  EXPECT_EQ(Size(7), 0u);
  EXPECT_EQ(Add(7, {a, b, a, ghost, elsewhere}), 2u);
  EXPECT_EQ(Size(7), 2u);
  EXPECT_EQ(Add(7, {a, c}), 1u);
  EXPECT_EQ(Add(7, {}), 0u);
  EXPECT_EQ(Size(7), 3u);
  EXPECT_TRUE(CohortsOf(ghost).empty());
  EXPECT_TRUE(CohortsOf(elsewhere, kOtherTeam).empty());
  // Memberships are per cohort and per team; the list is ascending.
  EXPECT_EQ(Add(2, {a}), 1u);
  EXPECT_EQ(Add(11, {a}), 1u);
  EXPECT_EQ(CohortsOf(a), (std::vector<int64_t>{2, 7, 11}));
  EXPECT_EQ(CohortsOf(b), std::vector<int64_t>{7});
  EXPECT_EQ(Size(2), 1u);
  EXPECT_EQ(Size(7, kOtherTeam), 0u);
  EXPECT_TRUE(CohortsOf(a, kOtherTeam).empty());
  EXPECT_EQ(Add(7, {elsewhere}, kOtherTeam), 1u);
  EXPECT_EQ(Size(7, kOtherTeam), 1u);
  EXPECT_EQ(Size(7), 3u);
}

TEST_F(FlagState, MergeMovesCohortMembership) {
  Uuid anon = MakePerson("anon");
  Uuid user = MakePerson("user");
  ASSERT_EQ(Add(1, {anon}), 1u);
  ASSERT_EQ(Add(2, {anon, user}), 2u);
  Merge(anon, user);
  EXPECT_EQ(CohortsOf(user), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(CohortsOf(anon).empty());
  EXPECT_EQ(Size(1), 1u);
  EXPECT_EQ(Size(2), 1u);
}

TEST_F(FlagState, DeletePersonRemovesOverridesAndMemberships) {
  Uuid gone = MakePerson("gone");
  Uuid kept = MakePerson("kept");
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, gone, {"f"}, "x").ok());
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, kept, {"f"}, "y").ok());
  ASSERT_EQ(Add(4, {gone, kept}), 2u);
  ASSERT_TRUE(store_->DeletePerson(kTeam, gone).ok());
  EXPECT_TRUE(OverridesOf(gone).empty());
  EXPECT_TRUE(CohortsOf(gone).empty());
  EXPECT_EQ(Size(4), 1u);
  EXPECT_EQ(OverridesOf(kept), (Overrides{{"f", "y"}}));
  EXPECT_EQ(CohortsOf(kept), std::vector<int64_t>{4});
  // A person created again with the same uuid starts without the old state.
  MakePerson("gone");
  EXPECT_TRUE(OverridesOf(gone).empty());
  EXPECT_TRUE(CohortsOf(gone).empty());
}

TEST_F(FlagState, WritesWaitForTheOpenTransaction) {
  Uuid alice = MakePerson("alice");
  auto txn = store_->Begin();
  ASSERT_TRUE(txn.ok());
  auto overrides = std::async(
      std::launch::async, [&] { return store_->AddHashKeyOverrides(kTeam, alice, {"f"}, "anon"); });
  EXPECT_EQ(overrides.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  txn->reset();  // rolled back; the waiting write goes ahead
  ASSERT_TRUE(overrides.get().ok());
  EXPECT_EQ(OverridesOf(alice), (Overrides{{"f", "anon"}}));

  auto second = store_->Begin();
  ASSERT_TRUE(second.ok());
  auto members = std::async(std::launch::async,
                            [&] { return store_->AddPersonsToStaticCohort(kTeam, 9, {alice}); });
  EXPECT_EQ(members.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  ASSERT_TRUE((*second)->Commit().ok());
  second->reset();
  auto added = members.get();
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 1u);
}

TEST_F(FlagState, FlagStateSurvivesReopen) {
  Uuid alice = MakePerson("alice");
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, alice, {"f"}, "anon").ok());
  ASSERT_EQ(Add(5, {alice}), 1u);
  Reopen();
  EXPECT_EQ(OverridesOf(alice), (Overrides{{"f", "anon"}}));
  EXPECT_EQ(CohortsOf(alice), std::vector<int64_t>{5});
  EXPECT_EQ(Size(5), 1u);
}

TEST_F(FlagState, AVersionOneFileIsUpgraded) {
  Uuid alice = MakePerson("alice");
  store_.reset();
  // Turn the file back into what a version 1 binary wrote.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE feature_flag_hash_key_overrides; DROP TABLE cohort_people; "
                         "DELETE FROM schema_migrations WHERE version > 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  Reopen();
  auto person = store_->PersonByUuid(kTeam, alice);
  ASSERT_TRUE(person.ok() && person->has_value());
  ASSERT_TRUE(store_->AddHashKeyOverrides(kTeam, alice, {"f"}, "anon").ok());
  EXPECT_EQ(OverridesOf(alice), (Overrides{{"f", "anon"}}));
  EXPECT_EQ(Add(1, {alice}), 1u);
}

TEST_F(FlagState, GroupByKeyReadsCommittedGroups) {
  {
    auto txn = store_->Begin();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->UpsertGroup({kTeam, 0, "acme", R"({"plan":"pro"})", 500, 3}).ok());
    ASSERT_TRUE((*txn)->UpsertGroup({kTeam, 1, "acme", R"({"other":true})", 600, 1}).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto group = store_->GroupByKey(kTeam, 0, "acme");
  ASSERT_TRUE(group.ok()) << group.status().ToString();
  ASSERT_TRUE(group->has_value());
  EXPECT_EQ((*group)->team_id, kTeam);
  EXPECT_EQ((*group)->group_type_index, 0);
  EXPECT_EQ((*group)->group_key, "acme");
  EXPECT_EQ((*group)->properties, R"({"plan":"pro"})");
  EXPECT_EQ((*group)->created_at_us, 500);
  EXPECT_EQ((*group)->version, 3);
  auto other_type = store_->GroupByKey(kTeam, 1, "acme");
  ASSERT_TRUE(other_type.ok() && other_type->has_value());
  EXPECT_EQ((*other_type)->properties, R"({"other":true})");
  EXPECT_FALSE(store_->GroupByKey(kTeam, 0, "ACME")->has_value());
  EXPECT_FALSE(store_->GroupByKey(kTeam, 2, "acme")->has_value());
  EXPECT_FALSE(store_->GroupByKey(kOtherTeam, 0, "acme")->has_value());

  // An open batch's writes are not visible to the read side until it commits.
  auto txn = store_->Begin();
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->UpsertGroup({kTeam, 0, "acme", R"({"plan":"max"})", 500, 4}).ok());
  EXPECT_EQ((*store_->GroupByKey(kTeam, 0, "acme"))->properties, R"({"plan":"pro"})");
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ((*store_->GroupByKey(kTeam, 0, "acme"))->version, 4);
}

}  // namespace
}  // namespace hoglet::persons
