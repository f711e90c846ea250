// A retention answer in PostHog's shape (analytics §3.4): the `results` of a RetentionQuery
// response, one object per cohort period, oldest first:
//   [{"values": [{"count": 5, "label": "Day 0"}, {"count": 2, "label": "Day 1"}, …],
//     "label": "Day 0", "date": "2024-01-03T00:00:00Z"}, …]
// `values` holds RetentionColumns(query) entries, labelled "Day k" or, with brackets, by the
// periods of each bracket ("Day 2-3"); with a sum or average each also carries
// "aggregation_value" (after "count"). `date` is the period's local start with the zone's
// offset ("Z" when it is zero), as PostHog's runner writes it. With a breakdown, the cohorts of
// each value in turn, each carrying "breakdown_value".
#pragma once

#include "base/json_writer.h"
#include "query/date_range.h"
#include "query/retention_query.h"
#include "query/retention_runner.h"

namespace hoglet::query {

void WriteRetentionResults(const RetentionQuery& query, const DateRange& range,
                           const RetentionResult& result, JsonWriter* w);

}  // namespace hoglet::query
