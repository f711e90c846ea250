// /api/projects/{project_id}/actions/ in PostHog's shapes (ActionViewSet), for the caller's
// organization only. Every endpoint needs a personal API key with the action scope (read for
// GET, write otherwise), checked by the route; a project of another organization or an unknown
// action answers 404.
//
//   GET    …/actions/         200 {"count", "next", "previous", "results": [action, ...]}:
//                             non-deleted actions by id, `limit`/`offset` paged, `search` (name)
//   POST   …/actions/         201 action; body {"name", "description", "steps": [step, ...],
//                             "tags"}
//   GET    …/actions/{id}/    200 action (a soft-deleted one too)
//   PATCH  …/actions/{id}/    200 action; body as for POST, or {"deleted": true}
//   DELETE …/actions/{id}/    204: soft delete, like PATCH {"deleted": true}
//
// Action JSON: id, name, description, tags ([]), post_to_slack (false), slack_message_format
// (""), steps (each with every field of PostHog's step: event, properties, selector,
// selector_regex, tag_name, text, text_matching, href, href_matching, url, url_matching),
// created_at, created_by (user or null), deleted, is_calculating (false), last_calculated_at,
// team_id, is_action (true), bytecode_error (null), pinned_at (null), creation_context (null).
//
// Steps are checked with query::ParseActionSteps (attr "steps"); a name another live action of
// the project has is refused, as PostHog does.
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListActions(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond);
void HandleCreateAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleGetAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond);
void HandleUpdateAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleDeleteAction(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
