// A lifecycle answer in PostHog's shape (analytics §3.7): the `results` list of a LifecycleQuery
// response, four items in the order new, returning, resurrecting, dormant:
//   {"action": {"id": "$pageview", "name": "$pageview", "type": "events", "order": 0,
//               "math": "total"},
//    "data": [2, 0, 1], "count": 3, "labels": ["1-Jan-2024", …], "days": ["2024-01-01", …],
//    "label": "$pageview - new", "status": "new"}
// Dormant data are negative. Labels are PostHog's lifecycle labels ("5-Jan-2024", and
// "5-Jan-2024 13:00" by hour); days "2024-01-05" ("2024-01-05 13:00:00" by hour).
#pragma once

#include "base/json_writer.h"
#include "query/lifecycle_query.h"
#include "query/lifecycle_runner.h"

namespace hoglet::query {

// Writes the `results` array.
void WriteLifecycleResults(const LifecycleQuery& query, const LifecycleAnswer& answer,
                           JsonWriter* w);

}  // namespace hoglet::query
