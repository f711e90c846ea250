// /api/organizations/ in PostHog's shapes. A caller sees only its own organization; another
// organization's id answers 404, as an unknown one does. `{organization_id}` is the UUID or
// "@current". Each needs a personal API key with organization:read, checked by the route.
//
//   GET /api/organizations/                              200 {"count", "next": null,
//                                                             "previous": null, "results": [org]}
//   GET /api/organizations/{organization_id}/            200 org (api/organization_json.h)
//   GET /api/organizations/{organization_id}/projects/   200 {"count", "next", "previous",
//                                                             "results": [basic project, ...]}
//   GET /api/organizations/{organization_id}/projects/{project_id}/   200 detail project
//
// Every handler reads the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListOrganizations(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond);
void HandleGetOrganization(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond);
void HandleListOrganizationProjects(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                    http::Request&& request, http::Responder respond);

void HandleGetOrganizationProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                  http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
