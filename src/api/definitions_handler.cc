#include "api/definitions_handler.h"

#include <simdjson.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/feature_flag_json.h"
#include "api/handler_result.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "api/tags_field.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;
constexpr size_t kMaxDescriptionBytes = 10'000;

// The authorised project and the common list parameters; a non-OK status is the response.
StatusOr<meta::DefinitionListQuery> ParseListRequest(const ApiContext& context,
                                                     const meta::AuthenticatedKey& caller,
                                                     const http::Request& request,
                                                     const QueryParams& params, PageRequest* page) {
  HOGLET_ASSIGN_OR_RETURN(meta::Project project, AuthorizeCaller(context, caller, request));
  HOGLET_ASSIGN_OR_RETURN(*page, ParsePageRequest(params, kDefaultLimit, kMaxLimit));
  meta::DefinitionListQuery query;
  query.team_id = project.id;
  query.limit = page->limit;
  query.offset = page->offset;
  query.search = QueryParam(params, "search").value_or("");
  if (query.search.size() > meta::DefinitionListQuery::kMaxSearchBytes) {
    return InvalidArgumentError("search: at most " +
                                    std::to_string(meta::DefinitionListQuery::kMaxSearchBytes) +
                                    " bytes are accepted",
                                "invalid_input");
  }
  return query;
}

// description, tags, verified, updated_at and updated_by (a user, or null).
void WriteNotes(const ApiContext& context, const meta::DefinitionNotes& notes, JsonWriter* w) {
  w->Key("description");
  w->String(notes.description);
  w->Key("tags");
  w->Raw(notes.tags_json);
  w->Key("verified");
  w->Bool(notes.verified);
  w->Key("updated_at");
  if (notes.updated_at_us > 0) {
    w->String(FormatIsoMicros(notes.updated_at_us));
  } else {
    w->Null();
  }
  w->Key("updated_by");
  auto user = notes.updated_by ? context.meta->UserById(*notes.updated_by)
                               : StatusOr<meta::User>(NotFoundError("nobody"));
  if (user.ok()) {
    WriteUserBasicJson(*user, w);
  } else {
    w->Null();
  }
}

void WriteEventDefinition(const ApiContext& context, const meta::EventDefinition& definition,
                          JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->String(definition.uuid);
  w->Key("name");
  w->String(definition.name);
  w->Key("created_at");
  w->String(FormatIsoMicros(definition.created_at_us));
  w->Key("last_seen_at");
  w->String(FormatIsoMicros(definition.last_seen_at_us));
  w->Key("last_updated_at");
  w->String(FormatIsoMicros(std::max(definition.created_at_us, definition.notes.updated_at_us)));
  WriteNotes(context, definition.notes, w);
  w->Key("is_action");
  w->Bool(false);
  w->Key("post_to_slack");
  w->Bool(false);
  w->EndObject();
}

void WritePropertyDefinition(const ApiContext& context, const meta::PropertyDefinition& definition,
                             JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->String(definition.uuid);
  w->Key("name");
  w->String(definition.name);
  w->Key("property_type");
  if (definition.property_type) {
    w->String(meta::PropertyTypeName(*definition.property_type));
  } else {
    w->Null();
  }
  w->Key("is_numerical");
  w->Bool(definition.is_numerical);
  w->Key("type");
  w->Int(static_cast<int64_t>(definition.owner));
  w->Key("group_type_index");
  if (definition.group_type_index) {
    w->Int(*definition.group_type_index);
  } else {
    w->Null();
  }
  WriteNotes(context, definition.notes, w);
  w->Key("is_seen_on_filtered_events");
  if (definition.seen_on_filtered_events) {
    w->Bool(*definition.seen_on_filtered_events);
  } else {
    w->Null();
  }
  w->Key("last_seen_at");
  if (definition.last_seen_at_us) {
    w->String(FormatIsoMicros(*definition.last_seen_at_us));
  } else {
    w->Null();
  }
  w->EndObject();
}

StatusOr<meta::PropertyOwner> ParseOwner(const QueryParams& params) {
  std::string type = QueryParam(params, "type").value_or("");
  if (type.empty() || type == "event") return meta::PropertyOwner::kEvent;
  if (type == "person") return meta::PropertyOwner::kPerson;
  if (type == "group") return meta::PropertyOwner::kGroup;
  return InvalidArgumentError("type: '" + type + "' is not one of event, person, group",
                              "invalid_input");
}

// PostHog's group_type_index: for type=group only, the group type whose properties are listed
// (without it, those of every group type).
StatusOr<std::optional<int>> GroupTypeIndexParam(const QueryParams& params,
                                                 meta::PropertyOwner owner) {
  std::optional<std::string> text = QueryParam(params, "group_type_index");
  if (!text || text->empty()) return std::optional<int>();
  if (owner != meta::PropertyOwner::kGroup) {
    return InvalidArgumentError("group_type_index: can only be set for the group type",
                                "invalid_input");
  }
  if (text->size() != 1 || (*text)[0] < '0' || (*text)[0] > '4') {
    return InvalidArgumentError("group_type_index: '" + *text + "' is not a group type index (0-4)",
                                "invalid_input");
  }
  return std::optional<int>((*text)[0] - '0');
}

// PostHog's event_names: a JSON list of event names (empty when the parameter is absent or
// empty).
StatusOr<std::vector<std::string>> EventNamesParam(const QueryParams& params) {
  std::vector<std::string> names;
  std::optional<std::string> text = QueryParam(params, "event_names");
  if (!text || text->empty()) return names;
  const Status invalid =
      InvalidArgumentError("event_names: must be a JSON list of at most " +
                               std::to_string(meta::DefinitionListQuery::kMaxEventNames) +
                               " event names, e.g. [\"$pageview\"]",
                           "invalid_input");
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(*text).get(items) != simdjson::SUCCESS ||
      items.size() > meta::DefinitionListQuery::kMaxEventNames) {
    return invalid;
  }
  for (simdjson::dom::element item : items) {
    std::string_view name;
    if (item.get(name) != simdjson::SUCCESS) return invalid;
    names.emplace_back(name);
  }
  return names;
}

// A boolean parameter ("true", "1", "false", "0"); `fallback` when absent or empty.
StatusOr<bool> BoolParam(const QueryParams& params, std::string_view name, bool fallback) {
  std::optional<std::string> text = QueryParam(params, name);
  if (!text || text->empty()) return fallback;
  if (*text == "true" || *text == "1" || *text == "True") return true;
  if (*text == "false" || *text == "0" || *text == "False") return false;
  return InvalidArgumentError(std::string(name) + ": must be true or false", "invalid_input");
}

// {count, next, previous, results: [...]} for one page of definitions.
template <typename T>
http::Response PageResponse(const http::Request& request, const QueryParams& params,
                            const PageRequest& page, const meta::DefinitionPage<T>& definitions,
                            const std::function<void(const T&, JsonWriter*)>& write) {
  const auto total = static_cast<size_t>(definitions.total);
  const PageLinks links = LinksFor(request, params, page, page.offset + page.limit < total);
  return ListResponse(total, links, [&](JsonWriter* w) {
    for (const T& definition : definitions.results) write(definition, w);
  });
}

// The notes a PATCH body changes: description, tags, verified; other fields are read-only.
StatusOr<meta::DefinitionNotesChange> NotesChange(const JsonBody& body, std::string* attr) {
  meta::DefinitionNotesChange change;
  *attr = "description";
  HOGLET_ASSIGN_OR_RETURN(change.description, body.String("description"));
  if (change.description && change.description->size() > kMaxDescriptionBytes) {
    return InvalidArgumentError(
        "description: at most " + std::to_string(kMaxDescriptionBytes) + " bytes are accepted",
        "invalid_input");
  }
  *attr = "tags";
  HOGLET_ASSIGN_OR_RETURN(change.tags_json, TagsField(body));
  *attr = "verified";
  HOGLET_ASSIGN_OR_RETURN(change.verified, body.Bool("verified"));
  attr->clear();
  return change;
}

// GET or PATCH of one definition, `get` and `update` reading and changing it by UUID.
template <typename T, typename Get, typename Update>
void RespondDefinition(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       const http::Request& request, const http::Responder& respond, Get get,
                       Update update, void (*write)(const ApiContext&, const T&, JsonWriter*)) {
  RespondInProject(context, caller, request, respond,
                   [&](const meta::Project& project) -> StatusOr<http::Response> {
                     std::string uuid(request.PathParam("id"));
                     StatusOr<T> definition = get(project.id, uuid);
                     if (request.method != "GET" && definition.ok()) {
                       HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
                       std::string attr;
                       auto change = NotesChange(body, &attr);
                       if (!change.ok()) return http::ErrorResponse(change.status(), attr);
                       definition = update(project.id, uuid, *change);
                     }
                     HOGLET_RETURN_IF_ERROR(definition.status());
                     JsonWriter w;
                     write(context, *definition, &w);
                     return http::Response::Json(200, std::move(w).Take());
                   });
}

}  // namespace

void HandleListEventDefinitions(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond) {
  QueryParams params = request.Params();
  PageRequest page;
  auto query = ParseListRequest(context, caller, request, params, &page);
  if (!query.ok()) return respond(http::ErrorResponse(query.status()));
  auto definitions = context.meta->ListEventDefinitions(*query);
  if (!definitions.ok()) return respond(http::ErrorResponse(definitions.status()));

  respond(PageResponse<meta::EventDefinition>(
      request, params, page, *definitions,
      [&](const meta::EventDefinition& d, JsonWriter* w) { WriteEventDefinition(context, d, w); }));
}

void HandleListPropertyDefinitions(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                   http::Request&& request, http::Responder respond) {
  QueryParams params = request.Params();
  PageRequest page;
  auto query = ParseListRequest(context, caller, request, params, &page);
  if (!query.ok()) return respond(http::ErrorResponse(query.status()));
  auto owner = ParseOwner(params);
  if (!owner.ok()) return respond(http::ErrorResponse(owner.status(), "type"));
  query->owner = *owner;
  auto group_type_index = GroupTypeIndexParam(params, *owner);
  if (!group_type_index.ok()) {
    return respond(http::ErrorResponse(group_type_index.status(), "group_type_index"));
  }
  query->group_type_index = *group_type_index;
  auto event_names = EventNamesParam(params);
  if (!event_names.ok()) return respond(http::ErrorResponse(event_names.status(), "event_names"));
  // As PostHog: the pairs speak of event properties only.
  if (!event_names->empty() && *owner != meta::PropertyOwner::kEvent) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("event_names: can only be set for the event type", "invalid_input"),
        "event_names"));
  }
  query->event_names = std::move(*event_names);
  auto filter_by_event_names = BoolParam(params, "filter_by_event_names", false);
  if (!filter_by_event_names.ok()) {
    return respond(http::ErrorResponse(filter_by_event_names.status(), "filter_by_event_names"));
  }
  query->filter_by_event_names = *filter_by_event_names;
  std::string numerical = QueryParam(params, "is_numerical").value_or("");
  if (numerical == "true" || numerical == "false") {
    query->is_numerical = numerical == "true";
  } else if (!numerical.empty()) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("is_numerical: '" + numerical + "' is not true or false",
                             "invalid_input"),
        "is_numerical"));
  }
  auto definitions = context.meta->ListPropertyDefinitions(*query);
  if (!definitions.ok()) return respond(http::ErrorResponse(definitions.status()));

  respond(PageResponse<meta::PropertyDefinition>(
      request, params, page, *definitions, [&](const meta::PropertyDefinition& d, JsonWriter* w) {
        WritePropertyDefinition(context, d, w);
      }));
}

void HandleEventDefinition(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond) {
  RespondDefinition<meta::EventDefinition>(
      context, caller, request, respond,
      [&](int64_t team, const std::string& uuid) {
        return context.meta->EventDefinitionByUuid(team, uuid);
      },
      [&](int64_t team, const std::string& uuid, const meta::DefinitionNotesChange& change) {
        return context.meta->UpdateEventDefinitionNotes(team, uuid, change, caller.user.id);
      },
      WriteEventDefinition);
}

void HandlePropertyDefinition(const ApiContext& context, const meta::AuthenticatedKey& caller,
                              http::Request&& request, http::Responder respond) {
  RespondDefinition<meta::PropertyDefinition>(
      context, caller, request, respond,
      [&](int64_t team, const std::string& uuid) {
        return context.meta->PropertyDefinitionByUuid(team, uuid);
      },
      [&](int64_t team, const std::string& uuid, const meta::DefinitionNotesChange& change) {
        return context.meta->UpdatePropertyDefinitionNotes(team, uuid, change, caller.user.id);
      },
      WritePropertyDefinition);
}

}  // namespace hoglet::api
