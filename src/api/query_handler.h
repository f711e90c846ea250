// POST /api/projects/{id}/query/ and /api/environments/{id}/query/: PostHog's query API
// (analytics §3.8).
//
//   {"query": {"kind": "TrendsQuery", …}, "refresh": "blocking", "client_query_id": "…"}
//
// The query may come bare or wrapped in an InsightVizNode, DataVisualizationNode or
// DataTableNode (its `source` runs). Kinds: TrendsQuery (api/trends_query_run.h). The answer
// carries PostHog's fields: `results`, `hasMore`, `resolved_date_range`, `timezone`, `is_cached`,
// `last_refresh`, `next_allowed_client_refresh`, `cache_key`, `timings`, `query_status`, `error`.
//
// The query runs through api/query_execution.h, which saved insights share. Refresh modes:
// `blocking` (the default) answers from the cache when the same query ran over
// the same data (query/result_cache.h), else computes; `force_blocking` computes; `async` /
// `lazy_async` answer from the cache or start the query in the background (202
// {"query_status": {"id", "complete": false, …}}); `force_async` always starts it;
// `force_cache` answers from the cache or {"cache_key", "query_status": null, "results": null};
// `async_except_on_cache_miss` answers from the cache or computes. A background query's id is
// the body's `client_query_id` when given.
//
//   GET    …/query/{query_id}/   200 {"query_status": {"id", "team_id", "query_async",
//                                "complete", "error", "error_message", "results" (the answer
//                                once complete), "start_time", "end_time", "query_progress"}}
//   DELETE …/query/{query_id}/   204; the query stops at its next check
//
// Budgets: a query stops after 60 s (504) and a project runs at most 3 queries at once (429,
// blocking and background together; query/query_jobs.h).
//
// Errors: 400 naming the field for a malformed query, a kind or feature this server does not
// compute yet, or a date it cannot read; 404 for a project of another organization or an unknown
// query id.
//
// Authentication: a personal API key with query:read, checked by the route.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleQuery(const ApiContext& context, const meta::AuthenticatedKey& caller,
                 http::Request&& request, http::Responder respond);
void HandleGetQueryStatus(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond);
void HandleCancelQuery(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
