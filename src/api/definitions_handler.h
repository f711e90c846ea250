// The project's event and property definitions (analytics §1.9), as PostHog's API lists them:
//
//   GET /api/projects/{project_id}/event_definitions/
//     → {"count", "next", "previous", "results": [{"id", "name", "created_at", "last_seen_at",
//        "last_updated_at", "description", "tags", "verified", "updated_at", "updated_by",
//        "is_action", "post_to_slack"}]}
//   GET /api/projects/{project_id}/property_definitions/
//     → {"count", "next", "previous", "results": [{"id", "name", "property_type",
//        "is_numerical", "type", "description", "tags", "verified", "updated_at", "updated_by",
//        "is_seen_on_filtered_events", "last_seen_at"}]}
//   GET   …/event_definitions/{id}/, …/property_definitions/{id}/ → one definition (404 unknown)
//   PATCH …/event_definitions/{id}/, …/property_definitions/{id}/ → the definition, after
//     applying the body's `description` (string, at most 10 000 bytes), `tags` (array of
//     strings) and `verified` (bool); other fields are read-only and ignored, as in PostHog.
//     updated_at and updated_by (the caller) are stamped. A field of the wrong type is a 400
//     naming it (`attr`).
//
// Query parameters: `search` (every word must appear in the name, case-insensitive), `limit`
// (1..1000, default 100), `offset`; property definitions also `type` (event, the default;
// person; group) and `is_numerical` (true: only numeric properties, false: only the others).
// Results are ordered by name; `count` is the number of matches. Ids are the definitions' UUIDs;
// instants ISO 8601 in UTC.
//
// Authentication: a personal API key of a user whose organization owns the project, with
// event_definition:read or property_definition:read (write for PATCH), checked by the route.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListEventDefinitions(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond);
void HandleListPropertyDefinitions(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                   http::Request&& request, http::Responder respond);
// GET and PATCH of one definition ({id} is its UUID).
void HandleEventDefinition(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond);
void HandlePropertyDefinition(const ApiContext& context, const meta::AuthenticatedKey& caller,
                              http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
