// A HogQLQuery run for a project against the stores: the query text runs on the embedded engine
// (hogql/executor/executor.h) with the project's time zone, persons resolved at query time from
// the person store, within its budget (query/query_budget.h), and the answer's fields come back
// in PostHog's HogQLQuery response shape: `results` (rows), `columns`, `types` ([name,
// ClickHouse type] pairs), `hogql`, `hasMore`, `limit`, `offset`, `query`, `timings`,
// `modifiers`, `error` (the caller adds the cache fields).
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// `spec_json` is the HogQLQuery object ({"kind": "HogQLQuery", "query": "SELECT …"}).
// kInvalidArgument "line L, column C: …" for a query that does not parse or that this server
// does not run; kDeadlineExceeded past the time limit; kUnavailable (reason "cancelled") once
// `cancelled` is set, or when the store cannot be queried.
StatusOr<std::string> RunHogQLQuery(const ApiContext& context, const meta::Project& project,
                                    std::string_view spec_json, const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
