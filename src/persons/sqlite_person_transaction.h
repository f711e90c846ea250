// Internals shared by the SQLite person store and its transactions (not part of the public
// API; include persons/sqlite_person_store.h instead).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/status.h"
#include "persons/person_cache.h"
#include "persons/person_store.h"
#include "sqlite/connection.h"

namespace hoglet::persons {

// Everything the writer side owns. `write_mutex` is held by the open transaction (and by
// DeletePerson) for its whole life; every other member is only touched under it, except the
// cache's atomic counters.
struct SqliteWriterState {
  std::mutex write_mutex;
  std::unique_ptr<sqlite::Connection> db;
  PersonCache cache;
  // team → (group type → index), filled from group_type_mapping on first use.
  std::map<int64_t, std::map<std::string, int, std::less<>>> group_types;
  size_t max_warnings_per_team = 0;
  // team → how many committed writes changed its persons, distinct ids, groups or static
  // cohorts (PersonStore::DataVersion). Guarded by its own mutex: readers never wait for
  // `write_mutex`.
  mutable std::mutex versions_mutex;
  std::map<int64_t, uint64_t> data_versions;

  // team → how many committed writes moved its distinct-id overrides
  // (PersonStore::OverridesVersion). Guarded by versions_mutex.
  std::map<int64_t, uint64_t> overrides_versions;

  void BumpDataVersion(int64_t team_id) {
    std::lock_guard<std::mutex> lock(versions_mutex);
    ++data_versions[team_id];
  }
  void BumpOverridesVersion(int64_t team_id) {
    std::lock_guard<std::mutex> lock(versions_mutex);
    ++overrides_versions[team_id];
  }

  SqliteWriterState(std::unique_ptr<sqlite::Connection> connection, size_t cache_capacity,
                    size_t cache_max_bytes, size_t max_warnings)
      : db(std::move(connection)),
        cache(cache_capacity, cache_max_bytes),
        max_warnings_per_team(max_warnings) {}
};

// Column list read by PersonFromRow, for SELECTs over `persons` (alias p).
inline constexpr char kPersonColumns[] =
    "p.team_id, p.uuid, p.properties, p.is_identified, p.created_at, p.version";

// The person in the current row, whose columns start at `first` in kPersonColumns order.
// kDataLoss when the stored uuid does not parse.
StatusOr<Person> PersonFromRow(const sqlite::Statement& row, int first);

// Begins a write transaction: waits for `state.write_mutex`, then BEGIN IMMEDIATE.
StatusOr<std::unique_ptr<Transaction>> BeginSqliteTransaction(SqliteWriterState& state);

}  // namespace hoglet::persons
