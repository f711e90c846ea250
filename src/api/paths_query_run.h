// A PathsQuery run for a project against the stores: what it reads (person identities, person,
// group and cohort data, test-account filters, and the actions of a funnelPathsFilter's funnel)
// is gathered as for trends (api/trends_query_run.h),
// the paths run on the embedded engine within its budget, and the answer's fields come back as a
// JSON object: `results`, `resolved_date_range`, `timezone`, `timings`, `hogql`, `modifiers`,
// `error` (the caller adds the cache fields).
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "api/trends_query_run.h"
#include "base/status.h"
#include "meta/meta_store.h"
#include "query/paths_query.h"

namespace hoglet::api {

// Prepares `run` for `paths`: its date range and test-account filters, and with a funnel source
// (funnelPathsFilter) the funnel's too, and the actions its steps and exclusions name. `field` is
// the PathsQuery's path in errors ("query", or "query.source" inside an actors query).
Status PreparePathsRun(const query::PathsQuery& paths, const std::string& field, TrendsRun* run);

// `spec_json` is the PathsQuery object. kInvalidArgument naming the field for a malformed query
// or what this server does not compute yet; kDeadlineExceeded past the time limit; kUnavailable
// (reason "cancelled") once `cancelled` is set, or when the store cannot be queried.
StatusOr<std::string> RunPathsQuery(const ApiContext& context, const meta::Project& project,
                                    std::string_view spec_json, const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
