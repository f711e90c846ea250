#include "api/dashboard_overrides.h"

#include <simdjson.h>

#include <set>

#include "base/json_writer.h"

namespace hoglet::api {
namespace {

using simdjson::dom::object;

// `keep` decides which of the merged entries are written.
template <typename Keep>
StatusOr<std::string> Merge(std::string_view stored_json,
                            const std::optional<std::string>& override_text, std::string_view param,
                            Keep keep) {
  simdjson::dom::parser stored_parser;
  object stored;
  const bool has_stored =
      stored_parser.parse(stored_json.data(), stored_json.size()).get(stored) == simdjson::SUCCESS;
  simdjson::dom::parser override_parser;
  object overriding;
  const bool has_override = override_text && !override_text->empty();
  if (has_override && override_parser.parse(*override_text).get(overriding) != simdjson::SUCCESS) {
    return InvalidArgumentError("Invalid JSON passed in " + std::string(param) + " parameter",
                                "invalid_input");
  }
  std::set<std::string_view> replaced;
  if (has_override) {
    for (auto [key, value] : overriding) replaced.insert(key);
  }
  JsonWriter w;
  w.BeginObject();
  if (has_stored) {
    for (auto [key, value] : stored) {
      if (replaced.count(key) > 0 || !keep(value)) continue;
      w.Key(key);
      w.Raw(simdjson::minify(value));
    }
  }
  if (has_override) {
    for (auto [key, value] : overriding) {
      if (!keep(value)) continue;
      w.Key(key);
      w.Raw(simdjson::minify(value));
    }
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace

StatusOr<std::string> MergeFiltersOverride(std::string_view stored_json,
                                           const std::optional<std::string>& override_text,
                                           std::string_view param) {
  return Merge(stored_json, override_text, param, [](simdjson::dom::element) { return true; });
}

StatusOr<std::string> MergeVariablesOverride(std::string_view stored_json,
                                             const std::optional<std::string>& override_text) {
  return Merge(stored_json, override_text, "variables_override", [](simdjson::dom::element value) {
    std::string_view code_name;
    return value.is_object() && value["code_name"].get(code_name) == simdjson::SUCCESS;
  });
}

StatusOr<DashboardOverrides> ReadDashboardOverrides(const QueryParams& params,
                                                    std::string_view stored_filters_json,
                                                    std::string* attr) {
  DashboardOverrides overrides;
  *attr = "filters_override";
  HOGLET_ASSIGN_OR_RETURN(
      overrides.filters_json,
      MergeFiltersOverride(stored_filters_json, QueryParam(params, "filters_override"),
                           "filters_override"));
  *attr = "variables_override";
  HOGLET_ASSIGN_OR_RETURN(overrides.variables_json,
                          MergeVariablesOverride("{}", QueryParam(params, "variables_override")));
  attr->clear();
  return overrides;
}

}  // namespace hoglet::api
