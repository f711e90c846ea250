// The metadata schema as an ordered list of migrations, applied by the shared runner
// (sqlite/migrations.h) when the store opens. docs/metadata.md describes each version.
//
// Migrations are only ever appended: a released version's SQL never changes.
#pragma once

#include <span>

#include "sqlite/migrations.h"

namespace hoglet::meta {

// Every migration this binary knows, oldest first (versions 1, 2, 3, … without gaps).
std::span<const sqlite::Migration> SchemaMigrations();

// The newest version this binary knows.
int LatestSchemaVersion();

}  // namespace hoglet::meta
