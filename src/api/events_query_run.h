// An EventsQuery run for a project against the stores (analytics §3.8), as PostHog's
// EventsQueryRunner runs it: the query composed into a HogQL SELECT over `events`
// (hogql/executor/events_select.h) and run on the embedded engine, its property filters, action,
// person and test-account filters applied by the filter engine as the scan reads each block
// (query/event_rows.h), persons resolved at query time. The answer comes back in PostHog's
// EventsQuery response shape: `results` (rows; "*" as an object of the event's fields with its
// properties as an object, "person" as {uuid, created_at, properties, distinct_id} of the person
// the distinct id belongs to now, or {distinct_id} without one), `columns`, `types` (ClickHouse
// type names), `hogql`, `hasMore`, `limit`, `offset`, `timings`, `modifiers`, `error` (the
// caller adds the cache fields).
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// `spec_json` is the EventsQuery object. kInvalidArgument naming the field for a malformed query
// or what this server does not run ("query.select[1]: unknown column 'foo' …");
// kDeadlineExceeded past the time limit; kUnavailable (reason "cancelled") once `cancelled` is
// set, or when the store cannot be queried.
StatusOr<std::string> RunEventsQuery(const ApiContext& context, const meta::Project& project,
                                     std::string_view spec_json,
                                     const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
