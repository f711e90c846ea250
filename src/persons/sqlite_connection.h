// The persons store's own thin layer over the SQLite C API: one connection that keeps every
// statement it has prepared (person processing runs the same dozen statements millions of
// times), typed binds, and one mapping from SQLite result codes to Status.
//
// Thread safety: none. A connection and its statements belong to one thread at a time; the
// person store serialises access with its own mutexes.
//
// Error mapping (PersonsSqliteStatus): SQLITE_CORRUPT / SQLITE_NOTADB → kDataLoss; SQLITE_BUSY,
// SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY → kUnavailable; a
// UNIQUE or PRIMARY KEY violation → kAlreadyExists; other constraint violations →
// kInvalidArgument; anything else → kInternal.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/status.h"

namespace hoglet::persons {

// A cached prepared statement, borrowed for one use: it is reset and its bindings cleared when
// the borrow ends, so the next user starts clean. Must not outlive its connection.
class CachedStatement {
 public:
  CachedStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~CachedStatement();
  CachedStatement(CachedStatement&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

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

  // Advances: true when a row is available, false when done.
  StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();

  int64_t ColumnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string ColumnText(int column) const;
  std::string_view ColumnView(int column) const;  // valid until the next Step

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final {
 public:
  // Opens (creating if missing) the file in WAL mode with synchronous=FULL (a commit is on disk
  // when Commit returns) and a busy timeout of `busy_timeout_ms`.
  static StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                          int busy_timeout_ms);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  // The prepared statement for `sql`, prepared on first use and kept for the connection's life.
  StatusOr<CachedStatement> Prepare(std::string_view sql);

  int64_t Changes() const { return sqlite3_changes64(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// The Status for SQLite result `code` on connection `db` (may be null), prefixed by `context`.
Status PersonsSqliteStatus(sqlite3* db, int code, std::string_view context);

}  // namespace hoglet::persons
