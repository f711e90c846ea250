#include "persons/person_schema.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "persons/sqlite_person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::persons {
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

TEST(PersonSchema, VersionsAreConsecutiveFromOne) {
  int expected = 1;
  for (const sqlite::Migration& migration : PersonsSchemaMigrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_FALSE(migration.description.empty());
  }
  EXPECT_EQ(LatestPersonsSchemaVersion(), expected - 1);
}

TEST(PersonSchema, OpenRecordsEveryVersionOnceInWalMode) {
  testing::TempDir dir;
  std::string path = dir.Join("persons.sqlite");
  ASSERT_TRUE(OpenSqlitePersonStore(path).ok());
  ASSERT_TRUE(OpenSqlitePersonStore(path).ok());  // reopening applies nothing twice
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"), LatestPersonsSchemaVersion());
  EXPECT_EQ(QueryInt(path, "SELECT MAX(version) FROM schema_migrations"),
            LatestPersonsSchemaVersion());
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
            1);
}

}  // namespace
}  // namespace hoglet::persons
