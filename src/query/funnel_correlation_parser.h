// Reads a FunnelCorrelationQuery from PostHog's JSON (analytics §3.3), e.g.
//   {"kind": "FunnelCorrelationQuery", "funnelCorrelationType": "events",
//    "source": {"kind": "FunnelsActorsQuery",
//               "source": {"kind": "FunnelsQuery", "series": [...]}},
//    "funnelCorrelationExcludeEventNames": ["$pageleave"]}
// The funnel's fields are named from the correlation query ("query.source.source.series[0]…").
#pragma once

#include <simdjson.h>

#include <string>

#include "base/status.h"
#include "query/funnel_correlation_actors.h"
#include "query/funnel_correlation_query.h"

namespace hoglet::query {

// kInvalidArgument (reason "invalid_input", or "unsupported") naming the field for anything
// malformed or not supported: a missing or unknown funnelCorrelationType, properties without
// funnelCorrelationNames, event_with_properties without funnelCorrelationEventNames (as PostHog
// refuses them), autocapture element correlation and funnels over groups (not computed here yet).
StatusOr<FunnelCorrelationQuery> ParseFunnelCorrelationQuery(simdjson::dom::element query);

// A FunnelCorrelationActorsQuery: its `source` (the FunnelCorrelationQuery) and the row it lists,
//   {"kind": "FunnelCorrelationActorsQuery", "source": {…FunnelCorrelationQuery…},
//    "funnelCorrelationPersonConverted": false,
//    "funnelCorrelationPersonEntity": {"kind": "EventsNode", "event": "watched video"}}
// (properties correlations name the row by "funnelCorrelationPropertyValues", person property
// filters). `field` is its path in errors ("query.source" inside an ActorsQuery). Refused like
// PostHog: an events row without funnelCorrelationPersonEntity, a properties row without
// funnelCorrelationPropertyValues.
struct FunnelCorrelationActorsRequest {
  FunnelCorrelationQuery query;
  CorrelationActorsPoint point;
};
StatusOr<FunnelCorrelationActorsRequest> ParseFunnelCorrelationActorsQuery(
    simdjson::dom::element actors_query, const std::string& field);

}  // namespace hoglet::query
