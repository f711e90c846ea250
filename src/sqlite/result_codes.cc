#include "sqlite/result_codes.h"

#include <string>

namespace hoglet::sqlite {

Status StatusFromCode(sqlite3* db, int code, std::string_view context, std::string_view database) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (code & 0xFF) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(message + " (the " + std::string(database) +
                           " is damaged; restore it from a backup)");
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

}  // namespace hoglet::sqlite
