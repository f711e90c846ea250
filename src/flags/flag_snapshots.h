// Each project's compiled flag set (FlagSnapshot), kept in memory for /flags, /decide,
// local evaluation and remote config, and rebuilt when it goes stale.
//
// A snapshot is stale when the metadata store's FlagsGeneration for the project has moved since
// it was built (a flag or cohort was created or changed), or when a request names a group type
// the snapshot does not know and the project's group types were last read a second or more ago
// (ingestion creates group types on first sight; re-reading at most once a second bounds the
// cost of requests naming types that never exist). A rebuild reads flags and cohorts from the
// metadata store and group types from the person store, compiles a new snapshot and publishes
// it whole: readers hold a `shared_ptr<const FlagSnapshot>` and never see a half-built one.
//
// Records whose filters do not parse (the API validates filters before storing them, so only
// data written by another tool gets here) are left out of the snapshot with a warning in the
// log: such a flag is served to nobody, as if it did not exist, and local evaluation does not
// list it. A cohort whose filters do not parse is left out the same way, so flags that target
// it fail their evaluation (missing cohort) instead of matching everybody.
//
// Example:
//   if (auto snapshot = snapshots.Current(team_id)) { ... answer on the I/O thread ... }
//   else { ... on a worker: HOGLET_ASSIGN_OR_RETURN(auto snapshot, snapshots.Get(team_id)); }
//
// Thread safety: every method may be called from any thread. Current() takes a mutex only to
// copy a pointer and does no I/O; Get() and Definitions() may read both stores (call them from
// worker threads). Builds are serialised; readers are never blocked by a build.
//
// Errors (Get, Definitions): whatever the stores return when a read fails (kUnavailable,
// kDataLoss); the previous snapshot stays published.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "base/status.h"
#include "flags/flag_snapshot.h"
#include "meta/meta_store.h"
#include "persons/person_store.h"

namespace hoglet::flags {

// What GET /flags/definitions serves for one snapshot: the body and its strong ETag (quoted).
struct FlagDefinitionsDocument {
  std::string body;
  std::string etag;
};

class FlagSnapshots {
 public:
  // How long a snapshot's group types are trusted before a request naming an unknown group
  // type makes them be read again.
  static constexpr int64_t kGroupTypesRefreshUs = 1'000'000;

  FlagSnapshots(meta::MetaStore& meta, persons::PersonStore& persons, const Clock& clock);

  FlagSnapshots(const FlagSnapshots&) = delete;
  FlagSnapshots& operator=(const FlagSnapshots&) = delete;

  // The project's published snapshot if it is current for a request naming `group_types`
  // (group type names); nullptr when Get must build it first. Never does I/O.
  std::shared_ptr<const FlagSnapshot> Current(int64_t team_id,
                                              std::span<const std::string> group_types = {}) const;

  // The project's current snapshot, building and publishing it when Current would return
  // nullptr. May read both stores.
  StatusOr<std::shared_ptr<const FlagSnapshot>> Get(int64_t team_id,
                                                    std::span<const std::string> group_types = {});

  // The local-evaluation document of the project's current snapshot, computed once per
  // snapshot (FlagDefinitionsJson) and then served from memory. May read both stores.
  StatusOr<std::shared_ptr<const FlagDefinitionsDocument>> Definitions(int64_t team_id);

 private:
  struct Entry {
    std::shared_ptr<const FlagSnapshot> snapshot;
    uint64_t generation = 0;          // FlagsGeneration the snapshot was built from
    int64_t group_types_read_us = 0;  // when the group types were read
    // Computed on first use; guarded by FlagSnapshots::mu_.
    std::shared_ptr<const FlagDefinitionsDocument> definitions;
  };

  bool IsCurrent(const Entry& entry, int64_t team_id,
                 std::span<const std::string> group_types) const;
  std::shared_ptr<Entry> Find(int64_t team_id) const;
  // The current entry, building and publishing a new one when needed.
  StatusOr<std::shared_ptr<Entry>> GetEntry(int64_t team_id,
                                            std::span<const std::string> group_types);
  StatusOr<std::shared_ptr<Entry>> Build(int64_t team_id);

  meta::MetaStore& meta_;
  persons::PersonStore& persons_;
  const Clock& clock_;

  mutable std::mutex mu_;
  std::unordered_map<int64_t, std::shared_ptr<Entry>> entries_;  // guarded by mu_
  std::mutex build_mu_;  // one build at a time; never held with mu_ while reading stores
};

// True when the snapshot has a flag that is active: remote config's `hasFeatureFlags`.
bool HasActiveFlags(const FlagSnapshot& snapshot);

}  // namespace hoglet::flags
