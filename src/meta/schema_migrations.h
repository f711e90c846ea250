// The metadata schema as an ordered list of migrations, and the code that brings a database up
// to the newest one. docs/metadata.md describes each version.
//
// Every pending migration runs in one transaction together with the rows that record them in
// `schema_migrations(version, description, applied_at)`, so a crash leaves the database at the
// version it had when it was opened, never half-way. Migrations are only ever appended: a released
// version's SQL never changes.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"
#include "meta/sqlite_database.h"

namespace hoglet::meta {

struct Migration {
  int version;  // 1, 2, 3, … without gaps
  std::string_view description;
  std::string_view sql;
};

// Every migration this binary knows, oldest first.
std::span<const Migration> SchemaMigrations();

// The newest version this binary knows.
int LatestSchemaVersion();

// The version recorded in the database (0 for a new file). Creates the schema_migrations table
// when missing.
StatusOr<int> CurrentSchemaVersion(Database& db);

// Applies every migration newer than the database's version. kDataLoss when the database is at
// a version newer than this binary knows (it was written by a newer Hoglet: downgrading would
// corrupt it).
Status MigrateToLatest(Database& db, int64_t now_us);

}  // namespace hoglet::meta
