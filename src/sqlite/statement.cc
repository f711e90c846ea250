#include "sqlite/statement.h"

#include <utility>

#include "sqlite/result_codes.h"

namespace hoglet::sqlite {

Statement::~Statement() { Release(); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      ownership_(other.ownership_),
      database_(other.database_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    ownership_ = other.ownership_;
    database_ = other.database_;
  }
  return *this;
}

void Statement::Release() {
  if (stmt_ == nullptr) return;
  if (ownership_ == Ownership::kOwned) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  stmt_ = nullptr;
}

Status Statement::Error(int code, std::string_view context) const {
  return StatusFromCode(db_, code, context, database_);
}

Status Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "bind");
}

Status Statement::Bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "bind");
}

Status Statement::Bind(int index, std::optional<int64_t> value) {
  if (value.has_value()) return Bind(index, *value);
  int rc = sqlite3_bind_null(stmt_, index);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "bind");
}

Status Statement::Bind(int index, const std::optional<std::string>& value) {
  if (value.has_value()) return Bind(index, std::string_view(*value));
  int rc = sqlite3_bind_null(stmt_, index);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "bind");
}

StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Statements are prepared with the v2/v3 interface: sqlite3_step returns the extended code.
  return Error(rc, sqlite3_sql(stmt_));
}

Status Statement::Run() {
  HOGLET_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return InternalError(std::string("statement returned rows: ") + sqlite3_sql(stmt_));
  return Status::Ok();
}

Status Statement::Reset() {
  sqlite3_clear_bindings(stmt_);
  int rc = sqlite3_reset(stmt_);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "reset");
}

std::string_view Statement::ColumnView(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

}  // namespace hoglet::sqlite
