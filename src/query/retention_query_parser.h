// Reads PostHog's RetentionQuery JSON (analytics §3.4) into a RetentionQuery: retentionFilter
// (targetEntity, returningEntity, retentionType, period, totalIntervals, minimumOccurrences,
// cumulative, timeWindowMode, retentionCustomBrackets, aggregationType with aggregationProperty
// and aggregationPropertyType), dateRange, properties, filterTestAccounts and
// aggregation_group_type_index.
// Entities are RetentionEntity objects ({"id": "$pageview", "type": "events", "properties": […]},
// {"id": 3, "type": "actions"}) or EventsNode / ActionsNode.
//
// Every error is kInvalidArgument naming the field; what this server does not compute yet (a
// breakdown by several properties, a data warehouse aggregation property, sampling, and the
// combinations RefuseCombinations lists: 24_hour_windows with cumulative — PostHog's own
// refusal —, brackets, minimumOccurrences or a sum; a sum or average with cumulative, brackets
// or minimumOccurrences) is refused as unsupported. Pure; call it from any thread.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(RetentionQuery query, ParseRetentionQuery(parser.parse(json)));
#pragma once

#include <simdjson.h>

#include "base/status.h"
#include "query/retention_query.h"

namespace hoglet::query {

// The most offsets a cohort is followed for.
inline constexpr int64_t kMaxRetentionIntervals = 1000;

// The most periods retentionCustomBrackets may span in all.
inline constexpr int64_t kMaxRetentionBracketPeriods = 100'000;

StatusOr<RetentionQuery> ParseRetentionQuery(simdjson::dom::element query);

}  // namespace hoglet::query
