// The embedded PersonStore: one SQLite file of its own (WAL, synchronous=FULL), versioned
// migrations (persons/person_schema.h) and a bounded LRU cache of distinct id → person in front
// of it (persons/person_cache.h). docs/persons.md describes the tables and crash rules.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<PersonStore> store,
//                           OpenSqlitePersonStore(data_dir + "/persons.sqlite"));
//   PersonProcessor processor(*store);
//
// The process that opens the file must be its only writer: the cache is not told about writes
// made by anyone else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "persons/person_store.h"

namespace hoglet::persons {

struct SqlitePersonStoreOptions {
  // Entries in each of the two LRU maps (distinct ids, persons). 0 disables the cache.
  // About 200 bytes plus the properties text per person; docs/persons.md has measurements.
  size_t cache_capacity = 100'000;
  // Bytes each of the two LRU maps may hold (approximate, see PersonStore::Stats): persons
  // with large properties are evicted first by this bound, not by the entry count.
  size_t cache_max_bytes = 128 << 20;
  // Ingestion warnings kept per team; older ones are deleted when a transaction commits.
  size_t max_warnings_per_team = 10'000;
  // SQLite's page cache of the writing connection, KiB (SQLite's own default is 2 MiB).
  int64_t sqlite_page_cache_kib = 64 * 1024;
  // How long a statement waits for another connection's lock before failing with kUnavailable.
  int busy_timeout_ms = 5'000;
};

// Opens (creating and migrating if needed) the persons database at `path`. kUnavailable when the
// file cannot be opened or switched to WAL mode, kDataLoss when it is damaged or was written by
// a newer schema version.
StatusOr<std::unique_ptr<PersonStore>> OpenSqlitePersonStore(
    const std::string& path, const SqlitePersonStoreOptions& options = {});

}  // namespace hoglet::persons
