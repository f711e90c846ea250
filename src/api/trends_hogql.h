// The HogQL a TrendsQuery runs (analytics §3.2, §3.8): the `hogql` field of a trends answer, one
// SELECT that, run as a HogQLQuery on this server, gives the answer's numbers, as PostHog's
// trends answer carries the HogQL its runner built (posthog/hogql_queries/insights/trends/).
//
// Each series is one SELECT over `events`: the series' event, its filters, the query's and
// (with filterTestAccounts) the project's test-account filters, the events the range reads
// (`timestamp` between the first bucket's start and the range's end, as local times in the
// project's zone), grouped by bucket (`toStartOfDay(timestamp)`, …; the engine reads date-times
// in the project's zone) and aggregated by the series' math:
//
//   SELECT toStartOfDay(timestamp) AS day_start, count() AS total
//   FROM events AS e
//   WHERE and(timestamp >= '2024-01-01 00:00:00', timestamp <= '2024-01-07 23:59:59.999999',
//             event = '$pageview', properties.$browser = 'Chrome')
//   GROUP BY day_start ORDER BY day_start ASC LIMIT 50000
//
// Rows exist only for buckets with events (a missing bucket is 0). A breakdown adds a
// `breakdown_value` column: the property's text, "$$_posthog_breakdown_null_$$" when it has none;
// the values past breakdown_limit (ranked as the trends answer ranks them: the null label last,
// then by the sum of the line, then by value) are summed into
// "$$_posthog_breakdown_other_$$" (or left out with breakdown_hide_other_aggregation), in an
// outer query over the per-bucket, per-value rows. Several series are the members of a UNION ALL
// wrapped in one SELECT, each row starting with `series` (the series' index). Total-value
// displays have no bucket column.
//
// Shapes this server does not print (the answer's `hogql` is then null): sampling, formulas,
// compare, cumulative displays, smoothing, actions, maths other than total, dau, unique_session,
// sum, avg, min, max, median and p75…p99 (weekly/monthly active, per-actor counts, unique groups,
// first-time, math_hogql), aggregation by groups, filters other than event and person
// properties with the exact, is_not, is_set, is_not_set, icontains, not_icontains, starts_with,
// ends_with (and their negations), regex, not_regex, gt, gte, lt and lte operators, and
// breakdowns other than one event or person property (several, cohorts, groups, HogQL,
// histograms, URL-normalised).
//
// Pure; call from any thread.
#pragma once

#include <optional>
#include <string>

#include "filters/filter_tree.h"
#include "query/date_range.h"
#include "query/trends_query.h"

namespace hoglet::api {

// The HogQL text of `trends` over `range` (the range the answer was computed over), applying
// `test_account_filters` when the query asks for them, as the HogQL printer prints it; nullopt
// for the shapes listed above.
std::optional<std::string> TrendsHogQL(const query::TrendsQuery& trends,
                                       const query::DateRange& range,
                                       const filters::FilterNode& test_account_filters);

}  // namespace hoglet::api
