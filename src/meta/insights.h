// Saved insights as the metadata store keeps them (PostHog's posthog_dashboarditem table): a named
// query (analytics §3) that can sit on dashboards (meta/dashboards.h).
//
// The store keeps `query_json` as JSON text and checks only that it is a JSON object (or absent);
// what a query means is the API's business, which refuses a kind it cannot run before storing.
// Insights are soft-deleted (deleted = true) as in PostHog: ids and short ids stay taken.
// Instants are microseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hoglet::meta {

struct InsightRecord {
  int64_t id = 0;        // assigned by CreateInsight
  std::string short_id;  // 8 characters [0-9A-Za-z], unique per project; generated when empty
  int64_t team_id = 0;
  std::optional<std::string> name;          // at most kMaxInsightNameBytes; null: unnamed
  std::optional<std::string> derived_name;  // the name the UI derives from the query
  std::string description;                  // at most kMaxInsightNameBytes
  std::optional<std::string> query_json;    // a JSON object (PostHog's query node), or null
  std::string tags_json = "[]";             // a JSON array of strings
  bool favorited = false;
  bool saved = false;
  bool deleted = false;
  std::optional<int64_t> created_by;  // user id
  int64_t created_at_us = 0;
  int64_t last_modified_at_us = 0;
  std::optional<int64_t> last_modified_by;  // user id
};

inline constexpr size_t kMaxInsightNameBytes = 400;
inline constexpr size_t kInsightShortIdChars = 8;

}  // namespace hoglet::meta
