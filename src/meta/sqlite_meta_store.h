// The embedded metadata store: one SQLite file (WAL mode) with versioned schema migrations that
// are applied at open. Schema in docs/metadata.md.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::meta {

// Opens (creating if missing) the database at `path` and migrates it to the current schema.
// kUnavailable when the file cannot be opened, kDataLoss when the schema is newer than this
// binary understands or the file is corrupt.
StatusOr<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path,
                                                         const Clock& clock);

}  // namespace hoglet::meta
