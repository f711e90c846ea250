// GET /api/projects/{project_id}/events/ — PostHog's events list.
//
// Query parameters: event, distinct_id, person_id, after, before (ISO 8601), properties (a JSON
// list of {key, value, operator, type} filters), limit (1..10000, default 100). Results are
// newest first (ties by uuid, descending); when a page is full, `next` is the URL of the
// following page: the same filters with the cursor `before` + `before_uuid` set to the last
// event, so events sharing a timestamp are neither skipped nor repeated.
//
// A page is also full once its body passes ApiContext::response_limits.events_page_bytes (the
// event that passes it is included, so one event bigger than the cap is returned alone, whole):
// a page of big events has fewer than `limit` results and a `next`. The store is read in chunks
// sized from the events seen so far, so memory stays near the cap whatever `limit` asks for.
//
// Authentication: a personal API key with query:read (PostHog reads events under its "query"
// scope), checked by the route.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListEvents(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
