#include "api/insights_handler.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/forbid_destroy.h"
#include "api/id_param.h"
#include "api/insight_answer.h"
#include "api/insight_json.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "api/tags_field.h"
#include "base/json_writer.h"
#include "base/url.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1'000;

// The insight the `{id}` path parameter names: a numeric id, or an 8-character short id as
// PostHog also accepts.
StatusOr<meta::InsightRecord> InsightFromPath(const ApiContext& context,
                                              const http::Request& request, int64_t team_id) {
  std::string_view text = request.PathParam("id");
  if (ParseId(text)) {
    return RecordFromPath(request, "insight",
                          [&](int64_t id) { return context.meta->InsightById(team_id, id); });
  }
  auto found = context.meta->InsightByShortId(team_id, text);
  if (!found.ok() && found.status().code() == StatusCode::kNotFound) {
    return NotFoundError("no insight with id or short_id '" + std::string(text) +
                         "' in this project");
  }
  return found;
}

// A nullable text field: left as it is when absent, reset by null, set by a string.
Status ReadNullableString(const JsonBody& body, std::string_view key,
                          std::optional<std::string>* out) {
  if (!body.Has(key)) return Status::Ok();
  if (body.IsNull(key)) {
    out->reset();
    return Status::Ok();
  }
  HOGLET_ASSIGN_OR_RETURN(auto value, body.String(key));
  *out = std::move(value);
  return Status::Ok();
}

Status CheckMaxLength(const std::optional<std::string>& text) {
  if (text && text->size() > meta::kMaxInsightNameBytes) {
    return InvalidArgumentError("Ensure this field has no more than " +
                                    std::to_string(meta::kMaxInsightNameBytes) + " characters.",
                                "max_length");
  }
  return Status::Ok();
}

// The `dashboards` field: a list of dashboard ids; nullopt when absent.
StatusOr<std::optional<std::vector<int64_t>>> DashboardIdsField(const JsonBody& body) {
  HOGLET_ASSIGN_OR_RETURN(auto array, body.ArrayJson("dashboards"));
  if (!array) return std::optional<std::vector<int64_t>>();
  simdjson::dom::parser parser;
  simdjson::dom::array items = parser.parse(*array).get_array().value_unsafe();
  std::vector<int64_t> ids;
  for (simdjson::dom::element item : items) {
    int64_t id = 0;
    if (item.get(id) != simdjson::SUCCESS) {
      return InvalidArgumentError("every element must be a dashboard id (an integer)",
                                  "invalid_input");
    }
    ids.push_back(id);
  }
  return std::optional<std::vector<int64_t>>(std::move(ids));
}

// Every id names a live dashboard of the project.
Status CheckDashboardsExist(const ApiContext& context, int64_t team_id,
                            const std::vector<int64_t>& ids) {
  for (int64_t id : ids) {
    auto dashboard = context.meta->DashboardById(team_id, id);
    if (!dashboard.ok() && dashboard.status().code() != StatusCode::kNotFound) {
      return dashboard.status();
    }
    if (!dashboard.ok() || dashboard->deleted) {
      return InvalidArgumentError("Dashboard " + std::to_string(id) + " does not exist.",
                                  "does_not_exist");
    }
  }
  return Status::Ok();
}

// What a request body asks of an insight.
struct InsightChange {
  std::optional<std::vector<int64_t>> dashboards;
};

// Applies the body's fields to `*insight` (stored, or defaults for a new one). `*attr` names the
// field at fault.
StatusOr<InsightChange> ApplyInsightBody(const ApiContext& context, const JsonBody& body,
                                         meta::InsightRecord* insight, std::string* attr) {
  *attr = "name";
  HOGLET_RETURN_IF_ERROR(ReadNullableString(body, "name", &insight->name));
  HOGLET_RETURN_IF_ERROR(CheckMaxLength(insight->name));
  *attr = "derived_name";
  HOGLET_RETURN_IF_ERROR(ReadNullableString(body, "derived_name", &insight->derived_name));
  HOGLET_RETURN_IF_ERROR(CheckMaxLength(insight->derived_name));
  *attr = "description";
  std::optional<std::string> description = insight->description;
  HOGLET_RETURN_IF_ERROR(ReadNullableString(body, "description", &description));
  HOGLET_RETURN_IF_ERROR(CheckMaxLength(description));
  insight->description = description.value_or("");
  *attr = "query";
  if (body.Has("query") && body.IsNull("query")) {
    insight->query_json.reset();
  } else {
    HOGLET_ASSIGN_OR_RETURN(auto query, body.ObjectJson("query"));
    if (query) {
      // Stored only when this server can run it, so every saved insight has a result.
      HOGLET_RETURN_IF_ERROR(PrepareQuery(*query).status());
      insight->query_json = std::move(query);
    }
  }
  *attr = "tags";
  HOGLET_ASSIGN_OR_RETURN(auto tags, TagsField(body));
  if (tags) insight->tags_json = std::move(*tags);
  for (auto [key, field] : {std::pair{"favorited", &meta::InsightRecord::favorited},
                            std::pair{"saved", &meta::InsightRecord::saved},
                            std::pair{"deleted", &meta::InsightRecord::deleted}}) {
    *attr = key;
    HOGLET_ASSIGN_OR_RETURN(auto value, body.Bool(key));
    if (value) insight->*field = *value;
  }
  *attr = "dashboards";
  InsightChange change;
  HOGLET_ASSIGN_OR_RETURN(change.dashboards, DashboardIdsField(body));
  if (change.dashboards) {
    HOGLET_RETURN_IF_ERROR(CheckDashboardsExist(context, insight->team_id, *change.dashboards));
  }
  attr->clear();
  return change;
}

// The insight as JSON with its tiles and, in `refresh` mode, its result.
StatusOr<std::string> InsightJson(const ApiContext& context, const meta::Project& project,
                                  const meta::InsightRecord& insight,
                                  std::optional<Refresh> refresh) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::DashboardTileRecord> tiles,
                          context.meta->TilesOfInsight(project.id, insight.id));
  std::string answer;
  if (refresh) {
    HOGLET_ASSIGN_OR_RETURN(answer, InsightAnswer(context, project, insight, *refresh));
  }
  JsonWriter w;
  WriteInsightJson(context, project, insight, tiles, answer, &w);
  return std::move(w).Take();
}

void RespondWithInsight(const ApiContext& context, const meta::Project& project,
                        const meta::InsightRecord& insight, const QueryParams& params,
                        int http_status, const http::Responder& respond) {
  auto refresh = InsightRefreshParam(params);
  if (!refresh.ok()) return respond(http::ErrorResponse(refresh.status(), "refresh"));
  auto json = InsightJson(context, project, insight, *refresh);
  if (!json.ok()) return respond(http::ErrorResponse(json.status()));
  respond(http::Response::Json(http_status, std::move(*json)));
}

// Whether `param` ("true", "1", "false", "0") is set to true; nullopt when absent.
StatusOr<std::optional<bool>> BoolParam(const QueryParams& params, std::string_view name) {
  std::optional<std::string> text = QueryParam(params, name);
  if (!text) return std::optional<bool>();
  if (*text == "true" || *text == "1" || *text == "True") return std::optional<bool>(true);
  if (*text == "false" || *text == "0" || *text == "False") return std::optional<bool>(false);
  return InvalidArgumentError(std::string(name) + ": must be true or false", "invalid_input");
}

// The `dashboards` list filter: a JSON list of ids (or one id).
StatusOr<std::vector<int64_t>> DashboardsParam(const QueryParams& params) {
  std::optional<std::string> text = QueryParam(params, "dashboards");
  std::vector<int64_t> ids;
  if (!text || text->empty()) return ids;
  if (std::optional<int64_t> one = ParseId(*text)) return std::vector<int64_t>{*one};
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(*text).get(items) != simdjson::SUCCESS) {
    return InvalidArgumentError("dashboards: must be a JSON list of dashboard ids, e.g. [1,2]",
                                "invalid_input");
  }
  for (simdjson::dom::element item : items) {
    int64_t id = 0;
    if (item.get(id) != simdjson::SUCCESS) {
      return InvalidArgumentError("dashboards: must be a JSON list of dashboard ids, e.g. [1,2]",
                                  "invalid_input");
    }
    ids.push_back(id);
  }
  return ids;
}

bool MatchesInsightSearch(const meta::InsightRecord& insight, std::string_view search) {
  return MatchesSearch(insight.name.value_or(""), search) ||
         MatchesSearch(insight.derived_name.value_or(""), search) ||
         MatchesSearch(insight.description, search) || MatchesSearch(insight.tags_json, search);
}

// An insight kept by the list's filters, with its live tiles.
struct Listed {
  meta::InsightRecord insight;
  std::vector<meta::DashboardTileRecord> tiles;
};

}  // namespace

void HandleListInsights(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  QueryParams params = request.Params();
  auto page = ParsePageRequest(params, kDefaultLimit, kMaxLimit);
  if (!page.ok()) return respond(http::ErrorResponse(page.status()));
  auto refresh = InsightRefreshParam(params);
  if (!refresh.ok()) return respond(http::ErrorResponse(refresh.status(), "refresh"));
  auto saved = BoolParam(params, "saved");
  if (!saved.ok()) return respond(http::ErrorResponse(saved.status(), "saved"));
  auto favorited = BoolParam(params, "favorited");
  if (!favorited.ok()) return respond(http::ErrorResponse(favorited.status(), "favorited"));
  auto basic = BoolParam(params, "basic");
  if (!basic.ok()) return respond(http::ErrorResponse(basic.status(), "basic"));
  auto on_dashboards = DashboardsParam(params);
  if (!on_dashboards.ok())
    return respond(http::ErrorResponse(on_dashboards.status(), "dashboards"));
  const std::optional<std::string> short_id = QueryParam(params, "short_id");
  const std::string search = QueryParam(params, "search").value_or("");
  const bool only_mine = QueryParam(params, "user").has_value();

  auto insights = context.meta->ListInsights(project->id, false);
  if (!insights.ok()) return respond(http::ErrorResponse(insights.status()));
  std::vector<Listed> listed;
  for (meta::InsightRecord& insight : *insights) {
    if (short_id && insight.short_id != *short_id) continue;
    if (*favorited && insight.favorited != **favorited) continue;
    if (only_mine && insight.created_by != caller.user.id) continue;
    if (!MatchesInsightSearch(insight, search)) continue;
    auto tiles = context.meta->TilesOfInsight(project->id, insight.id);
    if (!tiles.ok()) return respond(http::ErrorResponse(tiles.status()));
    // PostHog counts an insight on a dashboard as saved.
    if (*saved && (insight.saved || !tiles->empty()) != **saved) continue;
    const bool on_all = std::all_of(on_dashboards->begin(), on_dashboards->end(), [&](int64_t id) {
      return std::any_of(tiles->begin(), tiles->end(), [&](const meta::DashboardTileRecord& tile) {
        return tile.dashboard_id == id;
      });
    });
    if (!on_all) continue;
    listed.push_back({std::move(insight), std::move(*tiles)});
  }
  std::stable_sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) {
    if (a.insight.last_modified_at_us != b.insight.last_modified_at_us) {
      return a.insight.last_modified_at_us > b.insight.last_modified_at_us;
    }
    return a.insight.id > b.insight.id;
  });

  // Results only for the page shown: each may run a query.
  Status failed = Status::Ok();
  http::Response response =
      PageOfListResponse(request, params, *page, listed, [&](const Listed& item, JsonWriter* w) {
        std::string answer;
        if (!basic->value_or(false)) {
          auto computed = InsightAnswer(context, *project, item.insight, *refresh);
          if (computed.ok()) {
            answer = std::move(*computed);
          } else if (failed.ok()) {
            failed = computed.status();
          }
        }
        WriteInsightJson(context, *project, item.insight, item.tiles, answer, w);
      });
  if (!failed.ok()) return respond(http::ErrorResponse(failed));
  respond(std::move(response));
}

void HandleCreateInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::InsightRecord insight;
  insight.team_id = project->id;
  insight.created_by = caller.user.id;
  insight.last_modified_by = caller.user.id;
  std::string attr;
  auto change = ApplyInsightBody(context, *body, &insight, &attr);
  if (!change.ok()) return respond(http::ErrorResponse(change.status(), attr));
  auto created = context.meta->CreateInsight(insight);
  if (!created.ok()) return respond(http::ErrorResponse(created.status()));
  if (change->dashboards) {
    Status placed =
        context.meta->SetInsightDashboards(project->id, created->id, *change->dashboards);
    if (!placed.ok()) return respond(http::ErrorResponse(placed, "dashboards"));
  }
  RespondWithInsight(context, *project, *created, request.Params(), 201, respond);
}

void HandleGetInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto insight = InsightFromPath(context, request, project->id);
  if (!insight.ok()) return respond(http::ErrorResponse(insight.status()));
  RespondWithInsight(context, *project, *insight, request.Params(), 200, respond);
}

void HandleUpdateInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto stored = InsightFromPath(context, request, project->id);
  if (!stored.ok()) return respond(http::ErrorResponse(stored.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::InsightRecord changed = *stored;
  changed.last_modified_by = caller.user.id;
  std::string attr;
  auto change = ApplyInsightBody(context, *body, &changed, &attr);
  if (!change.ok()) return respond(http::ErrorResponse(change.status(), attr));
  auto updated = context.meta->UpdateInsight(changed);
  if (!updated.ok()) return respond(http::ErrorResponse(updated.status()));
  if (change->dashboards) {
    Status placed =
        context.meta->SetInsightDashboards(project->id, updated->id, *change->dashboards);
    if (!placed.ok()) return respond(http::ErrorResponse(placed, "dashboards"));
  }
  RespondWithInsight(context, *project, *updated, request.Params(), 200, respond);
}

void HandleDeleteInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto stored = InsightFromPath(context, request, project->id);
  if (!stored.ok()) return respond(http::ErrorResponse(stored.status()));
  respond(ForbidDestroyResponse());
}

}  // namespace hoglet::api
