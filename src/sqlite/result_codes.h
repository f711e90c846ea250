// One mapping from SQLite result codes to Status, for every database Hoglet keeps in SQLite.
//
//   SQLITE_CORRUPT, SQLITE_NOTADB                          → kDataLoss (the message says to
//                                                            restore the database from a backup)
//   SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR,
//   SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM          → kUnavailable
//   a UNIQUE or PRIMARY KEY constraint violation           → kAlreadyExists
//   any other constraint violation                         → kInvalidArgument
//   anything else                                          → kInternal
//
// Extended result codes are expected (connections enable them); only their low byte picks the
// class, except for constraints, where the extended code tells uniqueness from the rest.
#pragma once

#include <sqlite3.h>

#include <string_view>

#include "base/status.h"

namespace hoglet::sqlite {

// The Status for result `code` on connection `db` (may be null: the message then comes from the
// code alone), its message prefixed by `context`. `database` names the database for the operator
// ("metadata database"), in the advice a damaged file gets.
Status StatusFromCode(sqlite3* db, int code, std::string_view context, std::string_view database);

}  // namespace hoglet::sqlite
