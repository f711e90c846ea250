// Dashboards and their tiles as the metadata store keeps them (PostHog's posthog_dashboard and
// posthog_dashboardtile tables).
//
// A tile shows either one insight (meta/insights.h) or a text card, never both. An insight sits
// at most once on a dashboard; taking it off soft-deletes its tile, and putting it back revives
// that tile with its layout. Dashboards are soft-deleted like insights. `filters_json` (a JSON
// object) and `layouts_json` (a JSON object) are kept as text; the store checks only their JSON
// type. Instants are microseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hoglet::meta {

struct DashboardRecord {
  int64_t id = 0;  // assigned by CreateDashboard
  int64_t team_id = 0;
  std::string name;  // at most kMaxDashboardNameBytes; may be empty
  std::string description;
  bool pinned = false;
  bool deleted = false;
  std::string filters_json = "{}";  // PostHog's dashboard filters (date_from, properties, ...)
  std::string tags_json = "[]";     // a JSON array of strings
  std::optional<int64_t> created_by;
  int64_t created_at_us = 0;
};

struct DashboardTileRecord {
  int64_t id = 0;  // assigned by the store
  int64_t dashboard_id = 0;
  std::optional<int64_t> insight_id;  // an insight tile
  std::optional<std::string> text;    // a text tile's markdown body
  std::string layouts_json = "{}";    // {"sm": {"x", "y", "w", "h", ...}, "xs": ...}
  std::optional<std::string> color;
  bool deleted = false;
  int64_t created_at_us = 0;
  int64_t last_modified_at_us = 0;
};

inline constexpr size_t kMaxDashboardNameBytes = 400;
inline constexpr size_t kMaxTextTileBytes = 4000;

}  // namespace hoglet::meta
