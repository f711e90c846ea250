// /api/projects/ in PostHog's shapes, for the caller's organization only. Every endpoint needs a
// personal API key (api/auth.h) with project:read (GET) or project:write (the others), checked by
// the route; a project of another organization answers 404, as an unknown
// id does. `{project_id}` is a number or "@current" (the organization's first project).
//
//   GET    /api/projects/               200 {"count", "next": null, "previous": null,
//                                            "results": [basic project, ...]}
//   POST   /api/projects/               201 detail project; body {"name": ..., settings...}
//   GET    /api/projects/{project_id}/  200 detail project
//   PATCH  /api/projects/{project_id}/  200 detail project; body {settings...}
//   DELETE /api/projects/{project_id}/  204, no body
//
// The project JSON and the settings a body may change are described in api/project_json.h. An
// invalid field answers 400 {"type": "validation_error", "code": "invalid_input", "detail",
// "attr": "<field>"}; a body that is not a JSON object answers 400 with code "parse_error".
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListProjects(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleCreateProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);
void HandleGetProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond);
void HandleUpdateProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);
void HandleDeleteProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
