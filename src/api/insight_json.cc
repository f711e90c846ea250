#include "api/insight_json.h"

#include <simdjson.h>

#include <optional>

#include "api/feature_flag_json.h"
#include "base/time_format.h"

namespace hoglet::api {
namespace {

// PostHog's access control values for an object the caller may edit.
constexpr int kRestrictionLevelEveryoneEdits = 21;
constexpr int kPrivilegeLevelCanEdit = 37;

void WriteOptionalString(const std::optional<std::string>& value, JsonWriter* w) {
  if (value) {
    w->String(*value);
  } else {
    w->Null();
  }
}

// The answer's fields an insight shows, under the insight's names; null where the answer has
// none. `answer` is the JSON ExecuteQuery produced, or empty.
void WriteResultFields(const meta::Project& project, std::string_view answer, JsonWriter* w) {
  simdjson::dom::parser parser;
  simdjson::dom::element parsed;
  const bool has_answer =
      !answer.empty() &&
      parser.parse(answer.data(), answer.size()).get(parsed) == simdjson::SUCCESS;
  auto field = [&](std::string_view name) -> std::optional<simdjson::dom::element> {
    simdjson::dom::element value;
    if (!has_answer || parsed[name].get(value) != simdjson::SUCCESS) return std::nullopt;
    return value;
  };
  auto copy = [&](std::string_view shown, std::string_view name) {
    w->Key(shown);
    if (auto value = field(name)) {
      w->Raw(simdjson::minify(*value));
    } else {
      w->Null();
    }
  };
  copy("result", "results");
  copy("hasMore", "hasMore");
  copy("columns", "columns");
  copy("types", "types");
  copy("hogql", "hogql");
  copy("resolved_date_range", "resolved_date_range");
  copy("last_refresh", "last_refresh");
  copy("next_allowed_client_refresh", "next_allowed_client_refresh");
  copy("cache_target_age", "cache_target_age");
  copy("query_status", "query_status");
  w->Key("is_cached");
  bool is_cached = false;
  if (auto value = field("is_cached"); value && value->get(is_cached) != simdjson::SUCCESS) {
    is_cached = false;
  }
  w->Bool(is_cached && field("results").has_value());
  w->Key("timezone");
  std::string_view timezone = project.timezone;
  if (auto value = field("timezone"); value && value->is_string()) {
    timezone = value->get_string().value_unsafe();
  }
  w->String(timezone);
}

// The fields that name an insight: id, short_id, name, derived_name.
void WriteInsightNames(const meta::InsightRecord& insight, JsonWriter* w) {
  w->Key("id");
  w->Int(insight.id);
  w->Key("short_id");
  w->String(insight.short_id);
  w->Key("name");
  WriteOptionalString(insight.name, w);
  w->Key("derived_name");
  WriteOptionalString(insight.derived_name, w);
}

}  // namespace

void WriteInsightResultJson(const meta::InsightRecord& insight, std::string_view answer,
                            JsonWriter* w) {
  w->BeginObject();
  WriteInsightNames(insight, w);
  w->Key("result");
  simdjson::dom::parser parser;
  simdjson::dom::element results;
  if (!answer.empty() &&
      parser.parse(answer.data(), answer.size())["results"].get(results) == simdjson::SUCCESS) {
    w->Raw(simdjson::minify(results));
  } else {
    w->Null();
  }
  w->EndObject();
}

void WriteInsightJson(const ApiContext& context, const meta::Project& project,
                      const meta::InsightRecord& insight,
                      const std::vector<meta::DashboardTileRecord>& tiles, std::string_view answer,
                      JsonWriter* w) {
  w->BeginObject();
  WriteInsightNames(insight, w);
  w->Key("query");
  if (insight.query_json) {
    w->Raw(*insight.query_json);
  } else {
    w->Null();
  }
  w->Key("filters");
  w->Raw("{}");
  w->Key("order");
  w->Null();
  w->Key("deleted");
  w->Bool(insight.deleted);
  w->Key("saved");
  w->Bool(insight.saved);
  w->Key("dashboards");
  w->BeginArray();
  for (const meta::DashboardTileRecord& tile : tiles) w->Int(tile.dashboard_id);
  w->EndArray();
  w->Key("dashboard_tiles");
  w->BeginArray();
  for (const meta::DashboardTileRecord& tile : tiles) {
    w->BeginObject();
    w->Key("id");
    w->Int(tile.id);
    w->Key("dashboard_id");
    w->Int(tile.dashboard_id);
    w->Key("deleted");
    w->Bool(tile.deleted);
    w->EndObject();
  }
  w->EndArray();
  WriteResultFields(project, answer, w);
  w->Key("created_at");
  w->String(FormatIsoMicros(insight.created_at_us));
  w->Key("created_by");
  WriteUserOrNullJson(context, insight.created_by, w);
  w->Key("description");
  w->String(insight.description);
  w->Key("updated_at");
  w->String(FormatIsoMicros(insight.last_modified_at_us));
  w->Key("tags");
  w->Raw(insight.tags_json);
  w->Key("favorited");
  w->Bool(insight.favorited);
  w->Key("last_modified_at");
  w->String(FormatIsoMicros(insight.last_modified_at_us));
  w->Key("last_modified_by");
  WriteUserOrNullJson(context, insight.last_modified_by, w);
  w->Key("is_sample");
  w->Bool(false);
  w->Key("alerts");
  w->Raw("[]");
  w->Key("last_viewed_at");
  w->Null();
  WriteEditorAccessJson(w);
  w->EndObject();
}

void WriteUserOrNullJson(const ApiContext& context, std::optional<int64_t> user_id, JsonWriter* w) {
  auto user =
      user_id ? context.meta->UserById(*user_id) : StatusOr<meta::User>(NotFoundError("no user"));
  if (user.ok()) {
    WriteUserBasicJson(*user, w);
  } else {
    w->Null();
  }
}

void WriteEditorAccessJson(JsonWriter* w) {
  w->Key("effective_restriction_level");
  w->Int(kRestrictionLevelEveryoneEdits);
  w->Key("effective_privilege_level");
  w->Int(kPrivilegeLevelCanEdit);
  w->Key("user_access_level");
  w->String("editor");
}

}  // namespace hoglet::api
