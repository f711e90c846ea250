// Saved insights in the JSON shape of PostHog's InsightSerializer, written by the insights and
// dashboards endpoints (api/insights_handler.h, api/dashboards_handler.h), together with the
// result of the insight's query as api/query_execution.h answered it.
//
//   {"id", "short_id", "name", "derived_name", "query", "filters": {}, "order": null, "deleted",
//    "saved", "dashboards": [ids], "dashboard_tiles": [{"id", "dashboard_id", "deleted"}],
//    "result", "hasMore", "columns", "types", "hogql", "timezone", "resolved_date_range",
//    "is_cached", "last_refresh", "next_allowed_client_refresh", "cache_target_age",
//    "query_status", "created_at", "created_by", "description", "updated_at", "tags",
//    "favorited", "last_modified_at", "last_modified_by", "is_sample": false, "alerts": [],
//    "last_viewed_at": null, "effective_restriction_level": 21,
//    "effective_privilege_level": 37, "user_access_level": "editor"}
//
// The result fields come from the query's answer (its `results` become `result`); with no answer
// (an insight without a runnable query, or a cache miss under force_cache) they are null and
// is_cached is false. Pure functions; thread-compatible (one writer per call).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "api/api_context.h"
#include "base/json_writer.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// Writes `insight` with its live `tiles` (meta::MetaStore::TilesOfInsight) and `answer`, the JSON
// body ExecuteQuery produced for its query (empty: no answer). Users are looked up in
// context.meta; an unknown one is written as null.
void WriteInsightJson(const ApiContext& context, const meta::Project& project,
                      const meta::InsightRecord& insight,
                      const std::vector<meta::DashboardTileRecord>& tiles, std::string_view answer,
                      JsonWriter* w);

// PostHog's InsightResult (run_insights): {"id", "short_id", "name", "derived_name", "result"},
// the result from `answer` as in WriteInsightJson.
void WriteInsightResultJson(const meta::InsightRecord& insight, std::string_view answer,
                            JsonWriter* w);

// The user `user_id` names as PostHog's UserBasicSerializer shows it; null when there is none or
// it is unknown. Shared by the insight and dashboard shapes (`created_by`, `last_modified_by`).
void WriteUserOrNullJson(const ApiContext& context, std::optional<int64_t> user_id, JsonWriter* w);

// The access-control fields of an object the caller may edit, as PostHog shows them without
// per-object access control: "effective_restriction_level": 21, "effective_privilege_level": 37,
// "user_access_level": "editor".
void WriteEditorAccessJson(JsonWriter* w);

}  // namespace hoglet::api
