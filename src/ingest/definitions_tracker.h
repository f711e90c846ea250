// Records the event names and event property keys ingestion stores (analytics §1.9) in the
// metadata store, the job PostHog's property-defs service does beside its ingestion pipeline.
//
// The consumer hands each stored batch to Observe(). The tracker keeps an in-memory record of
// what it has written — (team, event name) and (team, property key, detected type) with the
// last_seen_at written — and writes only what is new, or what was last written an hour or more
// (options.refresh_interval_us) before the newly seen time. A steady stream of known events thus
// costs no metadata write at all, and last_seen_at is at most an hour behind.
//
// Seen times are the events' timestamps, clamped to the clock's now (a client clock in the future
// does not push last_seen_at ahead of time). Types come from ingest/property_type_detector.h.
//
// Memory: at most options.max_remembered entries; when full, the record is cleared and rebuilt
// from the following batches (each name then costs one more write).
//
// Errors: Observe returns the first MetaStore error (kUnavailable, kDataLoss). Definitions are
// advisory — the events are already stored — so the caller logs and goes on; nothing that
// failed is remembered, so a later batch with the same names writes them again. A project
// deleted meanwhile (kNotFound) is skipped silently.
//
// Thread safety: Observe may be called from several consumer threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "meta/meta_store.h"
#include "store/event.h"

namespace hoglet::ingest {

struct DefinitionsTrackerOptions {
  // Entries remembered before the record is cleared.
  size_t max_remembered = 200'000;
  // A known name's last_seen_at is written again once it would move by at least this much.
  int64_t refresh_interval_us = 3'600'000'000;
};

class DefinitionsTracker {
 public:
  // `meta` and `clock` must outlive the tracker.
  DefinitionsTracker(meta::MetaStore& meta, const Clock& clock,
                     DefinitionsTrackerOptions options = {});

  // Records the definitions of one batch of stored events (any mix of teams): at most one
  // MetaStore::RecordDefinitions call per team with something to write.
  Status Observe(const std::vector<store::Event>& events);

  // Entries currently remembered (for tests and metrics).
  size_t remembered() const;

 private:
  // What one batch saw of one team: cache key → (definition, max seen time).
  struct TeamSightings {
    std::unordered_map<std::string, meta::EventDefinitionSeen> events;
    std::unordered_map<std::string, meta::PropertyDefinitionSeen> properties;
  };

  // Drops the sightings already written recently enough; true when something is left.
  bool KeepStale(TeamSightings* sightings) const;
  void Remember(const TeamSightings& written);

  meta::MetaStore& meta_;
  const Clock& clock_;
  const DefinitionsTrackerOptions options_;

  mutable std::mutex mu_;
  // cache key → the last_seen_at written; guarded by mu_.
  std::unordered_map<std::string, int64_t> recorded_;
};

}  // namespace hoglet::ingest
