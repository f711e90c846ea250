// Dashboards in the JSON shapes of PostHog's DashboardSerializer (one dashboard with its tiles)
// and DashboardBasicSerializer (the list), written by api/dashboards_handler.h.
//
//   {"id", "name", "description", "pinned", "created_at", "created_by", "last_accessed_at": null,
//    "last_viewed_at": null, "is_shared": false, "deleted", "creation_mode": "default", "tags",
//    "restriction_level": 21, "effective_restriction_level": 21, "effective_privilege_level": 37,
//    "user_access_level": "editor", "access_control_version": "v2", "last_refresh", "team_id",
//    and, with tiles: "filters", "persisted_filters", "variables", "persisted_variables": null,
//    "breakdown_colors": [], "data_color_theme_id": null,
//    "tiles": [{"id", "layouts", "color", "insight" (api/insight_json.h) or null,
//               "text": {"id", "body", "created_by", "last_modified_at", "last_modified_by",
//                        "team"} or null,
//               "deleted", "is_cached", "order", "show_description": null,
//               "transparent_background": null}]}
//
// `last_refresh` is the latest of the tiles' insights' last_refresh (null without any). Pure
// functions; thread-compatible (one writer per call).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/api_context.h"
#include "api/dashboard_overrides.h"
#include "base/json_writer.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// One live tile as a dashboard shows it: for an insight tile, the insight, its own live tiles
// (for its `dashboards`) and its query's answer (empty: none).
struct TileView {
  meta::DashboardTileRecord tile;
  std::optional<meta::InsightRecord> insight;
  std::vector<meta::DashboardTileRecord> insight_tiles;
  std::string answer;
};

// The dashboard with `tiles` (DashboardSerializer), or, when `tiles` is null, in the list's shape.
// With tiles, `filters` and `variables` are the request's (`overrides`: the stored filters and no
// variables when null); `persisted_filters` is what the dashboard stores (null when empty).
void WriteDashboardJson(const ApiContext& context, const meta::Project& project,
                        const meta::DashboardRecord& dashboard, const std::vector<TileView>* tiles,
                        JsonWriter* w, const DashboardOverrides* overrides = nullptr);

}  // namespace hoglet::api
