#include "sqlite/migrations.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sqlite/connection.h"
#include "tests/support/temp_dir.h"

namespace hoglet::sqlite {
namespace {

// Each migration logs its version into `applied`, so the tests see what ran and in which order.
constexpr Migration kThree[] = {
    {1, "log table", "CREATE TABLE applied (version INTEGER); INSERT INTO applied VALUES (1);"},
    {2, "a", "CREATE TABLE a (x INTEGER); INSERT INTO applied VALUES (2);"},
    {3, "a.y", "ALTER TABLE a ADD COLUMN y INTEGER; INSERT INTO applied VALUES (3);"},
};

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    db_.reset();
    OpenOptions options;
    options.name = "test database";
    auto opened = Connection::Open(dir_.Join("a.sqlite"), options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = *std::move(opened);
  }

  std::vector<int64_t> Column(const std::string& sql) {
    std::vector<int64_t> values;
    auto query = db_->Prepare(sql);
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return values;
    while (*query->Step()) values.push_back(query->ColumnInt64(0));
    return values;
  }

  int Version() {
    auto version = SchemaVersion(*db_);
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    return version.ok() ? *version : -1;
  }

  bool HasTable(const std::string& name) {
    return Column("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name +
                  "'") == std::vector<int64_t>{1};
  }

  testing::TempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_F(MigrationsTest, NewDatabaseIsVersionZero) {
  EXPECT_EQ(Version(), 0);
  EXPECT_TRUE(HasTable("schema_migrations"));
}

TEST_F(MigrationsTest, AppliesEveryMigrationInOrderAndRecordsIt) {
  ASSERT_TRUE(Migrate(*db_, kThree, 1'700'000'000'000'000).ok());
  EXPECT_EQ(Version(), 3);
  EXPECT_EQ(Column("SELECT version FROM applied ORDER BY rowid"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Column("SELECT version FROM schema_migrations ORDER BY version"),
            (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Column("SELECT DISTINCT applied_at FROM schema_migrations"),
            (std::vector<int64_t>{1'700'000'000'000'000}));
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(MigrationsTest, AppliesEachMigrationOnce) {
  ASSERT_TRUE(Migrate(*db_, kThree, 1).ok());
  ASSERT_TRUE(Migrate(*db_, kThree, 2).ok());
  Reopen();
  ASSERT_TRUE(Migrate(*db_, kThree, 3).ok());
  EXPECT_EQ(Column("SELECT version FROM applied ORDER BY rowid"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Column("SELECT applied_at FROM schema_migrations ORDER BY version"),
            (std::vector<int64_t>{1, 1, 1}));
}

TEST_F(MigrationsTest, AppliesOnlyWhatIsNewer) {
  std::span<const Migration> first_two(kThree, 2);
  ASSERT_TRUE(Migrate(*db_, first_two, 10).ok());
  EXPECT_EQ(Version(), 2);
  ASSERT_TRUE(Migrate(*db_, kThree, 20).ok());
  EXPECT_EQ(Version(), 3);
  EXPECT_EQ(Column("SELECT version FROM applied ORDER BY rowid"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Column("SELECT applied_at FROM schema_migrations ORDER BY version"),
            (std::vector<int64_t>{10, 10, 20}));
}

TEST_F(MigrationsTest, FailedMigrationLeavesTheVersionUnchanged) {
  std::span<const Migration> first(kThree, 1);
  ASSERT_TRUE(Migrate(*db_, first, 1).ok());
  const Migration broken[] = {
      kThree[0],
      kThree[1],  // fine, but goes with the failure of 3
      {3, "broken", "INSERT INTO applied VALUES (3); CREATE TABLE a (duplicate INTEGER);"},
  };
  Status failed = Migrate(*db_, broken, 2);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find("test database schema migration 3"), std::string::npos)
      << failed.message();
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(Version(), 1);
  EXPECT_FALSE(HasTable("a"));
  EXPECT_EQ(Column("SELECT version FROM applied"), (std::vector<int64_t>{1}));
  // The fixed list then applies from where the database is.
  ASSERT_TRUE(Migrate(*db_, kThree, 3).ok());
  EXPECT_EQ(Column("SELECT version FROM applied ORDER BY rowid"), (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(MigrationsTest, NewerDatabaseIsDataLoss) {
  ASSERT_TRUE(Migrate(*db_, kThree, 1).ok());
  std::span<const Migration> older(kThree, 2);
  Status refused = Migrate(*db_, older, 2);
  EXPECT_EQ(refused.code(), StatusCode::kDataLoss);
  EXPECT_NE(refused.message().find("the test database is at schema version 3"), std::string::npos)
      << refused.message();
  EXPECT_NE(refused.message().find("newer Hoglet"), std::string::npos);
  EXPECT_EQ(Version(), 3);
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(MigrationsTest, MisnumberedListIsInternalAndAppliesNothing) {
  const Migration gap[] = {kThree[0], kThree[2]};
  EXPECT_EQ(Migrate(*db_, gap, 1).code(), StatusCode::kInternal);
  const Migration from_zero[] = {{0, "zero", "CREATE TABLE zero (x INTEGER);"}};
  EXPECT_EQ(Migrate(*db_, from_zero, 1).code(), StatusCode::kInternal);
  EXPECT_EQ(Version(), 0);
  EXPECT_FALSE(HasTable("applied"));
  EXPECT_FALSE(HasTable("zero"));
}

// The metadata and persons stores recorded their versions this way before both used this runner
// (the same table, created by the same statement, and MAX(version)); such files keep opening at
// their version and only newer migrations run.
TEST_F(MigrationsTest, OpensBookkeepingOfTheEarlierRunners) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                        "description TEXT NOT NULL, applied_at INTEGER NOT NULL);"
                        "CREATE TABLE applied (version INTEGER); INSERT INTO applied VALUES (1);"
                        "CREATE TABLE a (x INTEGER); INSERT INTO applied VALUES (2);"
                        "INSERT INTO schema_migrations VALUES (1, 'log table', 5);"
                        "INSERT INTO schema_migrations VALUES (2, 'a', 6);")
                  .ok());
  Reopen();
  EXPECT_EQ(Version(), 2);
  ASSERT_TRUE(Migrate(*db_, kThree, 7).ok());
  EXPECT_EQ(Column("SELECT version FROM applied ORDER BY rowid"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Column("SELECT applied_at FROM schema_migrations ORDER BY version"),
            (std::vector<int64_t>{5, 6, 7}));
}

}  // namespace
}  // namespace hoglet::sqlite
