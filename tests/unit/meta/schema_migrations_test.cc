#include "meta/schema_migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "base/clock.h"
#include "meta/sqlite_meta_store.h"
#include "sqlite/connection.h"
#include "sqlite/migrations.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

void ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
}

TEST(SchemaMigrations, VersionsAreConsecutiveFromOne) {
  int expected = 1;
  for (const sqlite::Migration& migration : SchemaMigrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_FALSE(migration.description.empty());
  }
  EXPECT_EQ(LatestSchemaVersion(), expected - 1);
}

TEST(SchemaMigrations, OpenRecordsEveryVersionOnce) {
  testing::TempDir dir;
  ManualClock clock(1'700'000'000'000'000);
  std::string path = dir.Join("meta.sqlite");
  ASSERT_TRUE(OpenSqliteMetaStore(path, clock).ok());
  ASSERT_TRUE(OpenSqliteMetaStore(path, clock).ok());  // reopening applies nothing twice
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(path, "SELECT MAX(version) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(path, "SELECT MIN(applied_at) FROM schema_migrations"), 1'700'000'000'000'000);
}

TEST(SchemaMigrations, OpenUsesWalAndCreatesTables) {
  testing::TempDir dir;
  std::string path = dir.Join("meta.sqlite");
  ASSERT_TRUE(OpenSqliteMetaStore(path, SystemClock::Get()).ok());
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
            1);
  EXPECT_EQ(QueryInt(path,
                     "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                     "('organizations', 'users', 'projects', 'personal_api_keys')"),
            4);
  EXPECT_EQ(QueryInt(path,
                     "SELECT COUNT(*) FROM pragma_table_info('users') "
                     "WHERE name = 'password_hash' AND \"notnull\" = 0"),
            1);
}

// Version 13 rebuilds property_definitions: the rows of a version-12 database keep their ids,
// uuids, types and notes, and group properties of one name then fit once per group type.
TEST(SchemaMigrations, PropertyDefinitionsKeepTheirRowsThroughTheRebuild) {
  testing::TempDir dir;
  std::string path = dir.Join("meta.sqlite");
  {
    auto db = sqlite::Connection::Open(path, {});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(sqlite::Migrate(**db, SchemaMigrations().first(12), 1).ok());
  }
  ExecSql(path,
          "INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1);"
          "INSERT INTO projects (id, organization_id, name, api_token, secret_api_token, "
          "created_at) VALUES (7, 'o', 'P', 'phc_x', 'phs_x', 1);"
          "INSERT INTO property_definitions (id, uuid, team_id, type, name, property_type, "
          "is_numerical, created_at, last_seen_at, description, tags, verified) VALUES "
          "(41, 'u-41', 7, 1, 'plan', 'String', 0, 1, 2, 'the plan', '[\"billing\"]', 1), "
          "(42, 'u-42', 7, 2, 'plan', 'Numeric', 1, 1, NULL, '', '[]', 0);");
  ManualClock clock(1'700'000'000'000'000);
  ASSERT_TRUE(OpenSqliteMetaStore(path, clock).ok());
  EXPECT_EQ(QueryInt(path, "SELECT MAX(version) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(path,
                     "SELECT COUNT(*) FROM property_definitions WHERE id = 41 AND uuid = 'u-41' "
                     "AND type = 1 AND group_type_index = -1 AND property_type = 'String' AND "
                     "last_seen_at = 2 AND description = 'the plan' AND tags = '[\"billing\"]' "
                     "AND verified = 1"),
            1);
  EXPECT_EQ(QueryInt(path,
                     "SELECT COUNT(*) FROM property_definitions WHERE id = 42 AND type = 2 AND "
                     "is_numerical = 1 AND last_seen_at IS NULL"),
            1);
  ExecSql(path,
          "INSERT INTO property_definitions (uuid, team_id, type, group_type_index, name, "
          "created_at) VALUES ('g0', 7, 3, 0, 'plan', 1), ('g1', 7, 3, 1, 'plan', 1);");
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM property_definitions WHERE name = 'plan'"), 4);
  EXPECT_GT(QueryInt(path, "SELECT MIN(id) FROM property_definitions WHERE type = 3"), 42);
}

TEST(SchemaMigrations, NewerDatabaseIsDataLoss) {
  testing::TempDir dir;
  std::string path = dir.Join("meta.sqlite");
  ASSERT_TRUE(OpenSqliteMetaStore(path, SystemClock::Get()).ok());
  int future = LatestSchemaVersion() + 1;
  ExecSql(path, "INSERT INTO schema_migrations (version, description, applied_at) VALUES (" +
                    std::to_string(future) + ", 'from the future', 0)");
  auto reopened = OpenSqliteMetaStore(path, SystemClock::Get());
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(reopened.status().message().find("schema version " + std::to_string(future)),
            std::string::npos)
      << reopened.status().message();
  EXPECT_NE(reopened.status().message().find("newer Hoglet"), std::string::npos);
}

TEST(SchemaMigrations, GarbageFileIsDataLoss) {
  testing::TempDir dir;
  std::string path = dir.Join("meta.sqlite");
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(8192, 'x');
  }
  auto opened = OpenSqliteMetaStore(path, SystemClock::Get());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss) << opened.status().ToString();
}

TEST(SchemaMigrations, UnopenableFileIsUnavailable) {
  testing::TempDir dir;
  auto opened = OpenSqliteMetaStore(dir.Join("missing/dir/meta.sqlite"), SystemClock::Get());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable) << opened.status().ToString();
}

}  // namespace
}  // namespace hoglet::meta
