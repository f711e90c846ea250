// One connection to a SQLite database file, opened the way every Hoglet database is: WAL
// journaling, synchronous=FULL, extended result codes and a busy timeout.
//
// Why FULL: in WAL mode NORMAL skips the fsync at commit, so a power loss can undo a transaction
// after Commit returned, and callers (a consumer committing its log offset, an API answering 201)
// act on that return.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Connection> db,
//                           sqlite::Connection::Open(path, {.name = "metadata database",
//                                                           .foreign_keys = true}));
//   HOGLET_RETURN_IF_ERROR(sqlite::Migrate(*db, kMigrations, now_us));
//
// Ownership: the connection owns the sqlite3 handle and the statements it caches; statements it
// hands out must not outlive it.
// Thread safety: none. A connection and its statements belong to one thread at a time; the
// stores serialise access with their own mutexes.
// Errors are those of sqlite/result_codes.h.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/status.h"
#include "sqlite/statement.h"

namespace hoglet::sqlite {

// The size a database's WAL file is cut back to once checkpointed. SQLite otherwise leaves it at
// the largest it ever grew to (a burst of ingestion's, on disk for good).
inline constexpr int64_t kWalSizeLimitBytes = 4 << 20;

struct OpenOptions {
  // What the database is called in messages for the operator, e.g. "persons database".
  std::string name = "database";
  // How long a statement waits for another connection's lock before failing with kUnavailable.
  int busy_timeout_ms = 5'000;
  // PRAGMA foreign_keys: whether REFERENCES clauses are enforced (SQLite's default is off).
  bool foreign_keys = false;
  // SQLite's page cache, KiB; 0 keeps SQLite's default (2 MiB).
  int64_t page_cache_kib = 0;
  // Bytes of the file read through a memory map; 0 reads with pread only.
  int64_t mmap_bytes = 0;
};

class Connection final {
 public:
  // Opens the file, creating it if missing, and applies `options`. kUnavailable when the file
  // cannot be opened or written, or SQLite cannot use WAL there (e.g. a file system without
  // shared memory: we do not run without it silently); kDataLoss when it is not a SQLite
  // database or is damaged.
  static StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                    const OpenOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  // Prepares `sql` for one use: the statement is finalized when the returned Statement goes.
  // For SQL built at run time or run rarely.
  StatusOr<Statement> Prepare(std::string_view sql);
  // The statement for `sql`, prepared on first use and kept for the connection's life; the
  // returned Statement borrows it. For the statements a hot path runs again and again. Only one
  // borrow of the same SQL may be alive at a time.
  StatusOr<Statement> PrepareCached(std::string_view sql);

  // The rowid of the last successful INSERT on this connection.
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // Whether a transaction is open (BEGIN without COMMIT or ROLLBACK yet).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // OpenOptions::name.
  const std::string& name() const { return name_; }

  // The Status for result `code` of this connection, prefixed by `context`.
  Status Error(int code, std::string_view context) const;

 private:
  Connection(sqlite3* db, std::string name) : db_(db), name_(std::move(name)) {}

  sqlite3* db_;
  const std::string name_;
  std::unordered_map<std::string, sqlite3_stmt*> cached_;
};

}  // namespace hoglet::sqlite
