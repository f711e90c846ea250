// Versioned schema migrations: a database's schema is an ordered list of migrations, and
// Migrate brings a database up to the newest one.
//
// Bookkeeping: `schema_migrations(version INTEGER PRIMARY KEY, description TEXT NOT NULL,
// applied_at INTEGER NOT NULL)` holds one row per applied version; a database's version is the
// largest recorded (0 for a new file). Every pending migration runs in one BEGIN IMMEDIATE
// transaction together with its row, so a crash or a failed migration leaves the database at the
// version it had when it was opened, never half-way, and two processes opening a new file at
// once serialise (the second finds the schema in place).
//
// Each store keeps its own list beside its code (meta/schema_migrations.h,
// persons/person_schema.h). Migrations are only ever appended: a released version's SQL never
// changes.
//
// Example:
//   constexpr sqlite::Migration kMigrations[] = {
//       {1, "projects", "CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
//       {2, "projects.timezone", "ALTER TABLE projects ADD COLUMN timezone TEXT;"},
//   };
//   HOGLET_RETURN_IF_ERROR(sqlite::Migrate(db, kMigrations, clock.NowMicros()));
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"
#include "sqlite/connection.h"

namespace hoglet::sqlite {

struct Migration {
  int version;  // 1, 2, 3, … without gaps
  std::string_view description;
  std::string_view sql;  // one or more statements
};

// The version recorded in the database (0 for a new file). Creates the schema_migrations table
// when missing.
StatusOr<int> SchemaVersion(Connection& db);

// Applies, in order, every migration of `migrations` newer than the database's version and
// records each with `applied_at` = `now_us`. `migrations` must be versions 1..N in order
// (kInternal otherwise: a bug of the caller). kDataLoss when the database is at a version above
// N: it was written by a newer Hoglet, and running older code on it could corrupt it. A migration
// whose SQL fails returns its error with the version as context, and nothing of this call stays.
Status Migrate(Connection& db, std::span<const Migration> migrations, int64_t now_us);

}  // namespace hoglet::sqlite
