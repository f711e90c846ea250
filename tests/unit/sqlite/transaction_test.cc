#include "sqlite/transaction.h"

#include <gtest/gtest.h>

#include <memory>

#include "sqlite/connection.h"
#include "tests/support/temp_dir.h"

namespace hoglet::sqlite {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Connection::Open(path(), {});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = *std::move(opened);
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (v INTEGER UNIQUE)").ok());
  }

  std::string path() const { return dir_.Join("a.sqlite"); }

  int64_t Count() {
    auto query = db_->Prepare("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(query.ok());
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }

  Status Insert(int v) {
    HOGLET_ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO t VALUES (?)"));
    HOGLET_RETURN_IF_ERROR(insert.BindAll(v));
    return insert.Run();
  }

  // Inserts each value in one transaction, as a store's write method does: the first error
  // returns, leaving the transaction to its destructor.
  Status InsertAll(std::initializer_list<int> values) {
    HOGLET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
    for (int v : values) HOGLET_RETURN_IF_ERROR(Insert(v));
    return txn.Commit();
  }

  testing::TempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_F(TransactionTest, CommitKeepsTheWrites) {
  ASSERT_TRUE(InsertAll({1, 2, 3}).ok());
  EXPECT_EQ(Count(), 3);
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(TransactionTest, AnErrorRollsEverythingBack) {
  ASSERT_TRUE(InsertAll({1}).ok());
  Status failed = InsertAll({2, 3, 1});  // 1 is taken: the third insert fails
  EXPECT_EQ(failed.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1);  // neither 2 nor 3
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(TransactionTest, DestructionWithoutCommitRollsBack) {
  {
    auto txn = Transaction::Begin(*db_);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(Insert(1).ok());
    EXPECT_TRUE(db_->InTransaction());
  }
  EXPECT_EQ(Count(), 0);
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(TransactionTest, ExplicitRollbackThenDestructionDoesNothingMore) {
  auto txn = Transaction::Begin(*db_);
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(Insert(1).ok());
  txn->Rollback();
  EXPECT_FALSE(db_->InTransaction());
  ASSERT_TRUE(Insert(2).ok());  // outside any transaction: kept
  EXPECT_EQ(txn->Commit().code(), StatusCode::kInternal);
  EXPECT_EQ(Count(), 1);
}

TEST_F(TransactionTest, MovedTransactionRollsBackOnce) {
  {
    auto txn = Transaction::Begin(*db_);
    ASSERT_TRUE(txn.ok());
    Transaction moved = *std::move(txn);
    ASSERT_TRUE(Insert(1).ok());
  }
  EXPECT_EQ(Count(), 0);
  ASSERT_TRUE(InsertAll({5}).ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(TransactionTest, NestedBeginIsInternal) {
  auto outer = Transaction::Begin(*db_);
  ASSERT_TRUE(outer.ok());
  auto inner = Transaction::Begin(*db_);
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(db_->InTransaction());  // the outer one is untouched
}

TEST_F(TransactionTest, SecondWriterWaitsThenIsUnavailable) {
  OpenOptions options;
  options.busy_timeout_ms = 50;
  auto other = Connection::Open(path(), options);
  ASSERT_TRUE(other.ok());
  auto first = Transaction::Begin(*db_);
  ASSERT_TRUE(first.ok());
  auto second = Transaction::Begin(**other);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable) << second.status().ToString();
  ASSERT_TRUE(first->Commit().ok());
  EXPECT_TRUE(Transaction::Begin(**other).ok());
}

}  // namespace
}  // namespace hoglet::sqlite
