// The persons database schema as an ordered list of migrations, and the code that brings a
// database up to the newest one. docs/persons.md describes each table.
//
// Every pending migration runs in one transaction together with the rows that record it in
// `schema_migrations(version, description, applied_at)`, so a crash leaves the database at the
// version it had when it was opened. Migrations are only appended: a released version's SQL
// never changes.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "persons/sqlite_connection.h"

namespace hoglet::persons {

// The newest schema version this binary knows.
int LatestPersonsSchemaVersion();

// The version recorded in the database (0 for a new file).
StatusOr<int> CurrentPersonsSchemaVersion(SqliteConnection& db);

// Applies every migration newer than the database's version. kDataLoss when the file is at a
// version newer than this binary knows (downgrading would corrupt it).
Status MigratePersonsSchema(SqliteConnection& db, int64_t now_us);

}  // namespace hoglet::persons
