#include "api/actions_handler.h"

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/feature_flag_json.h"
#include "api/id_param.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"
#include "query/action.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 10'000;

// PostHog's step fields, in the order it shows them.
constexpr std::string_view kStepFields[] = {
    "event", "properties",    "selector", "selector_regex", "tag_name", "text", "text_matching",
    "href",  "href_matching", "url",      "url_matching"};

StatusOr<meta::ActionRecord> ActionFromPath(const ApiContext& context, const http::Request& request,
                                            int64_t team_id) {
  return RecordFromPath(request, "action",
                        [&](int64_t id) { return context.meta->ActionById(team_id, id); });
}

// The steps with every field PostHog shows (absent ones null, url_matching "contains",
// properties []), other fields dropped. `steps_json` was checked by ParseActionSteps.
std::string NormalizedSteps(std::string_view steps_json) {
  simdjson::dom::parser parser;
  simdjson::dom::array steps;
  JsonWriter w;
  w.BeginArray();
  if (parser.parse(steps_json.data(), steps_json.size()).get(steps) == simdjson::SUCCESS) {
    for (simdjson::dom::element step : steps) {
      w.BeginObject();
      for (std::string_view field : kStepFields) {
        simdjson::dom::element value;
        bool present = step[field].get(value) == simdjson::SUCCESS && !value.is_null();
        w.Key(field);
        if (present) {
          w.Raw(simdjson::minify(value));
        } else if (field == "properties") {
          w.Raw("[]");
        } else if (field == "url_matching") {
          w.String("contains");
        } else {
          w.Null();
        }
      }
      w.EndObject();
    }
  }
  w.EndArray();
  return std::move(w).Take();
}

void WriteActionJson(const ApiContext& context, const meta::ActionRecord& action, JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(action.id);
  w->Key("name");
  w->String(action.name);
  w->Key("description");
  w->String(action.description);
  w->Key("tags");
  w->BeginArray();
  w->EndArray();
  w->Key("post_to_slack");
  w->Bool(false);
  w->Key("slack_message_format");
  w->String("");
  w->Key("steps");
  w->Raw(action.steps_json);
  w->Key("created_at");
  w->String(FormatIsoMicros(action.created_at_us));
  w->Key("created_by");
  auto creator = action.created_by ? context.meta->UserById(*action.created_by)
                                   : StatusOr<meta::User>(NotFoundError("no creator"));
  if (creator.ok()) {
    WriteUserBasicJson(*creator, w);
  } else {
    w->Null();
  }
  w->Key("deleted");
  w->Bool(action.deleted);
  w->Key("is_calculating");
  w->Bool(false);
  w->Key("last_calculated_at");
  w->String(FormatIsoMicros(action.updated_at_us));
  w->Key("team_id");
  w->Int(action.team_id);
  w->Key("is_action");
  w->Bool(true);
  w->Key("bytecode_error");
  w->Null();
  w->Key("pinned_at");
  w->Null();
  w->Key("creation_context");
  w->Null();
  w->EndObject();
}

http::Response ActionResponse(const ApiContext& context, int status,
                              const meta::ActionRecord& action) {
  JsonWriter w;
  WriteActionJson(context, action, &w);
  return http::Response::Json(status, std::move(w).Take());
}

// Applies the body's fields to `*action` (stored, or defaults for a new one). `*attr` names the
// field at fault.
Status ApplyActionBody(const JsonBody& body, bool creating, meta::ActionRecord* action,
                       std::string* attr) {
  *attr = "name";
  if (creating && !body.Has("name")) {
    return InvalidArgumentError("This field is required.", "required");
  }
  HOGLET_ASSIGN_OR_RETURN(auto name, body.String("name"));
  if (name) {
    if (name->empty()) return InvalidArgumentError("This field may not be blank.", "blank");
    if (name->size() > meta::kMaxActionNameBytes) {
      return InvalidArgumentError("Ensure this field has no more than " +
                                      std::to_string(meta::kMaxActionNameBytes) + " characters.",
                                  "max_length");
    }
    action->name = *name;
  }
  *attr = "description";
  HOGLET_ASSIGN_OR_RETURN(auto description, body.String("description"));
  if (description) action->description = *description;
  *attr = "deleted";
  HOGLET_ASSIGN_OR_RETURN(auto deleted, body.Bool("deleted"));
  if (deleted) action->deleted = *deleted;
  *attr = "steps";
  if (body.Has("steps") && !body.IsNull("steps")) {
    HOGLET_ASSIGN_OR_RETURN(auto steps, body.ArrayJson("steps"));
    HOGLET_RETURN_IF_ERROR(query::ParseActionSteps(*steps, "steps").status());
    action->steps_json = NormalizedSteps(*steps);
  }
  attr->clear();
  return Status::Ok();
}

// PostHog refuses a second live action of one name in a project.
Status CheckNameFree(const ApiContext& context, const meta::ActionRecord& action) {
  if (action.deleted) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::ActionRecord> actions,
                          context.meta->ListActions(action.team_id, false));
  for (const meta::ActionRecord& other : actions) {
    if (other.id != action.id && other.name == action.name) {
      return InvalidArgumentError("action-exists", "unique");
    }
  }
  return Status::Ok();
}

}  // namespace

void HandleListActions(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  QueryParams params = request.Params();
  auto page = ParsePageRequest(params, kDefaultLimit, kMaxLimit);
  if (!page.ok()) return respond(http::ErrorResponse(page.status()));
  auto actions = context.meta->ListActions(project->id, false);
  if (!actions.ok()) return respond(http::ErrorResponse(actions.status()));
  std::string search = QueryParam(params, "search").value_or("");
  std::erase_if(*actions, [&](const meta::ActionRecord& action) {
    return !MatchesSearch(action.name, search);
  });
  respond(PageOfListResponse(request, params, *page, *actions,
                             [&](const meta::ActionRecord& action, JsonWriter* w) {
                               WriteActionJson(context, action, w);
                             }));
}

void HandleCreateAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::ActionRecord action;
  action.team_id = project->id;
  action.created_by = caller.user.id;
  std::string attr;
  Status valid = ApplyActionBody(*body, true, &action, &attr);
  if (!valid.ok()) return respond(http::ErrorResponse(valid, attr));
  Status free = CheckNameFree(context, action);
  if (!free.ok()) return respond(http::ErrorResponse(free, "name"));
  auto created = context.meta->CreateAction(action);
  if (!created.ok()) return respond(http::ErrorResponse(created.status()));
  respond(ActionResponse(context, 201, *created));
}

void HandleGetAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto action = ActionFromPath(context, request, project->id);
  if (!action.ok()) return respond(http::ErrorResponse(action.status()));
  respond(ActionResponse(context, 200, *action));
}

void HandleUpdateAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto stored = ActionFromPath(context, request, project->id);
  if (!stored.ok()) return respond(http::ErrorResponse(stored.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::ActionRecord changed = *stored;
  std::string attr;
  Status valid = ApplyActionBody(*body, false, &changed, &attr);
  if (!valid.ok()) return respond(http::ErrorResponse(valid, attr));
  Status free = CheckNameFree(context, changed);
  if (!free.ok()) return respond(http::ErrorResponse(free, "name"));
  auto updated = context.meta->UpdateAction(changed);
  if (!updated.ok()) return respond(http::ErrorResponse(updated.status()));
  respond(ActionResponse(context, 200, *updated));
}

void HandleDeleteAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto stored = ActionFromPath(context, request, project->id);
  if (!stored.ok()) return respond(http::ErrorResponse(stored.status()));
  // PostHog soft-deletes through PATCH; DELETE is that soft delete here.
  if (!stored->deleted) {
    meta::ActionRecord changed = *stored;
    changed.deleted = true;
    auto updated = context.meta->UpdateAction(changed);
    if (!updated.ok()) return respond(http::ErrorResponse(updated.status()));
  }
  respond(http::Response{204, "application/json", "", {}});
}

}  // namespace hoglet::api
