// A dashboard's filters and variables as one request sees them: PostHog's `filters_override`
// and `variables_override` query parameters (JSON objects) laid over what the dashboard stores,
// top-level keys replacing (nested values are not merged), for that request only.
//
//   stored {"date_from": "-30d", "properties": [...]}, filters_override {"date_from": "-7d"}
//   →      {"date_from": "-7d", "properties": [...]}
//
// Variables keep only the entries PostHog keeps: objects with a string `code_name`. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/url.h"

namespace hoglet::api {

// `stored_json` (a JSON object) with the override's top-level keys replacing its own; the stored
// object unchanged when `override_text` is absent or empty. kInvalidArgument ("Invalid JSON
// passed in <param> parameter") when the override is not a JSON object.
StatusOr<std::string> MergeFiltersOverride(std::string_view stored_json,
                                           const std::optional<std::string>& override_text,
                                           std::string_view param);

// The merged variables with the entries that have no string `code_name` left out.
StatusOr<std::string> MergeVariablesOverride(std::string_view stored_json,
                                             const std::optional<std::string>& override_text);

// Both, from a request's parameters.
struct DashboardOverrides {
  std::string filters_json;
  std::string variables_json;
};
// kInvalidArgument naming the parameter in `*attr`.
StatusOr<DashboardOverrides> ReadDashboardOverrides(const QueryParams& params,
                                                    std::string_view stored_filters_json,
                                                    std::string* attr);

}  // namespace hoglet::api
