// The persons database schema as an ordered list of migrations, applied by the shared runner
// (sqlite/migrations.h) when the store opens. docs/persons.md describes each table.
//
// Migrations are only appended: a released version's SQL never changes.
#pragma once

#include <span>

#include "sqlite/migrations.h"

namespace hoglet::persons {

// Every migration this binary knows, oldest first (versions 1, 2, … without gaps).
std::span<const sqlite::Migration> PersonsSchemaMigrations();

// The newest schema version this binary knows.
int LatestPersonsSchemaVersion();

}  // namespace hoglet::persons
