// Running one query spec for a project the way POST …/query/ does: PostHog's refresh modes, the
// answer cache (query/result_cache.h) and background queries (query/query_jobs.h). The query
// API (api/query_handler.h) and saved insights (api/insights_handler.h) both go through here, so
// an insight and the same query sent to /query/ share one cache entry.
//
//   auto prepared = PrepareQuery(query_element);           // 400 for an unknown kind
//   auto outcome = ExecuteQuery(context, project, *prepared, Refresh::kBlocking, "");
//   respond(http::Response::Json(outcome->http_status, outcome->json));
//
// Thread safety: the functions are thread-safe; ExecuteQuery may block for the whole run (call it
// from a worker thread).
#pragma once

#include <simdjson.h>

#include <atomic>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "base/status.h"
#include "meta/meta_store.h"
#include "query/query_jobs.h"

namespace hoglet::api {

// PostHog's refresh modes (analytics §3.8).
enum class Refresh {
  kBlocking,               // a cached answer when there is one, else computed now
  kForceBlocking,          // computed now
  kAsync,                  // a cached answer, else computed in the background ("lazy_async" too)
  kForceAsync,             // computed in the background
  kForceCache,             // a cached answer or none
  kAsyncExceptOnCacheMiss  // a cached answer, else computed now
};

// A mode by its PostHog name, or the older true / false (force_blocking / blocking).
// kInvalidArgument naming every mode for anything else.
StatusOr<Refresh> ParseRefresh(std::string_view mode);
// The body's "refresh" field; kBlocking when absent or null.
StatusOr<Refresh> ParseRefreshField(simdjson::dom::element body);

// Computes the answer of one query kind as a JSON object.
using QueryRunner = StatusOr<std::string> (*)(const ApiContext& context,
                                              const meta::Project& project,
                                              std::string_view spec_json,
                                              const std::atomic<bool>& cancelled);

// A query ready to run: the spec with its display nodes (InsightVizNode, DataVisualizationNode,
// DataTableNode) unwrapped, minified, and the runner of its kind.
struct PreparedQuery {
  std::string kind;
  std::string spec_json;
  QueryRunner runner = nullptr;
};

// kInvalidArgument (reason "invalid_input") for a query without a kind or a display node without
// a source; (reason "unsupported_query_kind") for a kind this server does not run, naming the
// kinds it runs.
StatusOr<PreparedQuery> PrepareQuery(simdjson::dom::element query);
// The same from JSON text (a stored insight's query).
StatusOr<PreparedQuery> PrepareQuery(std::string_view query_json);

// What ExecuteQuery answers: the HTTP status POST /query/ gives (200, or 202 for a query started
// in the background) and its JSON body: the answer with `is_cached`, `last_refresh`,
// `next_allowed_client_refresh`, `cache_key`, `cache_target_age` and `query_status`; for a
// force_cache miss {"cache_key", "query_status": null, "results": null}; for a background query
// {"query_status": {...}}.
struct QueryOutcome {
  int http_status = 200;
  std::string json;
};

// Runs `query` for `project` in `refresh` mode. A background query's id is `client_query_id`
// when not empty. Errors: the runner's (400 for what the spec asks that cannot be computed, 504
// past the time budget), kResourceExhausted when the project already runs its maximum of
// queries, kUnavailable on a server without an event store, person store, cache or job table.
StatusOr<QueryOutcome> ExecuteQuery(const ApiContext& context, const meta::Project& project,
                                    const PreparedQuery& query, Refresh refresh,
                                    const std::string& client_query_id);

// {"query_status": {"id", "team_id", "query_async", "complete", "error", "error_message",
// "results", "start_time", "end_time", "query_progress"}}.
std::string QueryStatusJson(const query::QueryStatus& status);

}  // namespace hoglet::api
