// The persons in a cohort, as PostHog's API lists them:
//
//   GET /api/projects/{project_id}/cohorts/{id}/persons/
//     → {"next", "previous", "results": [person…]} (person JSON as api/persons_handler.h),
//       newest person first, `limit` (1..1000, default 100) and `offset` paged
//
// Membership is the query engine's (query/cohort_membership.h): a static cohort's stored list, a
// dynamic cohort's filters over each person's current properties, cohorts within cohorts. The
// newest kMaxScannedPersons persons of the project are examined. A deleted cohort has nobody.
// 404 for a cohort the project does not have.
//
// Authentication: a personal API key of a user whose organization owns the project, with
// cohort:read (checked by the route). 503 when the server has no person store.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListCohortPersons(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
