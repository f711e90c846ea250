// The result of a saved insight: its stored query run through api/query_execution.h, the path
// POST …/query/ takes, so the insight and the same query sent to /query/ share one cache entry.
//
// PostHog's insight and dashboard endpoints compute nothing unless asked: without a `refresh`
// query parameter they answer from the cache only (force_cache), and `?refresh=blocking` (or
// another mode) computes as POST /query/ would.
#pragma once

#include <string>
#include <string_view>

#include "api/api_context.h"
#include "api/query_execution.h"
#include "base/status.h"
#include "base/url.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// The request's `refresh` parameter; kForceCache when absent. kInvalidArgument naming the modes
// for an unknown one.
StatusOr<Refresh> InsightRefreshParam(const QueryParams& params);

// The JSON body ExecuteQuery answers for the insight's query in `refresh` mode; empty when the
// insight has no query, or for force_cache on a server without an answer cache. On a dashboard,
// `dashboard_filters_json` (its filters, a JSON object) is applied to the query first
// (api/dashboard_filters.h). Errors: PrepareQuery's (the stored query's kind is not run) and
// ExecuteQuery's.
StatusOr<std::string> InsightAnswer(const ApiContext& context, const meta::Project& project,
                                    const meta::InsightRecord& insight, Refresh refresh,
                                    std::string_view dashboard_filters_json = {});

}  // namespace hoglet::api
