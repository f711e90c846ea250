// Reads a StickinessQuery from PostHog's JSON (analytics §3.6), e.g.
//   {"kind": "StickinessQuery", "interval": "day", "dateRange": {"date_from": "-7d"},
//    "series": [{"kind": "EventsNode", "event": "$pageview"}],
//    "stickinessFilter": {"computedAs": "cumulative",
//                         "stickinessCriteria": {"operator": "gte", "value": 2}}}
//
// The fields it shares with TrendsQuery are read as trends reads them
// (query/trends_query_parser.h); fields this server does not know are ignored. Pure; call it
// from any thread.
#pragma once

#include <simdjson.h>

#include "base/status.h"
#include "query/stickiness_query.h"

namespace hoglet::query {

// The largest intervalCount accepted.
inline constexpr int64_t kMaxIntervalCount = 1000;

// kInvalidArgument (reason "invalid_input") naming the field for anything malformed; "unsupported"
// for a breakdown, a math other than unique_group that counts something other than actors, or
// sampling.
StatusOr<StickinessQuery> ParseStickinessQuery(simdjson::dom::element query);

}  // namespace hoglet::query
