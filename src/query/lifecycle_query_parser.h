// Reads a LifecycleQuery from PostHog's JSON (analytics §3.7), e.g.
//   {"kind": "LifecycleQuery", "interval": "day", "dateRange": {"date_from": "-30d"},
//    "series": [{"kind": "EventsNode", "event": "$pageview"}],
//    "lifecycleFilter": {"toggledLifecycles": ["new", "dormant"]}}
//
// The fields it shares with TrendsQuery are read as trends reads them
// (query/trends_query_parser.h); fields this server does not know are ignored. Pure; call it
// from any thread.
#pragma once

#include <simdjson.h>

#include "base/status.h"
#include "query/lifecycle_query.h"

namespace hoglet::query {

// kInvalidArgument (reason "invalid_input") naming the field for anything malformed, a query
// without exactly one series, or an unknown status; "unsupported" for a breakdown, group
// aggregation and sampling.
StatusOr<LifecycleQuery> ParseLifecycleQuery(simdjson::dom::element query);

}  // namespace hoglet::query
