#include "api/persons_handler.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/cohort_json.h"
#include "api/cohort_members.h"
#include "api/handler_result.h"
#include "api/pagination.h"
#include "api/person_json.h"
#include "api/property_filter_parser.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"
#include "meta/project_time_zone.h"
#include "store/properties_parser.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;

StatusOr<Uuid> PersonUuidParam(const http::Request& request) {
  std::string_view text = request.PathParam("person_id");
  auto uuid = Uuid::Parse(text);
  if (!uuid) {
    return InvalidArgumentError(
        "'" + std::string(text) + "' is not a person UUID; persons are addressed by UUID",
        "invalid_input");
  }
  return *uuid;
}

}  // namespace

void HandleListPersons(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request, PersonStoreUse::kReads);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  QueryParams params = request.Params();
  auto page = ParsePageRequest(params, kDefaultLimit, kMaxLimit);
  if (!page.ok()) return respond(http::ErrorResponse(page.status()));
  persons::PersonListQuery query;
  query.team_id = project->id;
  if (auto v = QueryParam(params, "distinct_id"); v && !v->empty()) query.distinct_id = *v;
  if (auto v = QueryParam(params, "search"); v && !v->empty()) query.search = *v;
  if (auto v = QueryParam(params, "properties"); v && !v->empty()) {
    auto parsed = ParsePropertyFilters(*v, filters::FilterType::kPerson);
    if (!parsed.ok()) return respond(http::ErrorResponse(parsed.status(), "properties"));
    query.properties = std::move(parsed).value();
    query.filter_context = {context.clock->NowMicros(), ProjectTimeZone(*project),
                            filters::Dialect::kHogQL};
    query.max_scanned = kMaxScannedPersons;
  }
  query.limit = page->limit + 1;
  query.offset = page->offset;
  auto found = context.persons->ListPersons(query);
  if (!found.ok()) return respond(http::ErrorResponse(found.status()));
  bool has_more = found->size() > page->limit;
  if (has_more) found->resize(page->limit);

  store::PropertiesParser parser;
  const PageLinks links = LinksFor(request, params, *page, has_more);
  respond(ListResponse(std::nullopt, links, [&](JsonWriter* w) {
    for (const persons::Person& person : *found) WritePerson(person, parser, w);
  }));
}

void HandleGetPerson(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond) {
  RespondInProject(
      context, caller, request, respond, PersonStoreUse::kReads,
      [&](const meta::Project& project) -> StatusOr<http::Response> {
        HOGLET_ASSIGN_OR_RETURN(Uuid uuid, PersonUuidParam(request));
        HOGLET_ASSIGN_OR_RETURN(auto person, context.persons->PersonByUuid(project.id, uuid));
        if (!person) {
          return NotFoundError("no person with UUID " + uuid.ToString() + " in this project");
        }
        store::PropertiesParser parser;
        JsonWriter w;
        WritePerson(*person, parser, &w);
        return http::Response::Json(200, std::move(w).Take());
      });
}

void HandleDeletePerson(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, PersonStoreUse::kReads,
                   [&](const meta::Project& project) -> StatusOr<http::Response> {
                     HOGLET_ASSIGN_OR_RETURN(Uuid uuid, PersonUuidParam(request));
                     HOGLET_RETURN_IF_ERROR(context.persons->DeletePerson(project.id, uuid));
                     return NoContentResponse();
                   });
}

void HandlePersonCohorts(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  RespondInProject(
      context, caller, request, respond, PersonStoreUse::kReads,
      [&](const meta::Project& project) -> StatusOr<http::Response> {
        const std::string text = QueryParam(request.Params(), "person_id").value_or("");
        std::optional<Uuid> uuid = Uuid::Parse(text);
        if (!uuid) {
          return http::ErrorResponse(
              InvalidArgumentError(
                  "person_id: '" + text + "' is not a person UUID; persons are addressed by UUID",
                  "invalid_input"),
              "person_id");
        }
        HOGLET_ASSIGN_OR_RETURN(auto person, context.persons->PersonByUuid(project.id, *uuid));
        if (!person) {
          return NotFoundError("no person with UUID " + uuid->ToString() + " in this project");
        }
        HOGLET_ASSIGN_OR_RETURN(std::vector<meta::CohortRecord> cohorts,
                                CohortsOfPerson(context, project, *person));
        JsonWriter w;
        w.BeginObject();
        w.Key("results");
        w.BeginArray();
        for (const meta::CohortRecord& cohort : cohorts) {
          WriteCohortJson(context, cohort, /*count_now=*/false, &w);
        }
        w.EndArray();
        w.EndObject();
        return http::Response::Json(200, std::move(w).Take());
      });
}

}  // namespace hoglet::api
