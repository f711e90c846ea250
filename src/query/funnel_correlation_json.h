// A funnel correlation answer in PostHog's shape (analytics §3.3): the `results` of a
// FunnelCorrelationQuery response,
//   {"events": [{"event": {"event": "watched video", "properties": {}, "elements": []},
//                "success_count": 5, "failure_count": 1, "odds_ratio": 12.0,
//                "correlation_type": "success"}, …],
//    "skewed": false}
// where "event" names the value: an event name, "event::key::value" or "key::value".
#pragma once

#include "base/json_writer.h"
#include "query/funnel_correlation.h"

namespace hoglet::query {

void WriteFunnelCorrelationResult(const FunnelCorrelationResult& result, JsonWriter* w);

}  // namespace hoglet::query
