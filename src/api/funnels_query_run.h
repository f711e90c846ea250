// A FunnelsQuery run for a project against the stores: what it reads (person identities, person,
// group and cohort data, actions, test-account filters) is gathered as for trends
// (api/trends_query_run.h), the funnel runs on the embedded engine within its budget, and the
// answer's fields come back as a JSON object: `results`, `isUdf`, `resolved_date_range`,
// `timezone`, `timings`, `hogql`, `modifiers`, `error` (the caller adds the cache fields).
#pragma once

#include <simdjson.h>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api_context.h"
#include "base/status.h"
#include "base/uuid.h"
#include "meta/meta_store.h"
#include "query/funnels_query.h"

namespace hoglet::api {

// The actions a funnel's steps and exclusions name, each with the field naming it, under
// `field` (the FunnelsQuery's path: "query", "query.source"…).
std::vector<std::pair<int64_t, std::string>> FunnelActions(const query::FunnelsQuery& funnel,
                                                           const std::string& field);

// `spec_json` is the FunnelsQuery object. kInvalidArgument naming the field for a malformed
// query, an action the project does not have, or what this server does not compute yet;
// kDeadlineExceeded past the time limit; kUnavailable (reason "cancelled") once `cancelled` is
// set, or when the store cannot be queried.
StatusOr<std::string> RunFunnelsQuery(const ApiContext& context, const meta::Project& project,
                                      std::string_view spec_json,
                                      const std::atomic<bool>& cancelled);

// The actors behind a point of a funnel or of its correlation: persons, or the groups of
// `group_type_index` (each as its GroupActor, query/trends_runner.h) when the funnel aggregates
// by a group type. Ordered by id.
struct FunnelActorsFound {
  std::vector<Uuid> actors;
  std::optional<int> group_type_index;
};

// The actors behind one step of a funnel: `actors_query` is the FunnelsActorsQuery (its
// `source` the FunnelsQuery, `funnelStep`, `funnelStepBreakdown`), named `field` in errors
// ("query.source" inside an ActorsQuery) (query/funnel_actors.h).
StatusOr<FunnelActorsFound> RunFunnelActors(const ApiContext& context, const meta::Project& project,
                                            simdjson::dom::element actors_query,
                                            const std::string& field,
                                            const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
