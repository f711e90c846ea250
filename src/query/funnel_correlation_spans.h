// The actors a funnel correlation reads (analytics §3.3): the funnel's actors at one step, each
// with whether it converted (reached the last step) and its time in the funnel, and the names of
// the funnel's own step events, which are never correlated. Shared by the correlation
// (query/funnel_correlation.h) and the actors of a correlation row
// (query/funnel_correlation_actors.h).
//
// Thread-safe: pure over its arguments; the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "base/uuid.h"
#include "query/aggregate.h"
#include "query/date_range.h"
#include "query/event_rows.h"
#include "query/funnels_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

// One actor: whether it converted and its time in the funnel, (from_us, to_us) exclusive: from
// its chain's first step to its last step when it converted, else to the end of the conversion
// window from the first step.
struct ActorSpan {
  uint32_t index = 0;  // 0, 1, 2… in the order the actors were found
  bool converted = false;
  int64_t from_us = 0;
  int64_t to_us = 0;
};

using CorrelationActors = std::unordered_map<Uuid, ActorSpan, UuidHash>;

// The actor a row counts for in the funnel: its person, or for a funnel over a group type the
// row's group (GroupActor; nullopt for a row without one).
StatusOr<std::optional<Uuid>> RowActor(const FunnelsQuery& funnel, EventRows& rows, size_t row);

// The names of the events the funnel's steps match: their events, and their actions' events.
std::set<std::string> StepEventNames(const FunnelsQuery& funnel, const TrendsContext& context);

// The funnel's actors at `funnel_step` (a FunnelsActorsQuery's, valid for the funnel), each once:
// an actor counted under several breakdown values takes a converted result over another. The
// funnel runs as its steps display, whatever its funnelVizType.
StatusOr<CorrelationActors> FunnelActorSpans(const FunnelsQuery& funnel, int64_t funnel_step,
                                             const DateRange& range, const TrendsContext& context,
                                             const store::ScanSource& source, int64_t team_id);

}  // namespace hoglet::query
