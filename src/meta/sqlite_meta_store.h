// The embedded metadata store: one SQLite file (WAL mode) with versioned schema migrations that
// are applied at open. Schema in docs/metadata.md.
//
// Concurrency: one SQLite connection, serialised by a mutex; reads of projects, users,
// organizations, personal API keys and flag generation numbers are served from an in-memory copy
// loaded at open and updated by every write. The copy reflects this process's writes only, so one
// process owns a data directory's metadata database at a time (another process may read the file).
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::meta {

// Opens (creating if missing) the database at `path` and migrates it to the current schema.
// `clock` stamps created_at/last_used_at and must outlive the store.
// kUnavailable when the file cannot be opened, kDataLoss when the schema is newer than this
// binary understands or the file is corrupt.
StatusOr<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path,
                                                         const Clock& clock);

}  // namespace hoglet::meta
