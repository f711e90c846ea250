#include "persons/sqlite_connection.h"

#include <string>

namespace hoglet::persons {

Status PersonsSqliteStatus(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (code & 0xFF) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(message +
                           " (the persons database is damaged; restore it from a backup)");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return UnavailableError(message);
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExistsError(message);
      }
      return InvalidArgumentError(message);
    default:
      return InternalError(message);
  }
}

CachedStatement::~CachedStatement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Status CachedStatement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  return rc == SQLITE_OK ? Status::Ok() : PersonsSqliteStatus(db_, rc, "bind");
}

Status CachedStatement::Bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return rc == SQLITE_OK ? Status::Ok() : PersonsSqliteStatus(db_, rc, "bind");
}

StatusOr<bool> CachedStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return PersonsSqliteStatus(db_, rc, sqlite3_sql(stmt_));
}

Status CachedStatement::Run() {
  HOGLET_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return InternalError(std::string("statement returned rows: ") + sqlite3_sql(stmt_));
  return Status::Ok();
}

std::string CachedStatement::ColumnText(int column) const {
  return std::string(ColumnView(column));
}

std::string_view CachedStatement::ColumnView(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                   int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(raw));
  if (rc != SQLITE_OK) return PersonsSqliteStatus(raw, rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  // journal_mode answers with the mode in effect; anything but "wal" means WAL is unavailable
  // here (e.g. no shared memory on this file system), which we do not accept silently.
  {
    HOGLET_ASSIGN_OR_RETURN(CachedStatement mode, connection->Prepare("PRAGMA journal_mode=WAL"));
    HOGLET_ASSIGN_OR_RETURN(bool has_row, mode.Step());
    if (!has_row || mode.ColumnView(0) != "wal") {
      return UnavailableError("open " + path + ": cannot switch the persons database to WAL mode");
    }
  }
  // FULL, not NORMAL: in WAL mode NORMAL skips the fsync at commit, so a power loss can undo a
  // committed batch after the consumer has already committed its log offset past it.
  HOGLET_RETURN_IF_ERROR(connection->Exec("PRAGMA synchronous=FULL"));
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status SqliteConnection::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : PersonsSqliteStatus(db_, rc, "exec " + text);
}

StatusOr<CachedStatement> SqliteConnection::Prepare(std::string_view sql) {
  std::string key(sql);
  auto it = statements_.find(key);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return PersonsSqliteStatus(db_, rc, "prepare " + key);
    it = statements_.emplace(std::move(key), stmt).first;
  }
  return CachedStatement(db_, it->second);
}

}  // namespace hoglet::persons
