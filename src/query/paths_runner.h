// Runs a PathsQuery on the embedded engine (analytics §3.5): one scan of the project's parts over
// the date range keeps the events of the included types that pass the query's and test-account
// filters, names each by its path item (query/path_items.h) and leaves out the excluded items;
// each person's events (the person each event's distinct id belongs to now) become session paths
// (query/path_sessions.h), and each step of a path is an edge "<i>_<from>" → "<i+1>_<to>".
//
// The answer, as PostHog's paths query runner computes it: per edge, the number of session paths
// holding it and the mean time between its two items (ms); edges past the weight bounds are left
// out, the rest ordered by weight (descending), source, target and cut to edgeLimit; then an edge
// whose source cannot be reached from a "1_" node is dropped.
//
// With a funnel source (query.funnel_paths), the funnel runs first and only its step's persons
// are read, each within its window of events, their sessions split at the funnel's conversion
// window (query/funnel_path_windows.h).
//
// Thread-safe: a runner holds no state between calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "query/date_range.h"
#include "query/paths_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

struct PathEdge {
  std::string source;  // "1_/home"
  std::string target;  // "2_/pricing"
  int64_t value = 0;   // session paths holding the edge
  double average_conversion_ms = 0;
};

// The actors of an edge or node (PathActorKeys): the persons with a session path that has it.
struct PathActor {
  Uuid person;
  int64_t event_count = 0;  // the matching steps over the person's sessions
};

// `context` is the one trends runs with: clock, overrides, person and group properties, cohorts,
// test-account filters and budget (its `counted` is not called). Past the context's
// actor_pass_bytes the persons are read in several passes (query/actor_passes.h);
// kInvalidArgument when that would take more than kMaxActorShares passes; the budget's and the
// store's errors otherwise.
StatusOr<std::vector<PathEdge>> RunPaths(const PathsQuery& query, const DateRange& range,
                                         const TrendsContext& context,
                                         const store::ScanSource& source, int64_t team_id);

// The persons behind query.actor_keys, most matching steps first (then by person): with
// pathDropoffKey, those whose session path ends at that node; otherwise those with a step from
// pathStartKey and/or into pathEndKey (every person with a path when neither is set). Errors as
// RunPaths.
StatusOr<std::vector<PathActor>> RunPathsActors(const PathsQuery& query, const DateRange& range,
                                                const TrendsContext& context,
                                                const store::ScanSource& source, int64_t team_id);

}  // namespace hoglet::query
