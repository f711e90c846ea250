// The event store: where ingested events live and are queried (the role ClickHouse plays).
//
// Write contract: Append() returns OK only once the events are durable and visible to queries.
// An event whose (team_id, uuid) the store already holds is skipped, so replaying a log tail after
// a crash never duplicates (the dedupe window is documented in docs/event-store.md). Each Append
// carries the log position it covers; DurableOffset() tells a restarting consumer where the
// store's durable data ends, so it resumes exactly after it.
//
// Freshness: once Append has returned, its events are visible to queries (and DataVersion has
// moved) on every thread of this process. The embedded store reads its list of parts when it
// opens and is not told of parts another process writes to the same directory: one process per
// data directory is the supported setup; an adapter over a shared server states its own bound.
//
// Isolation: every query names one team and sees only that team's events.
//
// Thread safety: every method may be called from any thread; appends for one partition come from
// one consumer, in order.
//
// Implementations: store/columnar_store.h (embedded); a ClickHouse adapter implements the same.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/status.h"
#include "store/event.h"
#include "store/event_query.h"

namespace hoglet::store {

class ScanSource;  // store/scan_source.h

// The log position a batch of events came from: every record of `partition` below
// `next_offset` is included in this or an earlier append.
struct LogPosition {
  int partition = 0;
  uint64_t next_offset = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // kUnavailable on I/O failure (nothing of the batch is visible then), kInvalidArgument for
  // events without a team.
  virtual Status Append(std::vector<Event> events, LogPosition position) = 0;

  // The highest `next_offset` made durable for `partition` (0 when none).
  virtual uint64_t DurableOffset(int partition) const = 0;

  // Events of query.team_id matching every filter, newest first (ties by uuid, descending).
  virtual StatusOr<std::vector<Event>> ListEvents(const EventQuery& query) const = 0;

  // Stops background work (merges); pending merges are abandoned safely.
  virtual void Close() = 0;

  // The embedded engine's read seam (store/scan_source.h); nullptr for a store the query engine
  // does not scan itself (a ClickHouse adapter, whose queries are printed as SQL).
  virtual const ScanSource* scan_source() const { return nullptr; }
};

}  // namespace hoglet::store
