// The distinct-id overrides queries read: shared between queries while the project's persons do
// not change, read again as soon as they do.
#include "api/overrides_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "persons/person_uuid.h"
#include "persons/sqlite_person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::api {
namespace {

using persons::DeterministicPersonId;

class OverridesCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = persons::OpenSqlitePersonStore(dir_.Join("persons.sqlite"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  void AddPerson(int64_t team, const std::string& distinct_id) {
    persons::Person person;
    person.team_id = team;
    person.uuid = DeterministicPersonId(team, distinct_id);
    person.properties = "{}";
    person.distinct_ids = {distinct_id};
    auto txn = store_->Begin();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->CreatePerson(person).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }

  // `from`'s person merged into `to`'s: `from` becomes an override.
  void Merge(int64_t team, const std::string& from, const std::string& to) {
    auto txn = store_->Begin();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)
                    ->MergePersonInto(team, DeterministicPersonId(team, from),
                                      DeterministicPersonId(team, to))
                    .ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }

  SharedOverrides Get(OverridesCache& cache, int64_t team) {
    StatusOr<SharedOverrides> overrides = cache.Get(team);
    EXPECT_TRUE(overrides.ok()) << overrides.status().ToString();
    return overrides.ok() ? *overrides : nullptr;
  }

  testing::TempDir dir_;
  std::unique_ptr<persons::PersonStore> store_;
};

TEST_F(OverridesCacheTest, UnchangedPersonsShareOneReadAndAMergeIsSeenAtOnce) {
  AddPerson(1, "anon");
  AddPerson(1, "user");
  OverridesCache cache(*store_);

  SharedOverrides first = Get(cache, 1);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->size(), 0u);
  EXPECT_EQ(Get(cache, 1), first);  // nothing changed: the same overrides
  // A new person and a changed one move no override: still the same overrides.
  AddPerson(1, "newcomer");
  persons::Person changed = *store_->PersonByDistinctId(1, "user").value();
  changed.properties = R"({"plan": "pro"})";
  {
    auto txn = store_->Begin();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->UpdatePerson(changed).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }  // the transaction holds the writer until it goes
  EXPECT_EQ(Get(cache, 1), first);

  Merge(1, "anon", "user");
  SharedOverrides merged = Get(cache, 1);
  ASSERT_NE(merged, first);
  ASSERT_EQ(merged->size(), 1u);
  ASSERT_NE(merged->Find("anon"), nullptr);
  EXPECT_EQ(*merged->Find("anon"), DeterministicPersonId(1, "user"));
  EXPECT_EQ(merged->Find("user"), nullptr);
  EXPECT_EQ(first->size(), 0u);  // a query holding the old set keeps it unchanged
  EXPECT_EQ(Get(cache, 1), merged);
}

TEST_F(OverridesCacheTest, ProjectsAreKeptApartAndAnotherProjectsChangeKeepsTheEntry) {
  AddPerson(1, "a");
  AddPerson(1, "b");
  AddPerson(2, "c");
  AddPerson(2, "d");
  Merge(1, "a", "b");
  OverridesCache cache(*store_);
  SharedOverrides one = Get(cache, 1);
  SharedOverrides two = Get(cache, 2);
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  EXPECT_NE(one->Find("a"), nullptr);
  EXPECT_EQ(two->Find("a"), nullptr);
  EXPECT_EQ(two->size(), 0u);

  Merge(2, "c", "d");
  EXPECT_EQ(Get(cache, 1), one);
  SharedOverrides two_merged = Get(cache, 2);
  ASSERT_NE(two_merged, two);
  EXPECT_NE(two_merged->Find("c"), nullptr);
}

TEST_F(OverridesCacheTest, KeepsAtMostItsBoundOfProjectsDroppingTheLeastRecentlyUsed) {
  OverridesCache cache(*store_);
  SharedOverrides first = Get(cache, 1);
  SharedOverrides second = Get(cache, 2);
  SharedOverrides third = Get(cache, 3);
  for (int64_t team = 4; team <= static_cast<int64_t>(OverridesCache::kMaxProjects); ++team) {
    Get(cache, team);
  }
  EXPECT_EQ(Get(cache, 1), first);  // still kept, and now the most recently used
  Get(cache, 100);                  // one too many: drops project 2, the least recently used
  EXPECT_EQ(Get(cache, 1), first);
  EXPECT_EQ(Get(cache, 3), third);
  EXPECT_NE(Get(cache, 2), second);  // read again
}

}  // namespace
}  // namespace hoglet::api
