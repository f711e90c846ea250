// Reads an EventsQuery from PostHog's JSON, e.g.
//   {"kind": "EventsQuery", "select": ["*", "event", "person", "timestamp"],
//    "where": ["properties.$browser = 'Chrome'"], "event": "$pageview",
//    "properties": [{"key": "$os", "value": "Mac OS X"}], "after": "-7d", "limit": 100}
//
// Fields this server does not know are ignored, as a newer client may send them; fields it
// knows but cannot honour yet (`source`, `actionSteps`, several `events`) are refused with a
// message naming them. A limit that is absent or not positive is 100, one above 50,000 is
// 50,000, as PostHog's paginator reads them.
#pragma once

#include <simdjson.h>

#include "base/status.h"
#include "query/events_query.h"

namespace hoglet::query {

// kInvalidArgument naming the field ("query.select[1]: must be a string") for anything
// malformed or not supported.
StatusOr<EventsQuery> ParseEventsQuery(simdjson::dom::element query);

}  // namespace hoglet::query
