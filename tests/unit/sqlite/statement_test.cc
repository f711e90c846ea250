#include "sqlite/statement.h"

#include <gtest/gtest.h>

#include <memory>

#include "sqlite/connection.h"
#include "tests/support/temp_dir.h"

namespace hoglet::sqlite {
namespace {

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Connection::Open(dir_.Join("a.sqlite"), {});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = *std::move(opened);
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, "
                          "n INTEGER CHECK (n IS NULL OR n >= 0), note TEXT)")
                    .ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_F(StatementTest, BindAllAndReadBackEveryType) {
  auto insert = db_->Prepare("INSERT INTO t (id, name, n, note) VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->BindAll(int64_t{1}, std::string("one"), true, "x").ok());
  ASSERT_TRUE(insert->Run().ok());
  ASSERT_TRUE(insert->Reset().ok());
  std::optional<int64_t> no_number;
  std::optional<std::string> no_note;
  ASSERT_TRUE(insert->BindAll(2, std::string_view("two"), no_number, no_note).ok());
  ASSERT_TRUE(insert->Run().ok());

  auto query = db_->Prepare("SELECT id, name, n, note FROM t ORDER BY id");
  ASSERT_TRUE(query.ok());
  auto row = query->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(query->ColumnInt64(0), 1);
  EXPECT_EQ(query->ColumnText(1), "one");
  EXPECT_EQ(query->ColumnView(1), "one");
  EXPECT_TRUE(query->ColumnBool(2));
  EXPECT_EQ(query->ColumnOptionalText(3), std::optional<std::string>("x"));
  row = query->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(query->ColumnInt64(0), 2);
  EXPECT_TRUE(query->ColumnIsNull(2));
  EXPECT_EQ(query->ColumnOptionalInt64(2), std::nullopt);
  EXPECT_EQ(query->ColumnOptionalText(3), std::nullopt);
  EXPECT_EQ(query->ColumnText(3), "");
  row = query->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST_F(StatementTest, TextWithNulBytesRoundTrips) {
  const std::string text("a\0b", 3);
  auto insert = db_->Prepare("INSERT INTO t (name) VALUES (?)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->BindAll(text).ok());
  ASSERT_TRUE(insert->Run().ok());
  auto query = db_->Prepare("SELECT name FROM t");
  ASSERT_TRUE(query.ok());
  ASSERT_TRUE(*query->Step());
  EXPECT_EQ(query->ColumnText(0), text);
}

TEST_F(StatementTest, RunOnARowIsInternal) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (name) VALUES ('a')").ok());
  auto query = db_->Prepare("SELECT name FROM t");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->Run().code(), StatusCode::kInternal);
}

TEST_F(StatementTest, ConstraintViolationsMapToCodes) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  auto insert = db_->Prepare("INSERT INTO t (id, name, n) VALUES (?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->BindAll(2, "a", 0).ok());  // name taken
  EXPECT_EQ(insert->Run().code(), StatusCode::kAlreadyExists);
  // Reset repeats the failed step's error, and rewinds all the same.
  EXPECT_EQ(insert->Reset().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(insert->BindAll(1, "b", 0).ok());  // primary key taken
  EXPECT_EQ(insert->Run().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(insert->Reset().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(insert->BindAll(3, "c", -1).ok());  // CHECK
  EXPECT_EQ(insert->Run().code(), StatusCode::kInvalidArgument);
}

TEST_F(StatementTest, CachedStatementStartsCleanForEachBorrower) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b')").ok());
  const std::string sql = "SELECT name FROM t WHERE (?1 IS NULL OR id = ?1) ORDER BY id";
  {
    auto query = db_->PrepareCached(sql);
    ASSERT_TRUE(query.ok());
    ASSERT_TRUE(query->BindAll(2).ok());
    ASSERT_TRUE(*query->Step());
    EXPECT_EQ(query->ColumnText(0), "b");
    // Left mid-way, with a binding: the next borrower must not see either.
  }
  auto again = db_->PrepareCached(sql);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->ColumnText(0), "a");  // unbound parameter is NULL: every row, from the first
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->ColumnText(0), "b");
}

TEST_F(StatementTest, MovedStatementKeepsWorking) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (name) VALUES ('a')").ok());
  auto query = db_->Prepare("SELECT name FROM t");
  ASSERT_TRUE(query.ok());
  Statement moved = *std::move(query);
  Statement assigned;
  assigned = std::move(moved);
  ASSERT_TRUE(*assigned.Step());
  EXPECT_EQ(assigned.ColumnText(0), "a");
}

TEST_F(StatementTest, StepAfterResetStartsOver) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (name) VALUES ('a'), ('b')").ok());
  auto query = db_->Prepare("SELECT COUNT(*) FROM t WHERE name >= ?");
  ASSERT_TRUE(query.ok());
  ASSERT_TRUE(query->BindAll("b").ok());
  ASSERT_TRUE(*query->Step());
  EXPECT_EQ(query->ColumnInt64(0), 1);
  ASSERT_TRUE(query->Reset().ok());
  ASSERT_TRUE(query->BindAll("a").ok());
  ASSERT_TRUE(*query->Step());
  EXPECT_EQ(query->ColumnInt64(0), 2);
}

}  // namespace
}  // namespace hoglet::sqlite
