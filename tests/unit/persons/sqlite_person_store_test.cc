#include "persons/sqlite_person_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <set>
#include <string>

#include "persons/person_uuid.h"
#include "tests/support/temp_dir.h"

namespace hoglet::persons {
namespace {

std::unique_ptr<PersonStore> Open(const std::string& path, SqlitePersonStoreOptions options = {}) {
  auto store = OpenSqlitePersonStore(path, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

Person MakePerson(int64_t team, const std::string& distinct_id, std::string properties = "{}") {
  Person person;
  person.team_id = team;
  person.uuid = DeterministicPersonId(team, distinct_id);
  person.properties = std::move(properties);
  person.created_at_us = 1'000;
  person.distinct_ids = {distinct_id};
  return person;
}

PersonListQuery Query(int64_t team, std::optional<std::string> distinct_id = std::nullopt,
                      std::optional<std::string> search = std::nullopt, size_t limit = 100) {
  PersonListQuery query;
  query.team_id = team;
  query.distinct_id = std::move(distinct_id);
  query.search = std::move(search);
  query.limit = limit;
  return query;
}

std::unique_ptr<Transaction> Begin(PersonStore& store) {
  auto txn = store.Begin();
  EXPECT_TRUE(txn.ok()) << txn.status().ToString();
  return std::move(txn).value();
}

TEST(SqlitePersonStore, CommittedPersonSurvivesReopen) {
  testing::TempDir dir;
  {
    auto store = Open(dir.Join("persons.db"));
    auto txn = Begin(*store);
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "alice", R"({"a":1})")).ok());
    ASSERT_TRUE(txn->SetDistinctId(1, "alice-2", DeterministicPersonId(1, "alice")).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto store = Open(dir.Join("persons.db"));
  auto person = store->PersonByDistinctId(1, "alice-2");
  ASSERT_TRUE(person.ok());
  ASSERT_TRUE(person->has_value());
  EXPECT_EQ((*person)->properties, R"({"a":1})");
  EXPECT_EQ((*person)->distinct_ids, (std::vector<std::string>{"alice", "alice-2"}));
}

TEST(SqlitePersonStore, TransactionDestroyedWithoutCommitLeavesNoTrace) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  {
    auto txn = Begin(*store);
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "bob")).ok());
    auto seen = txn->PersonByDistinctId(1, "bob");  // fills the cache inside the transaction
    ASSERT_TRUE(seen.ok() && seen->has_value());
    ASSERT_TRUE(txn->MarkPersonlessDistinctId(1, "ghost").ok());
    ASSERT_TRUE(txn->GroupTypeIndex(1, "company").ok());
    ASSERT_TRUE(txn->AddWarning({1, "some_warning", "{}", 5}).ok());
  }
  auto txn = Begin(*store);
  auto person = txn->PersonByDistinctId(1, "bob");
  ASSERT_TRUE(person.ok());
  EXPECT_FALSE(person->has_value()) << "the cache kept a rolled-back person";
  auto personless = txn->IsPersonlessDistinctId(1, "ghost");
  ASSERT_TRUE(personless.ok());
  EXPECT_FALSE(*personless);
  EXPECT_TRUE(store->GroupTypes(1)->empty());
  EXPECT_TRUE(store->ListWarnings(1, 10)->empty());
  auto index = txn->GroupTypeIndex(1, "other");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(**index, 0) << "a rolled-back group type still held index 0";
}

TEST(SqlitePersonStore, MergeMovesIdsWithHigherVersionsAndDeletesSource) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  auto txn = Begin(*store);
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "a")).ok());
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "b")).ok());
  ASSERT_TRUE(txn->PersonByDistinctId(1, "a").ok());  // cached before the merge
  ASSERT_TRUE(
      txn->MergePersonInto(1, DeterministicPersonId(1, "a"), DeterministicPersonId(1, "b")).ok());
  auto moved = txn->PersonByDistinctId(1, "a");
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->uuid, DeterministicPersonId(1, "b"));
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_FALSE(store->PersonByUuid(1, DeterministicPersonId(1, "a"))->has_value());
  auto mappings = store->DistinctIdMappings(1, DeterministicPersonId(1, "b"));
  ASSERT_TRUE(mappings.ok());
  ASSERT_EQ(mappings->size(), 2u);
  EXPECT_EQ((*mappings)[0].distinct_id, "a");
  EXPECT_EQ((*mappings)[0].version, 1);
  EXPECT_EQ((*mappings)[1].version, 0);
}

TEST(SqlitePersonStore, OverridesVersionMovesWithMovedIdsOnly) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  auto commit = [&](auto&& write) {
    auto txn = Begin(*store);
    write(*txn);
    ASSERT_TRUE(txn->Commit().ok());
  };
  EXPECT_EQ(store->OverridesVersion(1), 0u);
  // New persons, a new id of a person, changed properties: no override moves.
  commit([](Transaction& txn) {
    ASSERT_TRUE(txn.CreatePerson(MakePerson(1, "a")).ok());
    ASSERT_TRUE(txn.CreatePerson(MakePerson(1, "b")).ok());
    ASSERT_TRUE(txn.CreatePerson(MakePerson(2, "c")).ok());
    ASSERT_TRUE(txn.SetDistinctId(1, "a-2", DeterministicPersonId(1, "a")).ok());
  });
  Person changed = MakePerson(1, "a", R"({"plan": "pro"})");
  commit([&](Transaction& txn) { ASSERT_TRUE(txn.UpdatePerson(changed).ok()); });
  EXPECT_EQ(store->OverridesVersion(1), 0u);
  const uint64_t data_version = store->DataVersion(1);
  EXPECT_GT(data_version, 0u);
  // A merge moves them, in its team only; so does moving one id, and a deletion.
  commit([](Transaction& txn) {
    ASSERT_TRUE(
        txn.MergePersonInto(1, DeterministicPersonId(1, "a"), DeterministicPersonId(1, "b")).ok());
  });
  EXPECT_EQ(store->OverridesVersion(1), 1u);
  EXPECT_EQ(store->OverridesVersion(2), 0u);
  commit([](Transaction& txn) {
    ASSERT_TRUE(txn.CreatePerson(MakePerson(1, "e")).ok());
    ASSERT_TRUE(txn.SetDistinctId(1, "a-2", DeterministicPersonId(1, "e")).ok());
  });
  EXPECT_EQ(store->OverridesVersion(1), 2u);
  ASSERT_TRUE(store->DeletePerson(1, DeterministicPersonId(1, "e")).ok());
  EXPECT_EQ(store->OverridesVersion(1), 3u);
  EXPECT_GT(store->DataVersion(1), data_version);
}

TEST(SqlitePersonStore, CreatingOverAnExistingMappingIsAlreadyExists) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  auto txn = Begin(*store);
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "a")).ok());
  Person again = MakePerson(1, "other");
  again.distinct_ids = {"a"};
  EXPECT_EQ(txn->CreatePerson(again).code(), StatusCode::kAlreadyExists);
}

TEST(SqlitePersonStore, SameDistinctIdInTwoTeamsIsTwoPersons) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  auto txn = Begin(*store);
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "x", R"({"team":1})")).ok());
  ASSERT_TRUE(txn->CreatePerson(MakePerson(2, "x", R"({"team":2})")).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto one = store->PersonByDistinctId(1, "x");
  auto two = store->PersonByDistinctId(2, "x");
  ASSERT_TRUE(one.ok() && one->has_value() && two.ok() && two->has_value());
  EXPECT_NE((*one)->uuid, (*two)->uuid);
  EXPECT_EQ((*two)->properties, R"({"team":2})");
  EXPECT_EQ(store->ListPersons(Query(1))->size(), 1u);
}

TEST(SqlitePersonStore, WarningsAreBoundedPerTeam) {
  testing::TempDir dir;
  SqlitePersonStoreOptions options;
  options.max_warnings_per_team = 3;
  auto store = Open(dir.Join("persons.db"), options);
  auto txn = Begin(*store);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(txn->AddWarning({7, "w" + std::to_string(i), "{}", i}).ok());
  }
  ASSERT_TRUE(txn->AddWarning({8, "other_team", "{}", 0}).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto warnings = store->ListWarnings(7, 100);
  ASSERT_TRUE(warnings.ok());
  ASSERT_EQ(warnings->size(), 3u);
  EXPECT_EQ((*warnings)[0].type, "w4");
  EXPECT_EQ((*warnings)[2].type, "w2");
  EXPECT_EQ(store->ListWarnings(8, 100)->size(), 1u);
}

TEST(SqlitePersonStore, DeletePersonRemovesMappingsAndCache) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  {
    auto txn = Begin(*store);
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "d")).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  ASSERT_TRUE(store->DeletePerson(1, DeterministicPersonId(1, "d")).ok());
  EXPECT_EQ(store->DeletePerson(1, DeterministicPersonId(1, "d")).code(), StatusCode::kNotFound);
  auto txn = Begin(*store);
  EXPECT_FALSE(txn->PersonByDistinctId(1, "d")->has_value());
}

TEST(SqlitePersonStore, ListPersonsSearchesDistinctIdsAndEmail) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  auto txn = Begin(*store);
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "user-42")).ok());
  ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "zz", R"({"email":"Ann@Example.com"})")).ok());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(store->ListPersons(Query(1, std::nullopt, "ER-4"))->size(), 1u);
  auto by_email = store->ListPersons(Query(1, std::nullopt, "ann@"));
  ASSERT_EQ(by_email->size(), 1u);
  EXPECT_EQ((*by_email)[0].distinct_ids, std::vector<std::string>{"zz"});
  EXPECT_EQ(store->ListPersons(Query(1, "zz"))->size(), 1u);
  EXPECT_EQ(store->ListPersons(Query(1))->size(), 2u);
}

TEST(SqlitePersonStore, ListPersonsFiltersByPropertiesWhilePaging) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  auto txn = Begin(*store);
  for (int i = 0; i < 10; ++i) {
    Person person = MakePerson(
        1, "p" + std::to_string(i),
        R"({"n":)" + std::to_string(i) + R"(,"plan":")" + (i % 2 ? "pro" : "free") + "\"}");
    person.created_at_us = 1'000 + i;  // p9 is the newest
    ASSERT_TRUE(txn->CreatePerson(person).ok());
  }
  ASSERT_TRUE(txn->CreatePerson(MakePerson(2, "other", R"({"plan":"pro"})")).ok());
  ASSERT_TRUE(txn->Commit().ok());
  auto ids = [&](PersonListQuery query) {
    std::vector<std::string> out;
    auto persons = store->ListPersons(query);
    EXPECT_TRUE(persons.ok()) << persons.status().ToString();
    for (const Person& person : *persons) out.push_back(person.distinct_ids.at(0));
    return out;
  };
  auto tree = filters::ParseFilterTree(
      R"([{"key":"plan","value":"PRO"},{"key":"n","operator":"gt","value":"2"}])");
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  PersonListQuery query = Query(1, std::nullopt, std::nullopt, 2);
  query.properties = *tree;
  EXPECT_EQ(ids(query), (std::vector<std::string>{"p9", "p7"}));
  query.offset = 2;  // counts matching persons
  EXPECT_EQ(ids(query), (std::vector<std::string>{"p5", "p3"}));
  query.offset = 4;
  EXPECT_TRUE(ids(query).empty());
  query.offset = 0;
  query.limit = 100;
  query.max_scanned = 3;  // only p9, p8, p7 are examined
  EXPECT_EQ(ids(query), (std::vector<std::string>{"p9", "p7"}));
  query.max_scanned = 100;
  query.search = "p3";
  EXPECT_EQ(ids(query), (std::vector<std::string>{"p3"}));
}

// Filtered pages are read in chunks of rows, each continuing where the last ended: none is
// skipped or repeated, also among persons created at the same time.
TEST(SqlitePersonStore, FilteredPagesCrossChunksWithoutGapsOrRepeats) {
  testing::TempDir dir;
  auto store = Open(dir.Join("persons.db"));
  auto txn = Begin(*store);
  std::set<std::string> picked;
  for (int i = 0; i < 2500; ++i) {
    std::string id = "p" + std::to_string(i);
    bool pick = i % 7 == 0;
    Person person = MakePerson(1, id, pick ? R"({"pick":"yes"})" : R"({"pick":"no"})");
    person.created_at_us = 1'000 + i / 3;  // three persons per timestamp
    ASSERT_TRUE(txn->CreatePerson(person).ok());
    if (pick) picked.insert(id);
  }
  ASSERT_TRUE(txn->Commit().ok());
  auto tree = filters::ParseFilterTree(R"([{"key":"pick","value":"YES"}])");
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  PersonListQuery query = Query(1, std::nullopt, std::nullopt, 50);
  query.properties = *tree;
  std::set<std::string> seen;
  int64_t last_created = INT64_MAX;
  for (query.offset = 0; query.offset < 1000; query.offset += query.limit) {
    auto page = store->ListPersons(query);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const Person& person : *page) {
      EXPECT_LE(person.created_at_us, last_created);
      last_created = person.created_at_us;
      EXPECT_TRUE(seen.insert(person.distinct_ids.at(0)).second) << person.distinct_ids[0];
    }
    if (page->size() < query.limit) break;
  }
  EXPECT_EQ(seen, picked);
}

// A process that dies in the middle of a transaction (after writing half a merge, before
// COMMIT) must leave the database exactly as the last commit left it.
TEST(SqlitePersonStore, CrashMidTransactionKeepsLastCommittedState) {
  testing::TempDir dir;
  std::string path = dir.Join("persons.db");
  {
    auto store = Open(path);
    auto txn = Begin(*store);
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "anon", R"({"v":"old"})")).ok());
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "user")).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = OpenSqlitePersonStore(path);
    if (!store.ok()) _exit(2);
    auto txn = (*store)->Begin();
    if (!txn.ok()) _exit(3);
    // Enough uncommitted data to overflow SQLite's page cache, so uncommitted frames really
    // reach the WAL file before the crash.
    std::string padding = R"({"pad":")" + std::string(2000, 'x') + R"("})";
    for (int i = 0; i < 4000; ++i) {
      if (!(*txn)->CreatePerson(MakePerson(1, "bulk-" + std::to_string(i), padding)).ok()) _exit(6);
    }
    Person updated = MakePerson(1, "user", R"({"v":"new"})");
    updated.version = 1;
    if (!(*txn)->UpdatePerson(updated).ok()) _exit(4);
    if (!(*txn)
             ->MergePersonInto(1, DeterministicPersonId(1, "anon"),
                               DeterministicPersonId(1, "user"))
             .ok()) {
      _exit(5);
    }
    _exit(0);  // no COMMIT, no destructors: the process just dies
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus));
  ASSERT_EQ(WEXITSTATUS(wstatus), 0) << "the child failed before its crash point";

  auto store = Open(path);
  auto anon = store->PersonByDistinctId(1, "anon");
  ASSERT_TRUE(anon.ok() && anon->has_value());
  EXPECT_EQ((*anon)->uuid, DeterministicPersonId(1, "anon"));
  EXPECT_EQ((*anon)->properties, R"({"v":"old"})");
  auto user = store->PersonByDistinctId(1, "user");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_EQ((*user)->properties, "{}");
  EXPECT_EQ((*user)->version, 0);
  EXPECT_FALSE(store->PersonByDistinctId(1, "bulk-0")->has_value());
  EXPECT_EQ(store->ListPersons(Query(1, std::nullopt, std::nullopt, 10000))->size(), 2u);
  // And the file is writable again: the dead writer's lock is gone.
  auto txn = Begin(*store);
  EXPECT_TRUE(txn->Commit().ok());
}

TEST(SqlitePersonStore, CacheReportsMemoryAndStaysWithinCapacity) {
  testing::TempDir dir;
  SqlitePersonStoreOptions options;
  options.cache_capacity = 10;
  auto store = Open(dir.Join("persons.db"), options);
  auto txn = Begin(*store);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(txn->CreatePerson(MakePerson(1, "p" + std::to_string(i))).ok());
  }
  ASSERT_TRUE(txn->Commit().ok());
  PersonStoreStats stats = store->Stats();
  EXPECT_EQ(stats.cache_entries, 20u);
  EXPECT_GT(stats.cache_bytes, 20u * 64);
  EXPECT_LT(stats.cache_bytes, 20u * 1024);
}

TEST(SqlitePersonStore, NewerSchemaVersionIsRefused) {
  testing::TempDir dir;
  std::string path = dir.Join("persons.db");
  { Open(path); }
  {
    auto store = Open(path);  // reopening an up-to-date file is fine
    ASSERT_NE(store, nullptr);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'future', 0)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(OpenSqlitePersonStore(path).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace hoglet::persons
