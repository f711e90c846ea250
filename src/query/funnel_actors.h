// The actors of one step of a funnel insight (PostHog's FunnelsActorsQuery over a FunnelsQuery,
// analytics §3.3): the persons who reached a step, or who reached the step before it and dropped
// off there. The funnel runs as the insight runs it (query/funnels_runner.h: the same events,
// persons at query time, window, order, exclusions and breakdown attribution), and every actor's
// result is collected, so the actors are exactly the persons behind the step's count.
//
// Example: a funnel signup → purchase; {funnel_step = 2} lists those who purchased within the
// window, {funnel_step = -2} those who signed up and did not.
//
// Thread-safe: pure over its arguments; the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "query/date_range.h"
#include "query/funnels_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

struct FunnelActorsPoint {
  // 1-based: k ≥ 1, the actors who reached step k; −k (k ≥ 2), those who reached step k−1 and
  // not step k.
  int64_t funnel_step = 1;
  // The breakdown value of the line ("" for actors without a value, the Other label for the
  // values past the limit); nullopt: every line.
  std::optional<std::string> breakdown;
  // Funnel trends (funnelTrendsEntrancePeriodStart): the local start of the entry bucket; then
  // funnel_step is not read, and `drop_off` (funnelTrendsDropOff) lists the entries that reached
  // funnelFromStep and not funnelToStep instead of those that reached funnelToStep.
  std::optional<int64_t> entrance_local_us;
  bool drop_off = false;
};

// Whether an actor whose chain went through `steps_reached` (FunnelActorResult) is one of the
// actors of `funnel_step` (FunnelActorsPoint::funnel_step, a valid one) of a steps funnel: k ≥ 1,
// it went through step k; −k, it went through the required step before step k and not step k.
bool ActorAtStep(const FunnelsQuery& query, int64_t funnel_step, uint32_t steps_reached);

// The actors (persons, or for a funnel over a group type its groups as their GroupActor),
// ordered by id. kInvalidArgument naming `field` (the FunnelsActorsQuery's path, "query.source")
// and its fields for a step of 0, −1 or past the funnel's steps, a breakdown value on a funnel
// without breakdown, a step of a trends funnel or an entry bucket of another, and an entry
// bucket that is not one of the range's.
StatusOr<std::vector<Uuid>> FunnelActors(const FunnelsQuery& query, const FunnelActorsPoint& point,
                                         const DateRange& range, const TrendsContext& context,
                                         const store::ScanSource& source, int64_t team_id,
                                         const std::string& field);

}  // namespace hoglet::query
