// Reads a TrendsQuery from PostHog's JSON (analytics §3.2), e.g.
//   {"kind": "TrendsQuery", "interval": "day", "dateRange": {"date_from": "-7d"},
//    "series": [{"kind": "EventsNode", "event": "$pageview", "math": "dau"}],
//    "breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event"},
//    "trendsFilter": {"display": "ActionsLineGraph"}}
//
// Fields this server does not know are ignored, as a newer client may send them. A field it
// knows but cannot compute yet (a compare, a formula, an ActionsNode series, a cohort
// filter…) is refused with a message naming it, rather than answered wrongly.
#pragma once

#include <simdjson.h>

#include "base/status.h"
#include "query/trends_query.h"

namespace hoglet::query {

// Series a query may hold.
inline constexpr size_t kMaxSeries = 50;

// kInvalidArgument (reason "invalid_input") naming the field ("query.series[1].math: …") for
// anything malformed or not supported.
StatusOr<TrendsQuery> ParseTrendsQuery(simdjson::dom::element query);

}  // namespace hoglet::query
