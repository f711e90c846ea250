// GET /api/projects/{project_id}/events/values/?key=$browser[&value=Chr][&event_name=$pageview]
// — PostHog's property value suggestions: the values of an event property seen over the last 7
// days (from the start of the day seven days ago in the project's zone), most frequent first, at
// most 10, as [{"name": "Chrome"}, …]. `value` keeps the values containing it
// (case-insensitively, as PostHog's ILIKE '%value%'); `event_name` (repeatable) the events of
// those names. Values are the property's text as HogQL reads it (numbers as their JSON text);
// missing, null and "" values are left out. Runs as a HogQL query on the embedded engine.
//
// GET /api/projects/{project_id}/persons/values/?key=email[&value=exa] — the values of a
// person property over the project's persons (at most the 100,000 newest are read), most
// frequent first, at most 10, as PostHog answers them: [{"name": "a@example.com", "count": 3}, …]
// (numbers and booleans as themselves). `value` keeps the values containing it,
// case-insensitively.
//
// Authentication: a personal API key with query:read (events) or person:read (persons), checked
// by the route. A missing `key` is a 400 naming it.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleEventPropertyValues(const ApiContext& context, const meta::AuthenticatedKey& caller,
                               http::Request&& request, http::Responder respond);
void HandlePersonPropertyValues(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
