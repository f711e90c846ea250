#include "sqlite/connection.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace hoglet::sqlite {
namespace {

int64_t QueryInt(Connection& db, const std::string& sql) {
  auto query = db.Prepare(sql);
  EXPECT_TRUE(query.ok()) << query.status().ToString();
  if (!query.ok()) return -1;
  auto row = query->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return query->ColumnInt64(0);
}

std::string QueryText(Connection& db, const std::string& sql) {
  auto query = db.Prepare(sql);
  EXPECT_TRUE(query.ok()) << query.status().ToString();
  if (!query.ok()) return {};
  auto row = query->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return query->ColumnText(0);
}

TEST(Connection, OpenUsesWalAndFullSync) {
  testing::TempDir dir;
  auto db = Connection::Open(dir.Join("a.sqlite"), {});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(QueryText(**db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryInt(**db, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(QueryInt(**db, "PRAGMA foreign_keys"), 0);
  EXPECT_EQ(QueryInt(**db, "PRAGMA busy_timeout"), 5000);
  EXPECT_EQ(QueryInt(**db, "PRAGMA journal_size_limit"), kWalSizeLimitBytes);
}

TEST(Connection, TheWalIsCutBackOnceCheckpointed) {
  testing::TempDir dir;
  auto db = Connection::Open(dir.Join("a.sqlite"), {});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (v BLOB)").ok());
  // One transaction of 16 MiB: the WAL holds all of it until the commit.
  ASSERT_TRUE((*db)
                  ->Exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 4096) INSERT INTO t SELECT randomblob(4096) FROM n; COMMIT")
                  .ok());
  const std::string wal = dir.Join("a.sqlite-wal");
  auto wal_bytes = [&] { return std::ifstream(wal, std::ios::ate | std::ios::binary).tellg(); };
  EXPECT_GT(wal_bytes(), 16 << 20);
  // A checkpoint, then a write that starts the WAL over.
  EXPECT_EQ(QueryInt(**db, "PRAGMA wal_checkpoint(PASSIVE)"), 0);
  ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (x'00')").ok());
  EXPECT_LE(wal_bytes(), kWalSizeLimitBytes);
}

TEST(Connection, OpenAppliesOptions) {
  testing::TempDir dir;
  OpenOptions options;
  options.name = "test database";
  options.busy_timeout_ms = 250;
  options.foreign_keys = true;
  options.page_cache_kib = 4096;
  options.mmap_bytes = 1 << 20;
  auto db = Connection::Open(dir.Join("a.sqlite"), options);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->name(), "test database");
  EXPECT_EQ(QueryInt(**db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(QueryInt(**db, "PRAGMA busy_timeout"), 250);
  EXPECT_EQ(QueryInt(**db, "PRAGMA cache_size"), -4096);
  EXPECT_EQ(QueryInt(**db, "PRAGMA mmap_size"), 1 << 20);
}

TEST(Connection, ForeignKeysAreEnforcedWhenAsked) {
  testing::TempDir dir;
  OpenOptions options;
  options.foreign_keys = true;
  auto db = Connection::Open(dir.Join("a.sqlite"), options);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)
                  ->Exec("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                         "CREATE TABLE child (parent_id INTEGER REFERENCES parent(id));")
                  .ok());
  Status orphan = (*db)->Exec("INSERT INTO child VALUES (7)");
  EXPECT_EQ(orphan.code(), StatusCode::kInvalidArgument) << orphan.ToString();
}

TEST(Connection, UnopenableFileIsUnavailable) {
  testing::TempDir dir;
  auto db = Connection::Open(dir.Join("missing/dir/a.sqlite"), {});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable) << db.status().ToString();
}

TEST(Connection, GarbageFileIsDataLossNamingTheDatabase) {
  testing::TempDir dir;
  std::string path = dir.Join("a.sqlite");
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(8192, 'x');
  }
  OpenOptions options;
  options.name = "persons database";
  auto db = Connection::Open(path, options);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss) << db.status().ToString();
  EXPECT_NE(db.status().message().find("the persons database is damaged"), std::string::npos)
      << db.status().message();
}

TEST(Connection, ExecAndPrepareErrorsQuoteTheSql) {
  testing::TempDir dir;
  auto db = Connection::Open(dir.Join("a.sqlite"), {});
  ASSERT_TRUE(db.ok());
  Status exec = (*db)->Exec("SELEKT 1");
  EXPECT_EQ(exec.code(), StatusCode::kInternal);
  EXPECT_NE(exec.message().find("SELEKT 1"), std::string::npos) << exec.message();
  auto prepared = (*db)->Prepare("SELECT * FROM nowhere");
  ASSERT_FALSE(prepared.ok());
  EXPECT_NE(prepared.status().message().find("nowhere"), std::string::npos);
  EXPECT_FALSE((*db)->PrepareCached("SELECT * FROM nowhere").ok());
}

TEST(Connection, ChangesAndLastInsertRowId) {
  testing::TempDir dir;
  auto db = Connection::Open(dir.Join("a.sqlite"), {});
  ASSERT_TRUE(db.ok());
  Connection& c = **db;
  ASSERT_TRUE(c.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)").ok());
  ASSERT_TRUE(c.Exec("INSERT INTO t (v) VALUES (1), (1), (2)").ok());
  EXPECT_EQ(c.LastInsertRowId(), 3);
  ASSERT_TRUE(c.Exec("UPDATE t SET v = 5 WHERE v = 1").ok());
  EXPECT_EQ(c.Changes(), 2);
  EXPECT_FALSE(c.InTransaction());
  ASSERT_TRUE(c.Exec("BEGIN").ok());
  EXPECT_TRUE(c.InTransaction());
  ASSERT_TRUE(c.Exec("ROLLBACK").ok());
}

TEST(Connection, TwoConnectionsSeeCommittedData) {
  testing::TempDir dir;
  std::string path = dir.Join("a.sqlite");
  auto writer = Connection::Open(path, {});
  auto reader = Connection::Open(path, {});
  ASSERT_TRUE(writer.ok() && reader.ok());
  ASSERT_TRUE((*writer)->Exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42)").ok());
  EXPECT_EQ(QueryInt(**reader, "SELECT v FROM t"), 42);
}

}  // namespace
}  // namespace hoglet::sqlite
