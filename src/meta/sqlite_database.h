// A thin RAII layer over the SQLite C API for the metadata store: one connection, prepared
// statements with typed binds, transactions that roll back unless committed, and one mapping
// from SQLite result codes to Status.
//
// Thread safety: none. A Database and its statements belong to one thread at a time; the
// metadata store serialises access with its own mutex.
//
// Error mapping (SqliteStatus): SQLITE_CORRUPT / SQLITE_NOTADB → kDataLoss; SQLITE_BUSY,
// SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY → kUnavailable;
// a UNIQUE or PRIMARY KEY violation → kAlreadyExists; other constraint violations →
// kInvalidArgument; anything else → kInternal.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace hoglet::meta {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds parameters 1..N in order. Strings are copied by SQLite.
  template <typename... Args>
  Status BindAll(const Args&... args) {
    int index = 0;
    Status status;
    ((status.ok() ? (status = Bind(++index, args), 0) : 0), ...);
    return status;
  }
  Status Bind(int index, int64_t value);
  Status Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Status Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Status Bind(int index, std::string_view value);
  Status Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Status Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Status Bind(int index, std::optional<int64_t> value);
  Status Bind(int index, const std::optional<std::string>& value);  // nullopt binds NULL

  // Advances: true when a row is available, false when done.
  StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Makes the statement ready to be bound and run again.
  Status Reset();

  int64_t ColumnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool ColumnBool(int column) const { return ColumnInt64(column) != 0; }
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::optional<std::string> ColumnOptionalText(int column) const {
    if (ColumnIsNull(column)) return std::nullopt;
    return ColumnText(column);
  }
  std::optional<int64_t> ColumnOptionalInt64(int column) const {
    if (ColumnIsNull(column)) return std::nullopt;
    return ColumnInt64(column);
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens (creating if missing) the file, then sets WAL journaling, synchronous=FULL,
  // foreign keys on and a busy timeout of `busy_timeout_ms`.
  static StatusOr<Database> Open(const std::string& path, int busy_timeout_ms);

  Database() = default;
  ~Database();
  Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  StatusOr<Statement> Prepare(std::string_view sql);

  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_); }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction (taking the write lock up front, so a transaction never fails
// half-way on a lock upgrade); ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  static StatusOr<Transaction> Begin(Database& db);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;
};

// The Status for SQLite result `code` on connection `db` (may be null), prefixed by `context`.
Status SqliteStatus(sqlite3* db, int code, std::string_view context);

}  // namespace hoglet::meta
