// Records what ingestion stores (analytics §1.9) in the metadata store, the job PostHog's
// property-defs service does beside its ingestion pipeline:
//   - event names (event definitions);
//   - event property keys (property definitions of type 1, "event");
//   - person property keys: the keys of the `$set` and `$set_once` objects in an event's
//     properties, which is where `$identify`, `$set` and every other event carry them (property
//     definitions of type 2, "person");
//   - group property keys: the keys of a `$groupidentify`'s `$group_set` object, under the index
//     of its `$group_type` (property definitions of type 3, "group"; the index is the one person
//     processing assigned, read from the person store; a type it did not assign, a sixth one,
//     records nothing);
//   - event-to-property pairs: which event property keys were seen on events of which name
//     (PostHog's EventProperty rows; the API's event_names / filter_by_event_names read them).
//
// The consumer hands each stored batch to Observe(). The tracker keeps an in-memory record of
// what it has written — (team, event name), (team, owner and group type, property key, detected
// type) with the last_seen_at written, and (team, event name, property key) — and writes only
// what is new, or what was last written an hour or more (options.refresh_interval_us) before the
// newly seen time (pairs carry no time: a written pair is never written again). A steady stream
// of known events thus costs no metadata write at all, and last_seen_at is at most an hour
// behind.
//
// Seen times are the events' timestamps, clamped to the clock's now (a client clock in the future
// does not push last_seen_at ahead of time). Types come from ingest/property_type_detector.h,
// for person and group properties as for event properties.
//
// Bounds (every one a client could otherwise push without end):
//   - names longer than meta::kMaxDefinitionNameBytes are not recorded (as PostHog), and neither
//     is a pair with such an event name or property key;
//   - one batch records at most options.max_new_per_batch new definitions per project (event
//     names, event, person and group property keys together), and at most
//     options.max_new_event_properties_per_batch new pairs;
//   - a project holds at most options.max_event_definitions event definitions,
//     options.max_property_definitions event property definitions,
//     options.max_person_property_definitions person property definitions,
//     options.max_group_property_definitions group property definitions (of all its group types)
//     and options.max_event_properties pairs;
//   - one batch looks at no more distinct names (or pairs) per project than those totals (the
//     rest are counted as skipped), so the work and memory of a batch do not grow with its
//     distinct keys.
// Known definitions are always updated. The events themselves are stored whole either way, and
// person processing applies `$set` / `$set_once` whatever is recorded here.
// When a batch leaves something out, the project gets an ingestion warning of type
// kSkippedWarningType saying what and how much, at most one per project per
// options.warning_interval_us (later skips within the interval are not reported again).
//
// Memory: at most options.max_remembered entries; when full, the record is cleared and rebuilt
// from the following batches (each name then costs one more write).
//
// Errors: Observe returns the first MetaStore or person store error (kUnavailable, kDataLoss).
// Definitions are advisory — the events are already stored — so the caller logs and goes on;
// nothing that failed is remembered, so a later batch with the same names writes them again. A
// project deleted meanwhile (kNotFound) is skipped silently. A failed warning write is logged,
// not returned.
//
// Thread safety: Observe may be called from several consumer threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "meta/meta_store.h"
#include "persons/person_store.h"
#include "store/event.h"
#include "store/properties_parser.h"

namespace hoglet::ingest {

struct DefinitionsTrackerOptions {
  // Entries remembered before the record is cleared.
  size_t max_remembered = 200'000;
  // A known name's last_seen_at is written again once it would move by at least this much.
  int64_t refresh_interval_us = 3'600'000'000;
  // New definitions (event names, event and person property keys together) recorded per project
  // per batch.
  size_t max_new_per_batch = 1'000;
  // Event definitions, event property definitions and person property definitions a project may
  // hold.
  size_t max_event_definitions = 10'000;
  size_t max_property_definitions = 10'000;
  size_t max_person_property_definitions = 10'000;
  size_t max_group_property_definitions = 10'000;
  // Event-to-property pairs a project may hold, and new pairs recorded per project per batch.
  size_t max_event_properties = 50'000;
  size_t max_new_event_properties_per_batch = 5'000;
  // At most one kSkippedWarningType warning per project per interval.
  int64_t warning_interval_us = 3'600'000'000;
};

class DefinitionsTracker {
 public:
  // The ingestion warning type written when a batch's definitions are not all recorded.
  static constexpr std::string_view kSkippedWarningType = "definitions_skipped";

  // `meta` and `clock` must outlive the tracker; so must `persons`, where skip warnings are
  // written and group types read (nullptr: no warnings are written and no group property is
  // recorded).
  DefinitionsTracker(meta::MetaStore& meta, const Clock& clock,
                     DefinitionsTrackerOptions options = {},
                     persons::PersonStore* persons = nullptr);

  // Records the definitions of one batch of stored events (any mix of teams): at most one
  // MetaStore::RecordDefinitions and one MetaStore::RecordEventProperties call per team with
  // something to write.
  Status Observe(const std::vector<store::Event>& events);

  // Entries currently remembered (for tests and metrics).
  size_t remembered() const;

 private:
  // Definitions in the order a batch first saw them, with the max seen time of each.
  template <typename Seen>
  struct Sightings {
    std::unordered_map<std::string, size_t> index;  // cache key → position
    std::vector<std::string> keys;
    std::vector<Seen> seen;
  };
  // An event-to-property pair and when it was last seen in the batch.
  struct PairSeen {
    meta::EventPropertySeen pair;
    int64_t seen_at_us = 0;
  };
  // What one batch saw of one team.
  struct TeamSightings {
    Sightings<meta::EventDefinitionSeen> events;
    Sightings<meta::PropertyDefinitionSeen> properties;
    Sightings<meta::PropertyDefinitionSeen> person_properties;
    Sightings<meta::PropertyDefinitionSeen> group_properties;
    Sightings<PairSeen> pairs;
    size_t long_names = 0;         // names over meta::kMaxDefinitionNameBytes
    size_t unexamined_events = 0;  // sightings past the per-batch look-up bound
    size_t unexamined_properties = 0;
    size_t unexamined_person_properties = 0;
    size_t unexamined_group_properties = 0;
    size_t unexamined_pairs = 0;
  };
  // What the metadata store answered for one team's batch (unset: that call was not made or
  // failed).
  struct Written {
    std::optional<meta::RecordedDefinitions> definitions;
    std::optional<meta::RecordedEventProperties> pairs;
  };

  // The index person processing gave `group_type` in the team (nullopt: none, or no person
  // store); `known` holds the teams' group types read so far.
  StatusOr<std::optional<int>> GroupTypeIndex(
      int64_t team_id, std::string_view group_type,
      std::map<int64_t, std::vector<persons::GroupType>>* known) const;
  // Notes the keys of a $groupidentify's $group_set as group properties of its type.
  Status NoteGroupProperties(
      int64_t team_id, const std::vector<std::pair<std::string, store::PropertyValue>>& properties,
      int64_t seen_at_us, int64_t now_us, std::map<int64_t, std::vector<persons::GroupType>>* known,
      store::PropertiesParser* parser, TeamSightings* team) const;
  // Drops the sightings already written recently enough; true when something is left.
  bool KeepStale(TeamSightings* sightings) const;
  // Writes one team's sightings; what the store left out is cleared from `sightings`' keys (so
  // it is not remembered). Returns the first error; `written` says what was written.
  Status Write(int64_t team_id, TeamSightings* sightings, Written* written);
  void Remember(const TeamSightings& written);
  // Writes the skip warning of one team's batch, unless one was written within the interval.
  void MaybeWarn(int64_t team_id, const TeamSightings& sightings, const Written& written,
                 int64_t now_us);

  meta::MetaStore& meta_;
  const Clock& clock_;
  const DefinitionsTrackerOptions options_;
  persons::PersonStore* const persons_;

  mutable std::mutex mu_;
  // cache key → the last_seen_at written; guarded by mu_.
  std::unordered_map<std::string, int64_t> recorded_;
  // team → when its last skip warning was written; guarded by mu_.
  std::unordered_map<int64_t, int64_t> last_warning_us_;
};

}  // namespace hoglet::ingest
