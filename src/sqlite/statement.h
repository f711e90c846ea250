// A prepared SQLite statement: typed binds, stepping, and typed reads of the current row.
//
// A Statement comes from a Connection (sqlite/connection.h) and must not outlive it. It either
// owns its prepared statement (Connection::Prepare: finalized when the Statement goes) or borrows
// one the connection keeps (Connection::PrepareCached: reset and its bindings cleared when the
// Statement goes, so the next borrower starts clean).
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query,
//                           db.Prepare("SELECT name FROM projects WHERE id = ?"));
//   HOGLET_RETURN_IF_ERROR(query.BindAll(project_id));
//   HOGLET_ASSIGN_OR_RETURN(bool has_row, query.Step());
//   if (has_row) name = query.ColumnText(0);
//
// Thread safety: none; a statement belongs to the thread that holds its connection.
// Errors are those of sqlite/result_codes.h.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::sqlite {

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds parameters 1..N in order, stopping at the first error. Strings are copied by SQLite.
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
  // nullopt binds NULL.
  Status Bind(int index, std::optional<int64_t> value);
  Status Bind(int index, const std::optional<std::string>& value);
  // Parameters never bound (or cleared by Reset) are NULL.

  // Advances: true when a row is available, false when the statement is done.
  StatusOr<bool> Step();
  // Runs a statement that returns no rows; kInternal when it returns one.
  Status Run();
  // Clears the bindings and rewinds, so the statement can be bound and run again. After a
  // failed Step it rewinds too, and returns that step's error again (as sqlite3_reset does).
  Status Reset();

  // Reads of the current row (valid after Step returned true). Column numbers start at 0.
  int64_t ColumnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool ColumnBool(int column) const { return ColumnInt64(column) != 0; }
  bool ColumnIsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string ColumnText(int column) const { return std::string(ColumnView(column)); }
  // Valid until the next Step, Reset or the end of the statement.
  std::string_view ColumnView(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const {
    if (ColumnIsNull(column)) return std::nullopt;
    return ColumnText(column);
  }
  std::optional<int64_t> ColumnOptionalInt64(int column) const {
    if (ColumnIsNull(column)) return std::nullopt;
    return ColumnInt64(column);
  }

 private:
  friend class Connection;
  enum class Ownership { kOwned, kBorrowed };
  // `database` names the database in error messages and must outlive the statement.
  Statement(sqlite3* db, sqlite3_stmt* stmt, Ownership ownership, std::string_view database)
      : db_(db), stmt_(stmt), ownership_(ownership), database_(database) {}

  Status Error(int code, std::string_view context) const;
  // Finalizes an owned statement, resets a borrowed one.
  void Release();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Ownership ownership_ = Ownership::kOwned;
  std::string_view database_;
};

}  // namespace hoglet::sqlite
