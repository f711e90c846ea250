#include "meta/sqlite_database.h"

#include <string>

namespace hoglet::meta {

Status SqliteStatus(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (code & 0xFF) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(message +
                           " (the metadata database is damaged; restore it from a "
                           "backup)");
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

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Status Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, "bind");
}

Status Statement::Bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, "bind");
}

Status Statement::Bind(int index, std::optional<int64_t> value) {
  if (value.has_value()) return Bind(index, *value);
  int rc = sqlite3_bind_null(stmt_, index);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, "bind");
}

Status Statement::Bind(int index, const std::optional<std::string>& value) {
  if (value.has_value()) return Bind(index, std::string_view(*value));
  int rc = sqlite3_bind_null(stmt_, index);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, "bind");
}

StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // With the v2 prepare interface sqlite3_step returns the extended code directly.
  return SqliteStatus(db_, rc, sqlite3_sql(stmt_));
}

Status Statement::Run() {
  HOGLET_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return InternalError(std::string("statement returned rows: ") + sqlite3_sql(stmt_));
  return Status::Ok();
}

Status Statement::Reset() {
  sqlite3_clear_bindings(stmt_);
  int rc = sqlite3_reset(stmt_);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, "reset");
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

StatusOr<Database> Database::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  // journal_mode returns the mode in effect; anything but "wal" means WAL is unavailable
  // (e.g. a file system without shared memory), which we do not run on silently.
  HOGLET_ASSIGN_OR_RETURN(Statement mode, db.Prepare("PRAGMA journal_mode=WAL"));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, mode.Step());
  if (!has_row || mode.ColumnText(0) != "wal") {
    return UnavailableError("open " + path + ": cannot switch the metadata database to WAL mode");
  }
  HOGLET_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  return db;
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, "exec");
}

StatusOr<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, std::string("prepare ") + std::string(sql));
  return Statement(db_, stmt);
}

StatusOr<Transaction> Transaction::Begin(Database& db) {
  HOGLET_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  HOGLET_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  db_ = nullptr;
  return Status::Ok();
}

}  // namespace hoglet::meta
