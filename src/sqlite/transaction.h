// A write transaction on one connection: BEGIN IMMEDIATE when it starts, ROLLBACK when it ends
// without a successful Commit.
//
// IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock
// upgrade; a second writer (another connection or process) waits up to the connection's busy
// timeout, then gets kUnavailable from Begin.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db));
//   HOGLET_RETURN_IF_ERROR(insert.Run());  // an error returns here: the destructor rolls back
//   HOGLET_RETURN_IF_ERROR(txn.Commit());
//
// Thread safety: that of the connection. The transaction must not outlive it.
#pragma once

#include <utility>

#include "base/status.h"
#include "sqlite/connection.h"

namespace hoglet::sqlite {

class Transaction {
 public:
  // kUnavailable when another writer holds the lock past the busy timeout; kInternal when a
  // transaction is already open on `db`.
  static StatusOr<Transaction> Begin(Connection& db);
  ~Transaction() { Rollback(); }
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Makes every write since Begin durable. On an error the transaction stays open (SQLite keeps
  // it open, e.g. on SQLITE_BUSY) and is rolled back when this object goes.
  Status Commit();
  // Forgets every write since Begin, now rather than at destruction. Does nothing after a
  // successful Commit or a Rollback.
  void Rollback();

 private:
  explicit Transaction(Connection* db) : db_(db) {}
  Connection* db_ = nullptr;  // null once committed or rolled back
};

}  // namespace hoglet::sqlite
