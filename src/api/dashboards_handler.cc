#include "api/dashboards_handler.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/dashboard_json.h"
#include "api/dashboard_overrides.h"
#include "api/dashboard_tiles_patch.h"
#include "api/forbid_destroy.h"
#include "api/id_param.h"
#include "api/insight_answer.h"
#include "api/insight_json.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "api/tags_field.h"
#include "base/json_writer.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1'000;

StatusOr<meta::DashboardRecord> DashboardFromPath(const ApiContext& context,
                                                  const http::Request& request, int64_t team_id) {
  return RecordFromPath(request, "dashboard",
                        [&](int64_t id) { return context.meta->DashboardById(team_id, id); });
}

// Applies the body's fields to `*dashboard`. `*attr` names the field at fault.
Status ApplyDashboardBody(const JsonBody& body, meta::DashboardRecord* dashboard,
                          std::string* attr) {
  *attr = "name";
  if (body.Has("name") && body.IsNull("name")) {
    dashboard->name.clear();
  } else {
    HOGLET_ASSIGN_OR_RETURN(auto name, body.String("name"));
    if (name) {
      if (name->size() > meta::kMaxDashboardNameBytes) {
        return InvalidArgumentError("Ensure this field has no more than " +
                                        std::to_string(meta::kMaxDashboardNameBytes) +
                                        " characters.",
                                    "max_length");
      }
      dashboard->name = std::move(*name);
    }
  }
  *attr = "description";
  HOGLET_ASSIGN_OR_RETURN(auto description, body.String("description"));
  if (description) dashboard->description = std::move(*description);
  *attr = "filters";
  if (!(body.Has("filters") && body.IsNull("filters"))) {
    HOGLET_ASSIGN_OR_RETURN(auto filters, body.ObjectJson("filters"));
    if (filters) dashboard->filters_json = std::move(*filters);
  }
  *attr = "tags";
  HOGLET_ASSIGN_OR_RETURN(auto tags, TagsField(body));
  if (tags) dashboard->tags_json = std::move(*tags);
  for (auto [key, field] : {std::pair{"pinned", &meta::DashboardRecord::pinned},
                            std::pair{"deleted", &meta::DashboardRecord::deleted}}) {
    *attr = key;
    HOGLET_ASSIGN_OR_RETURN(auto value, body.Bool(key));
    if (value) dashboard->*field = *value;
  }
  attr->clear();
  return Status::Ok();
}

// Where a tile sits in PostHog's "sm" layout, for ordering: (y, x), tiles without one last.
std::pair<int64_t, int64_t> SmPosition(const meta::DashboardTileRecord& tile) {
  constexpr int64_t kUnplaced = std::numeric_limits<int64_t>::max();
  simdjson::dom::parser parser;
  simdjson::dom::element sm;
  if (parser.parse(tile.layouts_json)["sm"].get(sm) != simdjson::SUCCESS) {
    return {kUnplaced, kUnplaced};
  }
  int64_t x = kUnplaced;
  int64_t y = kUnplaced;
  double number = 0;
  if (sm["y"].get(number) == simdjson::SUCCESS) y = static_cast<int64_t>(number);
  if (sm["x"].get(number) == simdjson::SUCCESS) x = static_cast<int64_t>(number);
  return {y, x};
}

// The dashboard's live tiles in reading order (top to bottom, then left to right, as PostHog
// serves them) with their insights (live ones) and, in `refresh` mode, their results under
// `filters_json` (the dashboard's filters with the request's overrides).
StatusOr<std::vector<TileView>> TileViews(const ApiContext& context, const meta::Project& project,
                                          const meta::DashboardRecord& dashboard,
                                          std::string_view filters_json, Refresh refresh) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::DashboardTileRecord> tiles,
                          context.meta->TilesOfDashboard(project.id, dashboard.id));
  std::stable_sort(tiles.begin(), tiles.end(),
                   [](const meta::DashboardTileRecord& a, const meta::DashboardTileRecord& b) {
                     return SmPosition(a) < SmPosition(b);
                   });
  std::vector<TileView> views;
  for (meta::DashboardTileRecord& tile : tiles) {
    TileView view;
    if (tile.insight_id) {
      HOGLET_ASSIGN_OR_RETURN(meta::InsightRecord insight,
                              context.meta->InsightById(project.id, *tile.insight_id));
      if (insight.deleted) continue;
      HOGLET_ASSIGN_OR_RETURN(view.insight_tiles,
                              context.meta->TilesOfInsight(project.id, insight.id));
      HOGLET_ASSIGN_OR_RETURN(view.answer,
                              InsightAnswer(context, project, insight, refresh, filters_json));
      view.insight = std::move(insight);
    }
    view.tile = std::move(tile);
    views.push_back(std::move(view));
  }
  return views;
}

// The request's refresh mode and dashboard overrides, or the 400 answering them.
struct DashboardRequest {
  Refresh refresh = Refresh::kForceCache;
  DashboardOverrides overrides;
};
StatusOr<DashboardRequest> ReadDashboardRequest(const meta::DashboardRecord& dashboard,
                                                const QueryParams& params, std::string* attr) {
  DashboardRequest read;
  *attr = "refresh";
  HOGLET_ASSIGN_OR_RETURN(read.refresh, InsightRefreshParam(params));
  HOGLET_ASSIGN_OR_RETURN(read.overrides,
                          ReadDashboardOverrides(params, dashboard.filters_json, attr));
  return read;
}

void RespondWithDashboard(const ApiContext& context, const meta::Project& project,
                          const meta::DashboardRecord& dashboard, const QueryParams& params,
                          int http_status, const http::Responder& respond) {
  std::string attr;
  auto read = ReadDashboardRequest(dashboard, params, &attr);
  if (!read.ok()) return respond(http::ErrorResponse(read.status(), attr));
  auto views = TileViews(context, project, dashboard, read->overrides.filters_json, read->refresh);
  if (!views.ok()) return respond(http::ErrorResponse(views.status()));
  JsonWriter w;
  WriteDashboardJson(context, project, dashboard, &*views, &w, &read->overrides);
  respond(http::Response::Json(http_status, std::move(w).Take()));
}

}  // namespace

void HandleListDashboards(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  QueryParams params = request.Params();
  auto page = ParsePageRequest(params, kDefaultLimit, kMaxLimit);
  if (!page.ok()) return respond(http::ErrorResponse(page.status()));
  auto dashboards = context.meta->ListDashboards(project->id, false);
  if (!dashboards.ok()) return respond(http::ErrorResponse(dashboards.status()));
  const std::string search = QueryParam(params, "search").value_or("");
  std::erase_if(*dashboards, [&](const meta::DashboardRecord& dashboard) {
    return !MatchesSearch(dashboard.name, search) && !MatchesSearch(dashboard.description, search);
  });
  std::stable_sort(dashboards->begin(), dashboards->end(),
                   [](const meta::DashboardRecord& a, const meta::DashboardRecord& b) {
                     if (a.pinned != b.pinned) return a.pinned;
                     return a.name < b.name;
                   });
  respond(PageOfListResponse(request, params, *page, *dashboards,
                             [&](const meta::DashboardRecord& dashboard, JsonWriter* w) {
                               WriteDashboardJson(context, *project, dashboard, nullptr, w);
                             }));
}

void HandleCreateDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::DashboardRecord dashboard;
  dashboard.team_id = project->id;
  dashboard.created_by = caller.user.id;
  std::string attr;
  Status valid = ApplyDashboardBody(*body, &dashboard, &attr);
  if (!valid.ok()) return respond(http::ErrorResponse(valid, attr));
  auto created = context.meta->CreateDashboard(dashboard);
  if (!created.ok()) return respond(http::ErrorResponse(created.status()));
  RespondWithDashboard(context, *project, *created, request.Params(), 201, respond);
}

void HandleGetDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto dashboard = DashboardFromPath(context, request, project->id);
  if (!dashboard.ok()) return respond(http::ErrorResponse(dashboard.status()));
  RespondWithDashboard(context, *project, *dashboard, request.Params(), 200, respond);
}

void HandleUpdateDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto stored = DashboardFromPath(context, request, project->id);
  if (!stored.ok()) return respond(http::ErrorResponse(stored.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::DashboardRecord changed = *stored;
  std::string attr;
  Status valid = ApplyDashboardBody(*body, &changed, &attr);
  if (!valid.ok()) return respond(http::ErrorResponse(valid, attr));
  auto updated = context.meta->UpdateDashboard(changed);
  if (!updated.ok()) return respond(http::ErrorResponse(updated.status()));
  Status tiles = ApplyTilesPatch(context, *updated, *body);
  if (!tiles.ok()) return respond(http::ErrorResponse(tiles, "tiles"));
  RespondWithDashboard(context, *project, *updated, request.Params(), 200, respond);
}

void HandleDeleteDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto stored = DashboardFromPath(context, request, project->id);
  if (!stored.ok()) return respond(http::ErrorResponse(stored.status()));
  respond(ForbidDestroyResponse());
}

void HandleCreateTextTile(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto dashboard = DashboardFromPath(context, request, project->id);
  if (!dashboard.ok()) return respond(http::ErrorResponse(dashboard.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::DashboardTileRecord tile;
  tile.dashboard_id = dashboard->id;
  auto text = body->String("body");
  if (!text.ok()) return respond(http::ErrorResponse(text.status(), "body"));
  if (!*text || (*text)->empty()) {
    return respond(
        http::ErrorResponse(InvalidArgumentError("This field is required.", "required"), "body"));
  }
  tile.text = std::move(**text);
  auto layouts = body->ObjectJson("layouts");
  if (!layouts.ok()) return respond(http::ErrorResponse(layouts.status(), "layouts"));
  if (*layouts) tile.layouts_json = std::move(**layouts);
  if (!body->IsNull("color")) {
    auto color = body->String("color");
    if (!color.ok()) return respond(http::ErrorResponse(color.status(), "color"));
    tile.color = std::move(*color);
  }
  auto created = context.meta->CreateDashboardTile(project->id, tile);
  if (!created.ok()) return respond(http::ErrorResponse(created.status(), "body"));
  RespondWithDashboard(context, *project, *dashboard, request.Params(), 200, respond);
}

void HandleRunDashboardInsights(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto dashboard = DashboardFromPath(context, request, project->id);
  if (!dashboard.ok()) return respond(http::ErrorResponse(dashboard.status()));
  QueryParams params = request.Params();
  std::optional<std::string> format = QueryParam(params, "output_format");
  if (format && *format != "json") {
    return respond(http::ErrorResponse(
        InvalidArgumentError("output_format: this server answers json only", "invalid_choice"),
        "output_format"));
  }
  std::string attr;
  auto read = ReadDashboardRequest(*dashboard, params, &attr);
  if (!read.ok()) return respond(http::ErrorResponse(read.status(), attr));
  auto views =
      TileViews(context, *project, *dashboard, read->overrides.filters_json, read->refresh);
  if (!views.ok()) return respond(http::ErrorResponse(views.status()));
  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  w.BeginArray();
  for (const TileView& view : *views) {
    if (!view.insight) continue;
    w.BeginObject();
    w.Key("id");
    w.Int(view.tile.id);
    w.Key("insight");
    WriteInsightResultJson(*view.insight, view.answer, &w);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  respond(http::Response::Json(200, std::move(w).Take()));
}

}  // namespace hoglet::api
