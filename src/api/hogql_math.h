// Trends math "hogql" (analytics §3.2): a series' HogQL aggregate, e.g.
// "avg(properties.$screen_width)" or "sum(toFloat(properties.price)) / count()", computed per
// bucket by the HogQL engine as PostHog computes it, over the events the trends scan selects.
//
// The expression is parsed on its own first (so it is one expression, and its errors name
// "query.series[i].math_hogql: line 1, column C"), then run as
//   SELECT toStartOfDay(timestamp) AS bucket, <expression> FROM events
//   WHERE timestamp >= <from> AND timestamp <= <to> GROUP BY bucket
// (toStartOfMinute / Hour / Week / Month by the interval, in the project's zone and week start;
// no bucket for total-value displays), with the series' event or action and filters applied to
// each block by the filter engine (HogQLMathSeries::narrow). A NULL aggregate counts 0.
//
// With a breakdown (event or person properties, HogQL expressions), each property's label is a
// column of the same query, grouped by too:
//   ifNull(nullIf(toString(properties.$browser), ''), '$$_posthog_breakdown_null_$$')
// so the aggregate is computed per bucket per breakdown value, as PostHog does; the runner then
// ranks the values, keeps breakdown_limit of them and sums the rest into Other.
//
// Example:
//   run.hogql_math = [&](const query::HogQLMathSeries& series) {
//     return RunHogQLMath(series, hogql_context, *source, project.id);
//   };
//
// Thread safety: as the HogQL engine: the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "hogql/executor/executor.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::api {

// The HogQL start of the bucket of `range` an event falls in: toStartOfDay(timestamp), or
// toStartOfMinute / Hour / Month, or toStartOfWeek(timestamp, 0 | 3) by the range's week start.
std::string HogQLBucketStart(const query::DateRange& range);

// One value per bucket of series.range (one in all when series.total_value), for each breakdown
// value with events (one group, key "", without a breakdown). `context` gives the zone, week
// mode, persons and budget; its `narrow` is replaced by the series'. kInvalidArgument naming
// series.field for an expression that does not parse, is not an aggregate, or does not give a
// number, or for a breakdown with more values × buckets than the engine returns rows
// (hogql::kMaxRowLimit); the engine's and the store's errors otherwise.
StatusOr<std::vector<query::HogQLMathValues>> RunHogQLMath(const query::HogQLMathSeries& series,
                                                           const hogql::HogQLRunContext& context,
                                                           const store::ScanSource& source,
                                                           int64_t team_id);

}  // namespace hoglet::api
