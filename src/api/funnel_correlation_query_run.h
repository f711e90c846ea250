// A FunnelCorrelationQuery run for a project against the stores (query/funnel_correlation.h): its
// funnel is prepared as a FunnelsQuery is (api/funnels_query_run.h), and the answer's fields come
// back as a JSON object: `results` ({"events": [...], "skewed": bool}), `resolved_date_range`,
// `timezone`, `timings`, `hogql`, `modifiers`, `error` (the caller adds the cache fields); and the
// persons behind one of its rows.
#pragma once

#include <simdjson.h>

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_context.h"
#include "api/funnels_query_run.h"
#include "base/status.h"
#include "base/uuid.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// `spec_json` is the FunnelCorrelationQuery object. kInvalidArgument naming the field for a
// malformed query, an action the project does not have, or what this server does not compute
// yet; kDeadlineExceeded past the time limit; kUnavailable (reason "cancelled") once `cancelled`
// is set, or when the store cannot be queried.
StatusOr<std::string> RunFunnelCorrelationQuery(const ApiContext& context,
                                                const meta::Project& project,
                                                std::string_view spec_json,
                                                const std::atomic<bool>& cancelled);

// The actors behind one row of a correlation: `actors_query` is the
// FunnelCorrelationActorsQuery, named `field` in errors ("query.source" inside an ActorsQuery)
// (query/funnel_correlation_actors.h).
StatusOr<FunnelActorsFound> RunFunnelCorrelationActors(const ApiContext& context,
                                                       const meta::Project& project,
                                                       simdjson::dom::element actors_query,
                                                       const std::string& field,
                                                       const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
