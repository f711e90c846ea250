// A stickiness answer in PostHog's shape (analytics §3.6): the `results` list of a
// StickinessQuery response, one item per series (and per half of a comparison):
//   {"count": 12, "data": [5, 4, 3], "days": [1, 2, 3], "labels": ["1 day", "2 days", "3 days"],
//    "label": "$pageview", "action": {"order": 0, "type": "events", "name": "$pageview",
//    "id": "$pageview"}, "compare": true, "compare_label": "current"}
// Cumulative stickiness labels its points "1 day or more", "2 days or more", …
#pragma once

#include "base/json_writer.h"
#include "query/stickiness_query.h"
#include "query/stickiness_runner.h"

namespace hoglet::query {

// Writes the `results` array.
void WriteStickinessResults(const StickinessQuery& query, const StickinessAnswer& answer,
                            JsonWriter* w);

}  // namespace hoglet::query
