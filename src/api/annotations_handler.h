// /api/projects/{project_id}/annotations/ in PostHog's shapes (AnnotationsViewSet), for the
// caller's organization only. Every endpoint needs a personal API key with the annotation scope
// (read for GET, write otherwise), or a session, checked by the route; a project of another
// organization or an unknown annotation answers 404.
//
//   GET    …/annotations/         200 {"count", "next", "previous", "results": [annotation, ...]}:
//                                 the live annotations the project sees (its own, and its
//                                 organization's organization-scoped ones), newest date_marker
//                                 first, `limit`/`offset` paged; `search` (content), `scope`,
//                                 `after` and `before` (ISO 8601 bounds of date_marker)
//   POST   …/annotations/         201 annotation; body {"content", "date_marker", "scope",
//                                 "creation_type", "dashboard_item", "dashboard_id", "emoji",
//                                 "hidden_in_user_interface"}; scope defaults to "dashboard_item"
//                                 as in PostHog
//   GET    …/annotations/{id}/    200 annotation (a soft-deleted one too)
//   PATCH  …/annotations/{id}/    200 annotation; body as for POST, or {"deleted": true}
//   DELETE …/annotations/{id}/    405, as PostHog (ForbidDestroyModel): PATCH {"deleted": true}
//
// Annotation JSON: id, content, date_marker, creation_type, dashboard_item, dashboard_id,
// dashboard_name, insight_short_id, insight_name, insight_derived_name, created_by (user or
// null), created_at, updated_at, deleted, scope, emoji, hidden_in_user_interface.
//
// A "recording" scope (PostHog's deprecated one) or any other unknown one is a 400 naming
// `scope`; a date_marker that is not an ISO 8601 date-time a 400 naming `date_marker`; an insight
// or dashboard of another project a 404.
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListAnnotations(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond);
void HandleCreateAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond);
void HandleGetAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);
void HandleUpdateAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond);
void HandleDeleteAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
