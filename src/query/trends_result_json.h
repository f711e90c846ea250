// A trends answer in PostHog's shape (analytics §3.2): the `results` list of a TrendsQuery
// response, one item per series and breakdown value:
//   {"data": [...], "labels": ["5-Jan-2024", …], "days": ["2024-01-05", …], "count": 12,
//    "label": "$pageview", "breakdown_value": "Chrome", "aggregated_value": 12 (total-value
//    displays, with "data": []), "action": {"id", "type": "events", "order", "name",
//    "custom_name", "math", "math_property", …}, "order": 0, "filter": {…}}
// With one series, a breakdown line's label is the breakdown value alone; with several,
// "<series> - <value>".
#pragma once

#include <string>

#include "base/json_writer.h"
#include "query/date_range.h"
#include "query/trends_insight.h"
#include "query/trends_query.h"
#include "query/trends_runner.h"

namespace hoglet::query {

// Writes the `results` array. A line of the period compared with carries that period's days
// and labels, "compare": true and "compare_label" "previous" (the others "current"); a formula's
// line is labelled "Formula (<formula>)" (or its custom name) and has no action.
void WriteTrendsResults(const TrendsQuery& query, const TrendsAnswer& answer, JsonWriter* w);

// A count as an integer when it is one (PostHog answers 5, not 5.0), any other value as a double.
void WriteNumber(double value, JsonWriter* w);

}  // namespace hoglet::query
