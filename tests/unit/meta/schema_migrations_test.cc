#include "meta/schema_migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "base/clock.h"
#include "meta/sqlite_meta_store.h"
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
