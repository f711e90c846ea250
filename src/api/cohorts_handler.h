// /api/projects/{project_id}/cohorts/ in PostHog's shapes (CohortViewSet), for the caller's
// organization only. Every endpoint needs a personal API key (api/auth.h) with the cohort scope
// (read for GET, write otherwise; api/scope_permission.h), checked by the route before the
// handler runs; a project token (phc_) answers 401, a key without the scope 403, a project of
// another organization or an unknown cohort 404.
//
//   GET    …/cohorts/            200 {"count", "next", "previous", "results": [cohort, ...]}:
//                                non-deleted cohorts, newest first, `limit`/`offset` paged;
//                                filters `search` (name, case-insensitive), `type`
//                                (static/dynamic), `created_by_id`
//   POST   …/cohorts/            201 cohort; body {"name", "description", "filters", "is_static",
//                                "_create_static_person_ids": [uuid, ...]}; or a
//                                multipart/form-data body with `name`, `description`,
//                                `is_static` ("true") and a `csv` file of distinct ids
//                                (api/static_cohort_upload.h, api/cohort_csv.h): a static
//                                cohort of the persons they name (unknown ids are skipped); a
//                                bad file is a 400 with attr "csv"
//   GET    …/cohorts/{id}/       200 cohort (a soft-deleted one too)
//   PATCH  …/cohorts/{id}/       200 cohort; every write adds 1 to `version`; a multipart body
//                                with a `csv` file adds its persons to a static cohort (400
//                                for a dynamic one)
//   DELETE …/cohorts/{id}/       204: soft delete, like PATCH {"deleted": true} (PostHog answers
//                                405 and soft-deletes through PATCH; both work here)
//   PATCH  …/cohorts/{id}/add_persons_to_static_cohort/
//                                200 {"success": true}; body {"person_ids": [uuid, ...]}, at most
//                                1000; unknown persons are skipped, 400 when none is known or the
//                                cohort is not static
//
// Cohort JSON: id, name, description, groups ([]), deleted, filters ({"properties": {...}}),
// query (null), version, pending_version (null), is_calculating (false), created_by (user or
// null), created_at, last_calculation (null), errors_calculating (0), last_error_message (null),
// count (a static cohort's size; null for a dynamic one, which is evaluated per request),
// is_static, cohort_type (null), experiment_set ([]).
//
// Filters are checked with flags::ParseCohortFilters (attr "filters"); a static cohort may have
// none. Only criteria cohort membership evaluates are accepted: person properties, other cohorts
// and behavioural criteria (filters/behavioral_criterion.h: performed_event,
// performed_event_multiple, performed_event_first_time, stopped_performing_event,
// restarted_performing_event, performed_event_regularly, performed_event_sequence); any other
// type (a group or event property) or behavioural value is a 400 naming it.
// Errors with attr null, as PostHog's: deleting a cohort active flags or other cohorts use, editing
// a static cohort's criteria, cohorts referring to each other in a loop.
//
// Every handler reads or writes the stores and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListCohorts(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond);
void HandleCreateCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleGetCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond);
void HandleUpdateCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleDeleteCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleAddPersonsToStaticCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                    http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
