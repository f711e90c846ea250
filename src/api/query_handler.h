// POST /api/projects/{id}/query/ and /api/environments/{id}/query/: PostHog's query API
// (analytics §3.8).
//
//   {"query": {"kind": "TrendsQuery", …}, "refresh": "blocking", "client_query_id": "…"}
//
// The query may come bare or wrapped in an InsightVizNode, DataVisualizationNode or
// DataTableNode (its `source` runs). Kinds: TrendsQuery (query/trends_runner.h). Every refresh
// mode is answered at once with fresh results. The answer carries PostHog's fields: `results`,
// `hasMore`, `resolved_date_range`, `timezone`, `is_cached`, `last_refresh`,
// `next_allowed_client_refresh`, `cache_key`, `timings`, `query_status`, `error`.
//
// Errors: 400 naming the field for a malformed query, a kind or feature this server does not
// compute yet, or a date it cannot read; 404 for a project of another organization.
//
// Authentication: a personal API key with query:read, checked by the route.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleQuery(const ApiContext& context, const meta::AuthenticatedKey& caller,
                 http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
