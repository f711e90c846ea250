#include "api/cohort_persons_handler.h"

#include <memory>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/handler_result.h"
#include "api/id_param.h"
#include "api/pagination.h"
#include "api/person_json.h"
#include "api/persons_handler.h"
#include "api/query_persons.h"
#include "api/query_sources.h"
#include "base/json_writer.h"
#include "meta/project_time_zone.h"
#include "query/cohort_membership.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;
constexpr size_t kScanBatch = 500;

// The filter {"type": "cohort", "key": "id", "value": id} the query engine asks membership with.
filters::PropertyFilter InCohort(int64_t id) {
  filters::PropertyFilter filter;
  filter.type = filters::FilterType::kCohort;
  filter.type_name = "cohort";
  filter.key = "id";
  filter.value = filters::PropertyValue::Number(static_cast<double>(id), std::to_string(id));
  filter.op = filters::Operator::kIn;
  filter.operator_name = "in";
  return filter;
}

// The persons from `offset` on (at most `limit`) among the project's newest kMaxScannedPersons
// that are in the cohort.
StatusOr<std::vector<persons::Person>> CohortPage(const ApiContext& context,
                                                  const meta::Project& project, int64_t cohort_id,
                                                  size_t offset, size_t limit) {
  const int64_t now_us = context.clock->NowMicros();
  StoredCohorts source(*context.meta, *context.persons, project.id);
  // Behavioural criteria: one scan of the events per criterion for the whole page, persons
  // resolved through the current overrides as queries resolve them.
  HOGLET_ASSIGN_OR_RETURN(query::PersonOverrides overrides,
                          LoadOverrides(*context.persons, project.id));
  const query::QueryBudget budget(context.clock, query::kDefaultQueryTimeoutUs, nullptr);
  std::unique_ptr<query::ScannedBehavior> behavior = StoredBehavior(
      *context.meta, project, context.store != nullptr ? context.store->scan_source() : nullptr,
      &overrides, &budget, now_us);
  query::CohortMembership membership(
      &source, {now_us, ProjectTimeZone(project), filters::Dialect::kHogQL}, behavior.get());
  const filters::PropertyFilter filter = InCohort(cohort_id);
  std::vector<persons::Person> page;
  size_t matched = 0;
  for (size_t scanned = 0; scanned < kMaxScannedPersons && page.size() < limit;) {
    persons::PersonListQuery query;
    query.team_id = project.id;
    query.offset = scanned;
    query.limit = std::min(kScanBatch, kMaxScannedPersons - scanned);
    HOGLET_ASSIGN_OR_RETURN(std::vector<persons::Person> batch,
                            context.persons->ListPersons(query));
    for (persons::Person& person : batch) {
      StatusOr<filters::Properties> properties = filters::ParseProperties(person.properties);
      HOGLET_ASSIGN_OR_RETURN(
          bool in, membership.Matches(filter, person.uuid,
                                      properties.ok() ? *properties : filters::Properties()));
      if (!in) continue;
      if (matched++ >= offset && page.size() < limit) page.push_back(std::move(person));
    }
    if (batch.size() < query.limit) break;
    scanned += batch.size();
  }
  return page;
}

}  // namespace

void HandleListCohortPersons(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, PersonStoreUse::kReads,
                   [&](const meta::Project& project) -> StatusOr<http::Response> {
                     HOGLET_ASSIGN_OR_RETURN(meta::CohortRecord cohort,
                                             RecordFromPath(request, "cohort", [&](int64_t id) {
                                               return context.meta->CohortById(project.id, id);
                                             }));
                     QueryParams params = request.Params();
                     HOGLET_ASSIGN_OR_RETURN(PageRequest page,
                                             ParsePageRequest(params, kDefaultLimit, kMaxLimit));
                     HOGLET_ASSIGN_OR_RETURN(auto found, CohortPage(context, project, cohort.id,
                                                                    page.offset, page.limit + 1));
                     bool has_more = found.size() > page.limit;
                     if (has_more) found.resize(page.limit);
                     store::PropertiesParser parser;
                     const PageLinks links = LinksFor(request, params, page, has_more);
                     return ListResponse(std::nullopt, links, [&](JsonWriter* w) {
                       for (const persons::Person& person : found) WritePerson(person, parser, w);
                     });
                   });
}

}  // namespace hoglet::api
