// Reads a PathsQuery from PostHog's JSON (analytics §3.5), e.g.
//   {"kind": "PathsQuery", "dateRange": {"date_from": "-7d"},
//    "pathsFilter": {"includeEventTypes": ["$pageview"], "startPoint": "/home",
//                    "stepLimit": 4, "localPathCleaningFilters": [{"regex": "/\\d+", "alias":
//                    "/:id"}]}}
//
// Fields this server does not know are ignored, as a newer client may send them. A field it knows
// but cannot compute yet (a pathsHogQLExpression other than an event property, samplingFactor, a
// funnelPathsFilter over groups or around an optional step) is refused with a message naming it,
// rather than answered wrongly. The cleaning regexes and groupings are compiled here with RE2, so
// a pattern RE2 refuses is a 400 naming it. A funnelPathsFilter's funnelSource is read as a
// FunnelsQuery (query/funnels_query_parser.h), its errors naming
// "query.funnelPathsFilter.funnelSource.…"; its funnelPathType and funnelStep are required, the
// step 1…n or −2…−n of the funnel's n steps (2…n or −3…−n between steps).
#pragma once

#include <simdjson.h>

#include "base/status.h"
#include "query/paths_query.h"

namespace hoglet::query {

// Bounds on what a client asks for.
inline constexpr int64_t kMaxPathStepLimit = 100;
inline constexpr int64_t kMaxPathEdgeLimit = 10'000;
inline constexpr size_t kMaxPathPatterns = 100;      // cleaning filters, groupings
inline constexpr size_t kMaxPathExclusions = 1'000;  // excludeEvents

// kInvalidArgument (reason "invalid_input", or "unsupported") naming the field
// ("query.pathsFilter.stepLimit: …") for anything malformed or not supported.
StatusOr<PathsQuery> ParsePathsQuery(simdjson::dom::element query);

}  // namespace hoglet::query
