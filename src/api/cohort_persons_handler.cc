#include "api/cohort_persons_handler.h"

#include <memory>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/cohort_members.h"
#include "api/handler_result.h"
#include "api/id_param.h"
#include "api/pagination.h"
#include "api/person_json.h"
#include "base/json_writer.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;

// The persons from `offset` on (at most `limit`) among the cohort's members
// (api/cohort_members.h).
StatusOr<std::vector<persons::Person>> CohortPage(const ApiContext& context,
                                                  const meta::Project& project, int64_t cohort_id,
                                                  size_t offset, size_t limit) {
  std::vector<persons::Person> page;
  size_t matched = 0;
  HOGLET_RETURN_IF_ERROR(
      ForEachCohortMember(context, project, cohort_id, [&](persons::Person&& person) {
        if (matched++ >= offset) page.push_back(std::move(person));
        return page.size() < limit;
      }));
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
