// A project's persons (analytics §1.3), as PostHog's API shows them:
//
//   GET    /api/projects/{project_id}/persons/
//     → {"next", "previous", "results": [person…]}, newest first
//   GET    /api/projects/{project_id}/persons/{uuid}/  → person, 404 when absent
//   DELETE /api/projects/{project_id}/persons/{uuid}/  → 204; the person and its distinct ids
//          are removed (stored events keep their person_id)
//   GET    /api/projects/{project_id}/persons/cohorts/?person_id={uuid}
//     → {"results": [cohort…]}: the cohorts that hold the person now (api/cohort_members.h),
//       by id; 400 without a person UUID, 404 for an unknown person
//
// person = {"id": uuid, "uuid", "name", "distinct_ids": [...], "properties": {...},
//           "is_identified", "created_at"}; `name` is the first of the properties email, name
// and username that is set, else the first distinct id (PostHog's display name).
//
// List parameters: `distinct_id` (exact), `search` (substring of a distinct id, email or name),
// `properties` (person-property filters, api/property_filter_parser.h, matched by the person
// store; other filter types are a 400 naming them), `limit` (1..1000, default 100), `offset`.
// With property filters the newest kMaxScannedPersons persons matching the other parameters are
// examined.
//
// Persons are addressed by UUID only (PostHog's integer ids do not exist here): another {uuid}
// is a 400. Authentication: a personal API key of a user whose organization owns the project,
// with person:read (GET) or person:write (DELETE), checked by the route.
// 503 when the server has no person store.
#pragma once

#include <cstddef>

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

inline constexpr size_t kMaxScannedPersons = 100'000;

void HandleListPersons(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond);
void HandleGetPerson(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond);
void HandleDeletePerson(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandlePersonCohorts(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
