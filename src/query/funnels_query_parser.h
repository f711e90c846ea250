// Reads a FunnelsQuery from PostHog's JSON (analytics §3.3), e.g.
//   {"kind": "FunnelsQuery", "dateRange": {"date_from": "-14d"},
//    "series": [{"kind": "EventsNode", "event": "signup"},
//               {"kind": "EventsNode", "event": "purchase"}],
//    "funnelsFilter": {"funnelWindowInterval": 7, "funnelWindowIntervalUnit": "day",
//                      "funnelOrderType": "ordered"}}
//
// Fields this server does not know are ignored, as a newer client may send them. A field it
// knows but cannot compute yet (funnelVizType "trends", an optional step, a cohort breakdown…)
// is refused with a message naming it, rather than answered wrongly.
#pragma once

#include <simdjson.h>

#include "base/status.h"
#include "query/funnels_query.h"

namespace hoglet::query {

// kInvalidArgument (reason "invalid_input", or "unsupported") naming the field
// ("query.funnelsFilter.funnelWindowIntervalUnit: …") for anything malformed or not supported.
StatusOr<FunnelsQuery> ParseFunnelsQuery(simdjson::dom::element query);

}  // namespace hoglet::query
