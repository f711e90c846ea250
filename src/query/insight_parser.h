// The parts of PostHog's insight queries (analytics §3.1) that TrendsQuery and FunnelsQuery
// share, read from their JSON: series nodes (EventsNode, ActionsNode), `dateRange` and
// `breakdownFilter`.
//
// Every error is kInvalidArgument naming the field (query/query_json.h), "unsupported" for what
// this server does not compute yet. Pure functions; call them from any thread.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "query/date_range.h"
#include "query/interval.h"
#include "query/trends_query.h"

namespace hoglet::query {

// The longest math_hogql expression a series may carry.
inline constexpr size_t kMaxMathHogQLBytes = 4096;

// An EventsNode or ActionsNode at `field` ("query.series[0]").
StatusOr<Series> ParseSeriesNode(simdjson::dom::element value, const std::string& field);

// query.interval; day when absent.
StatusOr<Interval> ParseInterval(simdjson::dom::object root);

// kInvalidArgument ("unsupported") for a samplingFactor other than 1: sampling is not computed.
Status RefuseSampling(simdjson::dom::object root);

// query.samplingFactor when it samples (0 < factor < 1); nullopt when absent, null, 0 or 1.
// kInvalidArgument for anything else than a number from 0 to 1.
StatusOr<std::optional<double>> ParseSamplingFactor(simdjson::dom::object root);

// query.dateRange; every field absent when the query has none.
StatusOr<DateRangeSpec> ParseDateRange(simdjson::dom::object root);

// query.breakdownFilter; nullopt when the query breaks down by nothing. Types "event", "person",
// "group", "hogql" and "cohort"; histogram bins (breakdown_histogram_bin_count, an item's
// histogram_bin_count).
StatusOr<std::optional<Breakdown>> ParseBreakdownFilter(simdjson::dom::object root);

// kInvalidArgument ("unsupported") for what only trends break down by: cohorts, HogQL expressions
// and histogram bins. `insight` names the query in the message ("funnel").
Status RefuseTrendsOnlyBreakdown(const std::optional<Breakdown>& breakdown,
                                 std::string_view insight);

}  // namespace hoglet::query
