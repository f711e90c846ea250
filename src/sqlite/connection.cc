#include "sqlite/connection.h"

#include <string>
#include <utility>

#include "sqlite/result_codes.h"

namespace hoglet::sqlite {
namespace {

// Exec messages quote the SQL, but not a whole migration of it.
constexpr size_t kQuotedSqlBytes = 120;

std::string Quote(std::string_view sql) {
  if (sql.size() <= kQuotedSqlBytes) return std::string(sql);
  return std::string(sql.substr(0, kQuotedSqlBytes)) + "...";
}

}  // namespace

StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                       const OpenOptions& options) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // Owns the handle even when opening failed: SQLite allocates one for the error message.
  std::unique_ptr<Connection> connection(new Connection(raw, options.name));
  if (rc != SQLITE_OK) return connection->Error(rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  // journal_mode answers with the mode in effect; anything but "wal" means WAL is unavailable.
  {
    HOGLET_ASSIGN_OR_RETURN(Statement mode, connection->Prepare("PRAGMA journal_mode=WAL"));
    HOGLET_ASSIGN_OR_RETURN(bool has_row, mode.Step());
    if (!has_row || mode.ColumnView(0) != "wal") {
      return UnavailableError("open " + path + ": cannot switch the " + options.name +
                              " to WAL mode");
    }
  }
  std::string pragmas =
      "PRAGMA synchronous=FULL; PRAGMA journal_size_limit=" + std::to_string(kWalSizeLimitBytes) +
      ";";
  if (options.foreign_keys) pragmas += " PRAGMA foreign_keys=ON;";
  if (options.page_cache_kib > 0) {
    pragmas += " PRAGMA cache_size=-" + std::to_string(options.page_cache_kib) + ";";
  }
  if (options.mmap_bytes > 0) pragmas += " PRAGMA mmap_size=" + std::to_string(options.mmap_bytes);
  HOGLET_RETURN_IF_ERROR(connection->Exec(pragmas));
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cached_) sqlite3_finalize(stmt);
  // close_v2 defers the close until statements still alive (a bug of the caller) are finalized.
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status Connection::Error(int code, std::string_view context) const {
  return StatusFromCode(db_, code, context, name_);
}

Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "exec " + Quote(sql));
}

StatusOr<Statement> Connection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "prepare " + std::string(sql));
  return Statement(db_, stmt, Statement::Ownership::kOwned, name_);
}

StatusOr<Statement> Connection::PrepareCached(std::string_view sql) {
  std::string key(sql);
  auto it = cached_.find(key);
  if (it == cached_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, "prepare " + key);
    it = cached_.emplace(std::move(key), stmt).first;
  }
  return Statement(db_, it->second, Statement::Ownership::kBorrowed, name_);
}

}  // namespace hoglet::sqlite
