// A dashboard's filters applied to the query of an insight shown on it, as PostHog's query runners
// apply them (apply_dashboard_filters): the dashboard's `date_from` / `date_to`, when it sets
// either, replace the source's `dateRange`; its `properties` are AND-ed with the source's.
//
//   filters {"date_from": "-30d", "properties": [{"key": "$browser", "value": "Chrome", ...}]}
//   query   {"kind": "InsightVizNode", "source": {"kind": "TrendsQuery", "dateRange": {...}, ...}}
//   →       the same query whose source has dateRange {"date_from": "-30d", "date_to": null} and
//           the properties of both
//
// Only insight kinds (TrendsQuery, FunnelsQuery, RetentionQuery, PathsQuery, StickinessQuery,
// LifecycleQuery) take dashboard filters; other queries, and any query under empty filters, come
// back unchanged. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::api {

// The query JSON to run for an insight with `query_json` on a dashboard with `filters_json` (a
// JSON object). kInvalidArgument when either is not valid JSON of its kind.
StatusOr<std::string> ApplyDashboardFilters(std::string_view query_json,
                                            std::string_view filters_json);

}  // namespace hoglet::api
