// The actors of one point of a trends insight (PostHog's InsightActorsQuery over a TrendsQuery):
// the persons that point counted, each with the number of its events the point counted. The
// series runs as trends runs it (trends_runner.h, the same filters, breakdown and persons at
// query time), and every event it counts into the chosen bucket and breakdown value is told to
// this collector, so the actors are exactly the persons behind the number.
//
// Thread-safe: pure over its arguments; the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "query/trends_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

struct TrendsPoint {
  size_t series = 0;
  // The local start of the bucket's day or hour ("2024-01-05", "2024-01-05 13:00:00"), as a
  // local time; nullopt: every bucket (and the only one of total-value displays).
  std::optional<int64_t> day_local_us;
  // The breakdown key (BreakdownKey; the Other label for the values past the limit); nullopt:
  // every value.
  std::optional<std::string> breakdown;
  bool previous = false;  // the compared period (compareFilter)
};

struct TrendsActor {
  Uuid person;  // the person; the group's GroupActor for a unique_group series
  int64_t event_count = 0;
};

// The actors, most events first (then by person): persons, or the groups of a unique_group
// series. kInvalidArgument naming `field_prefix`'s fields for a series that is not in the query,
// a point outside the range, a previous period without compareFilter, sessions
// (unique_session) and actor maths over the query's aggregation_group_type_index.
StatusOr<std::vector<TrendsActor>> TrendsActors(const TrendsQuery& query, const TrendsPoint& point,
                                                const TrendsContext& context,
                                                const store::ScanSource& source, int64_t team_id);

}  // namespace hoglet::query
