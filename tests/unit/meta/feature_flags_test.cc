// Feature flags and cohorts in the SQLite metadata store: validation, versions, soft deletion and
// key reuse, ordering, project isolation, the generation number, restarts and the upgrade from
// schema version 2; ProjectBySecretToken.
#include "meta/feature_flags.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "meta/schema_migrations.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr int64_t kStart = 1'700'000'000'000'000;
constexpr int64_t kSecondUs = 1'000'000;

class FeatureFlags : public ::testing::Test {
 protected:
  void SetUp() override {
    Reopen();
    auto boot = store_->Bootstrap(BootstrapRequest{});
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    project_ = boot->project;
    team_ = project_.id;
    auto other = store_->CreateProject(project_.organization_id, "Other");
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    other_team_ = other->id;
  }

  void Reopen() {
    store_.reset();
    auto opened = OpenSqliteMetaStore(path(), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  std::string path() const { return dir_.Join("meta.sqlite"); }

  FeatureFlagRecord Flag(std::string key, int64_t team_id = 0) {
    FeatureFlagRecord flag;
    flag.team_id = team_id == 0 ? team_ : team_id;
    flag.key = std::move(key);
    flag.filters_json = R"({"groups":[{"properties":[],"rollout_percentage":100}]})";
    return flag;
  }

  FeatureFlagRecord MustCreate(const FeatureFlagRecord& flag) {
    auto created = store_->CreateFeatureFlag(flag);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : FeatureFlagRecord{};
  }

  FeatureFlagRecord MustUpdate(const FeatureFlagRecord& flag) {
    auto updated = store_->UpdateFeatureFlag(flag);
    EXPECT_TRUE(updated.ok()) << updated.status().ToString();
    return updated.ok() ? *updated : FeatureFlagRecord{};
  }

  std::vector<std::string> Keys(int64_t team_id, bool include_deleted) {
    auto flags = store_->ListFeatureFlags(team_id, include_deleted);
    EXPECT_TRUE(flags.ok()) << flags.status().ToString();
    std::vector<std::string> keys;
    if (flags.ok()) {
      for (const FeatureFlagRecord& flag : *flags) keys.push_back(flag.key);
    }
    return keys;
  }

  CohortRecord Cohort(std::string name, int64_t team_id = 0) {
    CohortRecord cohort;
    cohort.team_id = team_id == 0 ? team_ : team_id;
    cohort.name = std::move(name);
    cohort.filters_json = R"({"properties":{"type":"OR","values":[]}})";
    return cohort;
  }

  CohortRecord MustCreate(const CohortRecord& cohort) {
    auto created = store_->CreateCohort(cohort);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : CohortRecord{};
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<MetaStore> store_;
  Project project_;
  int64_t team_ = 0;
  int64_t other_team_ = 0;
};

class Cohorts : public FeatureFlags {};

void ExpectSameFlag(const FeatureFlagRecord& a, const FeatureFlagRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.team_id, b.team_id);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.filters_json, b.filters_json);
  EXPECT_EQ(a.active, b.active);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.ensure_experience_continuity, b.ensure_experience_continuity);
  EXPECT_EQ(a.evaluation_runtime, b.evaluation_runtime);
  EXPECT_EQ(a.evaluation_contexts, b.evaluation_contexts);
  EXPECT_EQ(a.bucketing_identifier, b.bucketing_identifier);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.created_at_us, b.created_at_us);
  EXPECT_EQ(a.updated_at_us, b.updated_at_us);
}

TEST_F(FeatureFlags, CreateStoresEveryFieldAndAssignsIdVersionAndTimes) {
  FeatureFlagRecord flag = Flag("beta-feature_2");
  flag.name = "Beta \"quoted\" feature";
  flag.active = false;
  flag.ensure_experience_continuity = true;
  flag.evaluation_runtime = "server";
  flag.evaluation_contexts = {"web", "with \"quote\"", "ünïcode"};
  flag.bucketing_identifier = "device_id";
  flag.created_by = 1;
  flag.id = 999;           // assigned by the store
  flag.version = 7;        // starts at 1
  flag.created_at_us = 5;  // now
  flag.updated_at_us = 6;  // now
  FeatureFlagRecord created = MustCreate(flag);
  EXPECT_GT(created.id, 0);
  EXPECT_NE(created.id, 999);
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.created_at_us, kStart);
  EXPECT_EQ(created.updated_at_us, kStart);
  EXPECT_EQ(created.key, "beta-feature_2");
  EXPECT_EQ(created.name, flag.name);
  EXPECT_EQ(created.filters_json, flag.filters_json);
  EXPECT_FALSE(created.active);
  EXPECT_FALSE(created.deleted);
  EXPECT_TRUE(created.ensure_experience_continuity);
  EXPECT_EQ(created.evaluation_runtime, "server");
  EXPECT_EQ(created.evaluation_contexts, flag.evaluation_contexts);
  EXPECT_EQ(created.bucketing_identifier, "device_id");
  EXPECT_EQ(created.created_by, 1);

  auto read = store_->FeatureFlagById(team_, created.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameFlag(*read, created);
}

TEST_F(FeatureFlags, NullableFieldsStayNull) {
  FeatureFlagRecord created = MustCreate(Flag("plain"));
  EXPECT_FALSE(created.evaluation_runtime.has_value());
  EXPECT_FALSE(created.bucketing_identifier.has_value());
  EXPECT_FALSE(created.created_by.has_value());
  EXPECT_TRUE(created.evaluation_contexts.empty());
  EXPECT_TRUE(created.active);
}

TEST_F(FeatureFlags, UpdateBumpsVersionAndKeepsCreationFields) {
  FeatureFlagRecord flag = Flag("f");
  flag.created_by = 1;
  FeatureFlagRecord created = MustCreate(flag);
  clock_.Advance(kSecondUs);

  FeatureFlagRecord change = created;
  change.key = "renamed";
  change.name = "New name";
  change.filters_json = R"({"groups":[],"multivariate":null})";
  change.active = false;
  change.ensure_experience_continuity = true;
  change.evaluation_runtime = "client";
  change.evaluation_contexts = {"app"};
  change.bucketing_identifier = "distinct_id";
  change.created_by = 42;    // not changeable
  change.created_at_us = 1;  // not changeable
  change.version = 100;      // stored + 1 wins
  FeatureFlagRecord updated = MustUpdate(change);
  EXPECT_EQ(updated.id, created.id);
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.key, "renamed");
  EXPECT_EQ(updated.name, "New name");
  EXPECT_EQ(updated.filters_json, change.filters_json);
  EXPECT_FALSE(updated.active);
  EXPECT_TRUE(updated.ensure_experience_continuity);
  EXPECT_EQ(updated.evaluation_runtime, "client");
  EXPECT_EQ(updated.evaluation_contexts, std::vector<std::string>{"app"});
  EXPECT_EQ(updated.bucketing_identifier, "distinct_id");
  EXPECT_EQ(updated.created_by, 1);
  EXPECT_EQ(updated.created_at_us, kStart);
  EXPECT_EQ(updated.updated_at_us, kStart + kSecondUs);

  clock_.Advance(kSecondUs);
  change.evaluation_runtime.reset();
  change.bucketing_identifier.reset();
  change.evaluation_contexts.clear();
  FeatureFlagRecord again = MustUpdate(change);
  EXPECT_EQ(again.version, 3);
  EXPECT_FALSE(again.evaluation_runtime.has_value());
  EXPECT_FALSE(again.bucketing_identifier.has_value());
  EXPECT_TRUE(again.evaluation_contexts.empty());

  auto read = store_->FeatureFlagById(team_, created.id);
  ASSERT_TRUE(read.ok());
  ExpectSameFlag(*read, again);
}

TEST_F(FeatureFlags, UnknownFlagOrProjectIsNotFound) {
  FeatureFlagRecord created = MustCreate(Flag("f"));
  EXPECT_EQ(store_->FeatureFlagById(team_, created.id + 1).status().code(), StatusCode::kNotFound);
  FeatureFlagRecord missing = created;
  missing.id = created.id + 1;
  EXPECT_EQ(store_->UpdateFeatureFlag(missing).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateFeatureFlag(Flag("f", 12345)).status().code(), StatusCode::kNotFound);
  FeatureFlagRecord elsewhere = created;
  elsewhere.team_id = 12345;
  EXPECT_EQ(store_->UpdateFeatureFlag(elsewhere).status().code(), StatusCode::kNotFound);
}

TEST_F(FeatureFlags, DuplicateLiveKeyIsAlreadyExistsOnCreateAndUpdate) {
  MustCreate(Flag("taken"));
  FeatureFlagRecord other = MustCreate(Flag("free"));
  auto duplicate = store_->CreateFeatureFlag(Flag("taken"));
  ASSERT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().message(), "There is already a feature flag with this key.");

  other.key = "taken";
  auto renamed = store_->UpdateFeatureFlag(other);
  ASSERT_EQ(renamed.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(renamed.status().message(), "There is already a feature flag with this key.");
  // The failed update changed nothing.
  auto read = store_->FeatureFlagById(team_, other.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->key, "free");
  EXPECT_EQ(read->version, 1);
  // Keys are case-sensitive, as in PostHog.
  MustCreate(Flag("TAKEN"));
}

TEST_F(FeatureFlags, SoftDeleteHidesTheFlagAndFreesItsKey) {
  FeatureFlagRecord first = MustCreate(Flag("reused"));
  MustCreate(Flag("kept"));
  first.deleted = true;
  FeatureFlagRecord deleted = MustUpdate(first);
  EXPECT_TRUE(deleted.deleted);
  EXPECT_EQ(deleted.version, 2);

  EXPECT_EQ(Keys(team_, false), std::vector<std::string>{"kept"});
  EXPECT_EQ(Keys(team_, true), (std::vector<std::string>{"reused", "kept"}));
  // A deleted flag is still readable by id and still updatable.
  auto read = store_->FeatureFlagById(team_, first.id);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->deleted);

  FeatureFlagRecord second = MustCreate(Flag("reused"));
  EXPECT_GT(second.id, first.id);
  EXPECT_EQ(Keys(team_, false), (std::vector<std::string>{"kept", "reused"}));
  // Two deleted flags may share a key; restoring one while a live flag has it may not.
  second.deleted = true;
  MustUpdate(second);
  MustCreate(Flag("reused"));
  first.deleted = false;
  auto restored = store_->UpdateFeatureFlag(first);
  EXPECT_EQ(restored.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(FeatureFlags, KeyMustBeLettersDigitsDashesAndUnderscores) {
  for (std::string key :
       {std::string(), std::string("has space"), std::string("dot.ted"), std::string("sl/ash"),
        std::string("ünï"), std::string("a\nb"), std::string(kMaxFeatureFlagKeyBytes + 1, 'k')}) {
    auto created = store_->CreateFeatureFlag(Flag(key));
    EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument) << "key '" << key << "'";
  }
  MustCreate(Flag(std::string(kMaxFeatureFlagKeyBytes, 'k')));
  FeatureFlagRecord flag = MustCreate(Flag("Aa0-_"));
  flag.key = "bad key";
  EXPECT_EQ(store_->UpdateFeatureFlag(flag).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Keys(team_, true).size(), 2u);
}

TEST_F(FeatureFlags, FiltersMustBeAJsonObject) {
  for (std::string filters : {"", "[]", "null", "1", "\"{}\"", "{", "{\"a\":}", "not json"}) {
    FeatureFlagRecord flag = Flag("f");
    flag.filters_json = filters;
    auto created = store_->CreateFeatureFlag(flag);
    EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument) << filters;
  }
  FeatureFlagRecord flag = Flag("f");
  flag.filters_json = "{}";
  FeatureFlagRecord created = MustCreate(flag);
  EXPECT_EQ(created.filters_json, "{}");
  created.filters_json = "[{}]";
  EXPECT_EQ(store_->UpdateFeatureFlag(created).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(FeatureFlags, RuntimeAndBucketingIdentifierComeFromTheirSets) {
  int n = 0;
  for (std::string runtime : {"all", "client", "server"}) {
    FeatureFlagRecord flag = Flag("r" + std::to_string(n++));
    flag.evaluation_runtime = runtime;
    EXPECT_EQ(MustCreate(flag).evaluation_runtime, runtime);
  }
  for (std::string runtime : {"", "ALL", "browser"}) {
    FeatureFlagRecord flag = Flag("bad-runtime");
    flag.evaluation_runtime = runtime;
    EXPECT_EQ(store_->CreateFeatureFlag(flag).status().code(), StatusCode::kInvalidArgument)
        << runtime;
  }
  for (std::string identifier : {"distinct_id", "device_id"}) {
    FeatureFlagRecord flag = Flag("b" + std::to_string(n++));
    flag.bucketing_identifier = identifier;
    EXPECT_EQ(MustCreate(flag).bucketing_identifier, identifier);
  }
  for (std::string identifier : {"", "person_id", "$device_id"}) {
    FeatureFlagRecord flag = Flag("bad-bucketing");
    flag.bucketing_identifier = identifier;
    EXPECT_EQ(store_->CreateFeatureFlag(flag).status().code(), StatusCode::kInvalidArgument)
        << identifier;
  }
}

TEST_F(FeatureFlags, ListIsOrderedByIdAndSkipsDeletedUnlessAsked) {
  FeatureFlagRecord c = MustCreate(Flag("c"));
  FeatureFlagRecord a = MustCreate(Flag("a"));
  FeatureFlagRecord b = MustCreate(Flag("b"));
  EXPECT_LT(c.id, a.id);
  EXPECT_LT(a.id, b.id);
  // Updating does not move a flag in the order.
  c.name = "updated";
  MustUpdate(c);
  a.deleted = true;
  MustUpdate(a);
  EXPECT_EQ(Keys(team_, false), (std::vector<std::string>{"c", "b"}));
  EXPECT_EQ(Keys(team_, true), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_TRUE(Keys(12345, true).empty());
}

TEST_F(FeatureFlags, ProjectsAreIsolated) {
  FeatureFlagRecord mine = MustCreate(Flag("same-key"));
  FeatureFlagRecord theirs = MustCreate(Flag("same-key", other_team_));
  EXPECT_EQ(theirs.team_id, other_team_);
  EXPECT_EQ(Keys(team_, true), std::vector<std::string>{"same-key"});
  EXPECT_EQ(Keys(other_team_, true), std::vector<std::string>{"same-key"});
  EXPECT_EQ(store_->FeatureFlagById(team_, theirs.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FeatureFlagById(other_team_, mine.id).status().code(), StatusCode::kNotFound);
  // Updating through the wrong project reaches nothing.
  FeatureFlagRecord wrong = theirs;
  wrong.team_id = team_;
  wrong.name = "hijacked";
  EXPECT_EQ(store_->UpdateFeatureFlag(wrong).status().code(), StatusCode::kNotFound);
  auto read = store_->FeatureFlagById(other_team_, theirs.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->name, "");
}

TEST_F(FeatureFlags, GenerationGrowsOnEveryFlagAndCohortWriteOfItsProject) {
  EXPECT_EQ(store_->FlagsGeneration(team_), 0u);
  EXPECT_EQ(store_->FlagsGeneration(other_team_), 0u);
  std::vector<uint64_t> seen;
  FeatureFlagRecord flag = MustCreate(Flag("f"));
  seen.push_back(store_->FlagsGeneration(team_));
  EXPECT_GT(seen.back(), 0u);
  // The clock does not move: the number still grows.
  flag.name = "1";
  MustUpdate(flag);
  seen.push_back(store_->FlagsGeneration(team_));
  CohortRecord cohort = MustCreate(Cohort("c"));
  seen.push_back(store_->FlagsGeneration(team_));
  cohort.name = "renamed";
  ASSERT_TRUE(store_->UpdateCohort(cohort).ok());
  seen.push_back(store_->FlagsGeneration(team_));
  clock_.Advance(kSecondUs);
  flag.deleted = true;
  MustUpdate(flag);
  seen.push_back(store_->FlagsGeneration(team_));
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i], seen[i - 1]) << i;

  // Failed writes and reads leave it alone; other projects are unaffected.
  EXPECT_FALSE(store_->CreateFeatureFlag(Flag("bad key")).ok());
  FeatureFlagRecord missing = flag;
  missing.id = 9999;
  EXPECT_FALSE(store_->UpdateFeatureFlag(missing).ok());
  ASSERT_TRUE(store_->ListFeatureFlags(team_, true).ok());
  EXPECT_EQ(store_->FlagsGeneration(team_), seen.back());
  EXPECT_EQ(store_->FlagsGeneration(other_team_), 0u);
  MustCreate(Flag("f", other_team_));
  EXPECT_GT(store_->FlagsGeneration(other_team_), 0u);
  EXPECT_EQ(store_->FlagsGeneration(team_), seen.back());
}

TEST_F(FeatureFlags, RestartKeepsFlagsCohortsAndGeneration) {
  FeatureFlagRecord flag = Flag("persisted");
  flag.evaluation_contexts = {"a", "b"};
  flag.evaluation_runtime = "all";
  FeatureFlagRecord created = MustCreate(flag);
  created.deleted = true;
  FeatureFlagRecord deleted = MustUpdate(created);
  FeatureFlagRecord live = MustCreate(Flag("persisted"));
  CohortRecord cohort = MustCreate(Cohort("people"));
  const uint64_t generation = store_->FlagsGeneration(team_);
  const uint64_t other_generation = store_->FlagsGeneration(other_team_);

  Reopen();
  auto flags = store_->ListFeatureFlags(team_, true);
  ASSERT_TRUE(flags.ok());
  ASSERT_EQ(flags->size(), 2u);
  ExpectSameFlag((*flags)[0], deleted);
  ExpectSameFlag((*flags)[1], live);
  auto cohorts = store_->ListCohorts(team_, false);
  ASSERT_TRUE(cohorts.ok());
  ASSERT_EQ(cohorts->size(), 1u);
  EXPECT_EQ((*cohorts)[0].name, "people");
  EXPECT_EQ((*cohorts)[0].id, cohort.id);
  // The same number for the same content, and the key is still taken.
  EXPECT_EQ(store_->FlagsGeneration(team_), generation);
  EXPECT_EQ(store_->FlagsGeneration(other_team_), other_generation);
  EXPECT_EQ(store_->CreateFeatureFlag(Flag("persisted")).status().code(),
            StatusCode::kAlreadyExists);
  // The clock has not moved since before the restart: the next write still gets a new number.
  MustCreate(Flag("after-restart"));
  EXPECT_GT(store_->FlagsGeneration(team_), generation);
}

TEST_F(FeatureFlags, GenerationOfARestoredOlderFileDoesNotRepeatIssuedNumbers) {
  MustCreate(Flag("first"));
  const uint64_t first = store_->FlagsGeneration(team_);
  store_.reset();
  // Keep a copy of the file as it is now (WAL checkpointed on close), write more, then put the
  // copy back: the numbers issued after the copy must not be issued again for other content.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, ("VACUUM INTO '" + dir_.Join("backup.sqlite") + "'").c_str(), nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  FeatureFlagRecord second = MustCreate(Flag("second"));
  second.name = "x";
  MustUpdate(second);
  const uint64_t issued = store_->FlagsGeneration(team_);
  EXPECT_GT(issued, first);
  store_.reset();
  std::filesystem::remove(path() + "-wal");
  std::filesystem::remove(path() + "-shm");
  std::filesystem::copy_file(dir_.Join("backup.sqlite"), path(),
                             std::filesystem::copy_options::overwrite_existing);
  clock_.Advance(kSecondUs);
  Reopen();
  EXPECT_EQ(store_->FlagsGeneration(team_), first);
  MustCreate(Flag("other"));
  EXPECT_GT(store_->FlagsGeneration(team_), issued);
}

TEST_F(FeatureFlags, DeletingTheProjectRemovesItsFlagsAndGeneration) {
  MustCreate(Flag("f", other_team_));
  MustCreate(Cohort("c", other_team_));
  ASSERT_TRUE(store_->DeleteProject(other_team_).ok());
  EXPECT_TRUE(Keys(other_team_, true).empty());
  EXPECT_EQ(store_->FlagsGeneration(other_team_), 0u);
  Reopen();
  EXPECT_EQ(store_->FlagsGeneration(other_team_), 0u);
  EXPECT_EQ(store_->CreateFeatureFlag(Flag("f", other_team_)).status().code(),
            StatusCode::kNotFound);
}

TEST_F(FeatureFlags, UpgradeFromVersionTwoKeepsDataAndAddsTheTables) {
  store_.reset();
  testing::TempDir old_dir;
  std::string old_path = old_dir.Join("meta.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(old_path.c_str(), &db), SQLITE_OK);
  std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
      "applied_at INTEGER NOT NULL);";
  for (const sqlite::Migration& migration : SchemaMigrations()) {
    if (migration.version > 2) break;
    sql += std::string(migration.sql);
    sql += "INSERT INTO schema_migrations VALUES (" + std::to_string(migration.version) +
           ", 'old', 0);";
  }
  sql +=
      "INSERT INTO organizations VALUES ('org', 'Org', 0);"
      "INSERT INTO projects (id, organization_id, name, api_token, secret_api_token, created_at) "
      "VALUES (7, 'org', 'Old', 'phc_old', 'phs_old', 0);";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto opened = OpenSqliteMetaStore(old_path, clock_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto project = (*opened)->ProjectBySecretToken("phs_old");
  ASSERT_TRUE(project.ok()) << project.status().ToString();
  EXPECT_EQ(project->id, 7);
  auto created = (*opened)->CreateFeatureFlag(Flag("new", 7));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT((*opened)->FlagsGeneration(7), 0u);
}

TEST_F(FeatureFlags, ProjectBySecretTokenFindsProjectsFromMemory) {
  auto found = store_->ProjectBySecretToken(project_.secret_api_token);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, team_);
  EXPECT_EQ(*found, project_);
  // The public token is not a secret token, and unknown ones are not found.
  EXPECT_EQ(store_->ProjectBySecretToken(project_.api_token).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->ProjectBySecretToken("phs_unknown").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ProjectBySecretToken("").status().code(), StatusCode::kNotFound);

  auto other = store_->ProjectById(other_team_);
  ASSERT_TRUE(other.ok());
  auto other_found = store_->ProjectBySecretToken(other->secret_api_token);
  ASSERT_TRUE(other_found.ok());
  EXPECT_EQ(other_found->id, other_team_);

  // Settings changes show; a deleted project stops resolving at once; a restart reloads.
  Project renamed = project_;
  renamed.name = "Renamed";
  ASSERT_TRUE(store_->UpdateProject(renamed).ok());
  EXPECT_EQ(store_->ProjectBySecretToken(project_.secret_api_token)->name, "Renamed");
  ASSERT_TRUE(store_->DeleteProject(other_team_).ok());
  EXPECT_EQ(store_->ProjectBySecretToken(other->secret_api_token).status().code(),
            StatusCode::kNotFound);
  Reopen();
  auto reloaded = store_->ProjectBySecretToken(project_.secret_api_token);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->name, "Renamed");
  EXPECT_EQ(store_->ProjectBySecretToken(other->secret_api_token).status().code(),
            StatusCode::kNotFound);
}

TEST_F(Cohorts, CreateUpdateAndReadBack) {
  CohortRecord cohort = Cohort("Power users");
  cohort.description = "People who do things";
  cohort.is_static = true;
  cohort.created_by = 1;
  cohort.version = 9;
  CohortRecord created = MustCreate(cohort);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.team_id, team_);
  EXPECT_EQ(created.name, "Power users");
  EXPECT_EQ(created.description, "People who do things");
  EXPECT_EQ(created.filters_json, cohort.filters_json);
  EXPECT_TRUE(created.is_static);
  EXPECT_FALSE(created.deleted);
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.created_by, 1);
  EXPECT_EQ(created.created_at_us, kStart);
  EXPECT_EQ(created.updated_at_us, kStart);

  clock_.Advance(kSecondUs);
  CohortRecord change = created;
  change.name = "Renamed";
  change.description = "";
  change.filters_json = "{}";
  change.is_static = false;
  change.created_by = 5;
  change.created_at_us = 0;
  auto updated = store_->UpdateCohort(change);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->name, "Renamed");
  EXPECT_EQ(updated->description, "");
  EXPECT_EQ(updated->filters_json, "{}");
  EXPECT_FALSE(updated->is_static);
  EXPECT_EQ(updated->created_by, 1);
  EXPECT_EQ(updated->created_at_us, kStart);
  EXPECT_EQ(updated->updated_at_us, kStart + kSecondUs);

  auto read = store_->CohortById(team_, created.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->name, "Renamed");
  EXPECT_EQ(read->version, 2);
}

TEST_F(Cohorts, NameAndFiltersAreValidated) {
  EXPECT_EQ(store_->CreateCohort(Cohort("")).status().code(), StatusCode::kInvalidArgument);
  CohortRecord bad = Cohort("c");
  bad.filters_json = "[]";
  EXPECT_EQ(store_->CreateCohort(bad).status().code(), StatusCode::kInvalidArgument);
  bad.filters_json = "nope";
  EXPECT_EQ(store_->CreateCohort(bad).status().code(), StatusCode::kInvalidArgument);
  CohortRecord created = MustCreate(Cohort("c"));
  created.name = "";
  EXPECT_EQ(store_->UpdateCohort(created).status().code(), StatusCode::kInvalidArgument);
  auto list = store_->ListCohorts(team_, true);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
  // Names need not be unique.
  MustCreate(Cohort("c"));
}

TEST_F(Cohorts, SoftDeleteListOrderAndProjectIsolation) {
  CohortRecord a = MustCreate(Cohort("a"));
  CohortRecord b = MustCreate(Cohort("b"));
  CohortRecord theirs = MustCreate(Cohort("theirs", other_team_));
  CohortRecord c = MustCreate(Cohort("c"));
  b.deleted = true;
  auto deleted = store_->UpdateCohort(b);
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->deleted);

  auto names = [&](int64_t team_id, bool include_deleted) {
    std::vector<std::string> result;
    auto list = store_->ListCohorts(team_id, include_deleted);
    EXPECT_TRUE(list.ok());
    if (list.ok()) {
      for (const CohortRecord& cohort : *list) result.push_back(cohort.name);
    }
    return result;
  };
  EXPECT_EQ(names(team_, false), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(names(team_, true), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(names(other_team_, true), std::vector<std::string>{"theirs"});
  EXPECT_TRUE(store_->CohortById(team_, b.id).ok());
  EXPECT_EQ(store_->CohortById(team_, theirs.id).status().code(), StatusCode::kNotFound);
  theirs.team_id = team_;
  EXPECT_EQ(store_->UpdateCohort(theirs).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateCohort(Cohort("x", 12345)).status().code(), StatusCode::kNotFound);
  EXPECT_LT(a.id, c.id);
}

TEST_F(Cohorts, RestartKeepsCohorts) {
  CohortRecord cohort = Cohort("kept");
  cohort.is_static = true;
  CohortRecord created = MustCreate(cohort);
  Reopen();
  auto read = store_->CohortById(team_, created.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, "kept");
  EXPECT_TRUE(read->is_static);
  EXPECT_EQ(read->filters_json, created.filters_json);
  EXPECT_EQ(read->created_at_us, created.created_at_us);
  CohortRecord next = MustCreate(Cohort("next"));
  EXPECT_GT(next.id, created.id);
}

}  // namespace
}  // namespace hoglet::meta
