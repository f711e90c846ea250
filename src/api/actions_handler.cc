#include "api/actions_handler.h"

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/feature_flag_json.h"
#include "api/handler_result.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "api/resource_crud.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "query/action.h"

namespace hoglet::api {
namespace {

// PostHog's step fields, in the order it shows them.
constexpr std::string_view kStepFields[] = {
    "event", "properties",    "selector", "selector_regex", "tag_name", "text", "text_matching",
    "href",  "href_matching", "url",      "url_matching"};

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
  HOGLET_ASSIGN_OR_RETURN(auto name,
                          body.NonBlankString("name", creating ? JsonBody::Presence::kRequired
                                                               : JsonBody::Presence::kOptional));
  if (name) {
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

// The action's resource edge; every stored field is the caller's project's.
StoredResource<meta::ActionRecord> Actions(const ApiContext& context) {
  return MetaStoreResource<meta::ActionRecord>(
      "action", *context.meta,
      {&meta::MetaStore::ActionById, &meta::MetaStore::ListActions, &meta::MetaStore::CreateAction,
       &meta::MetaStore::UpdateAction},
      ListOrder::kById, [&context](int status, const meta::ActionRecord& action) {
        return ActionResponse(context, status, action);
      });
}

// A POST or PATCH body applied, then the name checked free.
ApplyChange<meta::ActionRecord> ChangeAction(const ApiContext& context) {
  return [&context](const JsonBody& body, const meta::ActionRecord* stored,
                    meta::ActionRecord* action, std::string* attr) -> Status {
    HOGLET_RETURN_IF_ERROR(ApplyActionBody(body, stored == nullptr, action, attr));
    *attr = "name";
    HOGLET_RETURN_IF_ERROR(CheckNameFree(context, *action));
    attr->clear();
    return Status::Ok();
  };
}

}  // namespace

void HandleListActions(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return ListRecords(
        Actions(context), project, request,
        [](const meta::ActionRecord& action, const QueryParams& params) {
          return MatchesSearch(action.name, QueryParam(params, "search").value_or(""));
        },
        [&](const meta::ActionRecord& action, JsonWriter* w) {
          WriteActionJson(context, action, w);
        });
  });
}

void HandleCreateAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    meta::ActionRecord action;
    action.team_id = project.id;
    action.created_by = caller.user.id;
    return CreateRecord(Actions(context), request, std::move(action), ChangeAction(context));
  });
}

void HandleGetAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return GetRecord(Actions(context), project, request);
  });
}

void HandleUpdateAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return UpdateRecord(Actions(context), project, request, ChangeAction(context));
  });
}

void HandleDeleteAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return SoftDeleteRecord(
        Actions(context), project, request,
        [](const meta::ActionRecord&, const meta::ActionRecord&) { return Status::Ok(); });
  });
}

}  // namespace hoglet::api
