#include "api/definitions_handler.h"

#include "api/auth.h"
#include "api/pagination.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;

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

void WriteEmptyTags(JsonWriter* w) {
  w->Key("tags");
  w->BeginArray();
  w->EndArray();
}

void WriteEventDefinition(const meta::EventDefinition& definition, JsonWriter* w) {
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
  w->String(FormatIsoMicros(definition.created_at_us));
  WriteEmptyTags(w);
  w->Key("is_action");
  w->Bool(false);
  w->Key("post_to_slack");
  w->Bool(false);
  w->EndObject();
}

void WritePropertyDefinition(const meta::PropertyDefinition& definition, JsonWriter* w) {
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
  WriteEmptyTags(w);
  w->Key("is_seen_on_filtered_events");
  w->Null();
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

// {count, next, previous, results: [...]} for one page of definitions.
template <typename T>
http::Response PageResponse(const http::Request& request, const QueryParams& params,
                            const PageRequest& page, const meta::DefinitionPage<T>& definitions,
                            void (*write)(const T&, JsonWriter*)) {
  const auto total = static_cast<size_t>(definitions.total);
  const PageLinks links = LinksFor(request, params, page, page.offset + page.limit < total);
  return ListResponse(total, links, [&](JsonWriter* w) {
    for (const T& definition : definitions.results) write(definition, w);
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

  respond(PageResponse(request, params, page, *definitions, WriteEventDefinition));
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
  auto definitions = context.meta->ListPropertyDefinitions(*query);
  if (!definitions.ok()) return respond(http::ErrorResponse(definitions.status()));

  respond(PageResponse(request, params, page, *definitions, WritePropertyDefinition));
}

}  // namespace hoglet::api
