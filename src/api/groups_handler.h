// A project's groups and group types (analytics §1.5), as PostHog's API lists them:
//
//   GET /api/projects/{project_id}/groups/?group_type_index=N
//     → {"next", "previous", "results": [{"group_type_index", "group_key", "group_properties",
//        "created_at"}]}, newest first; `group_type_index` is required (0..4, else 400);
//        `limit` (1..1000, default 100) and `offset` page; `search` keeps the groups whose key
//        or properties (their JSON text) contain it, ASCII letters without case, among the
//        newest 100 000 of the type
//   GET /api/projects/{project_id}/groups/find/?group_type_index=N&group_key=K
//     → one group in the list's shape; 404 when the type has no group with that key, 400
//        without group_key
//   GET /api/projects/{project_id}/groups_types/
//     → [{"group_type", "group_type_index", "name_singular", "name_plural"}] by index; a
//        name is null until set
//   PATCH (or PUT) /api/projects/{project_id}/groups_types/update_metadata
//     body [{"group_type_index", "name_singular"?, "name_plural"?}, …]: each row sets the names
//     it holds (a string of at most 400 bytes, or null to clear; an absent one is kept) → the
//     list above. 404 when a row's index is not a group type of the project, 400 for a body
//     that is not a list of such rows (nothing is stored then). PostHog's route is PATCH.
//
// Authentication: a personal API key of a user whose organization owns the project, with
// group:read (group:write to update; checked by the route). 503 when
// the server has no person store.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListGroups(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond);
void HandleFindGroup(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond);
void HandleListGroupTypes(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond);
void HandleUpdateGroupTypeMetadata(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                   http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
