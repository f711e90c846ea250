#include "api/dashboard_json.h"

#include <simdjson.h>

#include "api/insight_json.h"
#include "base/time_format.h"

namespace hoglet::api {
namespace {

// PostHog's "everyone in the project can edit".
constexpr int kRestrictionLevelEveryoneEdits = 21;

// The latest `last_refresh` of the tiles' answers (ISO-8601 texts compare in time order).
std::optional<std::string> LastRefresh(const std::vector<TileView>& tiles) {
  std::optional<std::string> latest;
  simdjson::dom::parser parser;
  for (const TileView& view : tiles) {
    if (view.answer.empty()) continue;
    std::string_view refreshed;
    if (parser.parse(view.answer)["last_refresh"].get(refreshed) != simdjson::SUCCESS) continue;
    if (!latest || refreshed > *latest) latest = std::string(refreshed);
  }
  return latest;
}

void WriteTextTile(const meta::Project& project, const meta::DashboardTileRecord& tile,
                   JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(tile.id);
  w->Key("body");
  w->String(tile.text.value_or(""));
  w->Key("created_by");
  w->Null();
  w->Key("last_modified_at");
  w->String(FormatIsoMicros(tile.last_modified_at_us));
  w->Key("last_modified_by");
  w->Null();
  w->Key("team");
  w->Int(project.id);
  w->EndObject();
}

void WriteTile(const ApiContext& context, const meta::Project& project, const TileView& view,
               size_t order, JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(view.tile.id);
  w->Key("layouts");
  w->Raw(view.tile.layouts_json);
  w->Key("color");
  if (view.tile.color) {
    w->String(*view.tile.color);
  } else {
    w->Null();
  }
  w->Key("insight");
  if (view.insight) {
    WriteInsightJson(context, project, *view.insight, view.insight_tiles, view.answer, w);
  } else {
    w->Null();
  }
  w->Key("text");
  if (view.tile.text) {
    WriteTextTile(project, view.tile, w);
  } else {
    w->Null();
  }
  w->Key("deleted");
  w->Bool(view.tile.deleted);
  w->Key("is_cached");
  w->Bool(view.answer.find("\"is_cached\":true") != std::string::npos);
  w->Key("order");
  w->Int(static_cast<int64_t>(order));
  w->Key("show_description");
  w->Null();
  w->Key("transparent_background");
  w->Null();
  w->EndObject();
}

}  // namespace

void WriteDashboardJson(const ApiContext& context, const meta::Project& project,
                        const meta::DashboardRecord& dashboard, const std::vector<TileView>* tiles,
                        JsonWriter* w, const DashboardOverrides* overrides) {
  w->BeginObject();
  w->Key("id");
  w->Int(dashboard.id);
  w->Key("name");
  w->String(dashboard.name);
  w->Key("description");
  w->String(dashboard.description);
  w->Key("pinned");
  w->Bool(dashboard.pinned);
  w->Key("created_at");
  w->String(FormatIsoMicros(dashboard.created_at_us));
  w->Key("created_by");
  WriteUserOrNullJson(context, dashboard.created_by, w);
  w->Key("last_accessed_at");
  w->Null();
  w->Key("last_viewed_at");
  w->Null();
  w->Key("is_shared");
  w->Bool(false);
  w->Key("deleted");
  w->Bool(dashboard.deleted);
  w->Key("creation_mode");
  w->String("default");
  w->Key("tags");
  w->Raw(dashboard.tags_json);
  w->Key("restriction_level");
  w->Int(kRestrictionLevelEveryoneEdits);
  WriteEditorAccessJson(w);
  w->Key("access_control_version");
  w->String("v2");
  w->Key("last_refresh");
  std::optional<std::string> last_refresh = tiles ? LastRefresh(*tiles) : std::nullopt;
  if (last_refresh) {
    w->String(*last_refresh);
  } else {
    w->Null();
  }
  w->Key("team_id");
  w->Int(dashboard.team_id);
  if (tiles != nullptr) {
    w->Key("filters");
    w->Raw(overrides ? overrides->filters_json : dashboard.filters_json);
    w->Key("persisted_filters");
    if (dashboard.filters_json.empty() || dashboard.filters_json == "{}") {
      w->Null();
    } else {
      w->Raw(dashboard.filters_json);
    }
    w->Key("variables");
    w->Raw(overrides ? overrides->variables_json : "{}");
    w->Key("persisted_variables");
    w->Null();
    w->Key("breakdown_colors");
    w->Raw("[]");
    w->Key("data_color_theme_id");
    w->Null();
    w->Key("tiles");
    w->BeginArray();
    for (size_t i = 0; i < tiles->size(); ++i) WriteTile(context, project, (*tiles)[i], i, w);
    w->EndArray();
  }
  w->EndObject();
}

}  // namespace hoglet::api
