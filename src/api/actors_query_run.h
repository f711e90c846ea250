// An ActorsQuery over an InsightActorsQuery (or an InsightActorsQuery alone): the persons behind
// one point of a trends insight (query/trends_actors.h), with the number of their events the
// point counted; behind an edge, node or drop-off of a paths insight (its pathsFilter's
// pathStartKey, pathEndKey, pathDropoffKey; query/paths_runner.h), with the number of their
// matching steps; the cohort of a retention insight (query/retention_runner.h); or one bar of a
// StickinessQuery (`day`: the number of intervals; query/stickiness_runner.h) or of a
// LifecycleQuery (`status` on `day`; query/lifecycle_runner.h), with an event_count of 0. An
// ActorsQuery over a FunnelsActorsQuery lists a funnel step's persons, over a
// FunnelCorrelationActorsQuery those of a correlation row. The actors are groups
// where PostHog's actors query lists groups: a retention or lifecycle with
// aggregation_group_type_index, a trends or stickiness series with math unique_group
// (api/group_actors.h). In PostHog's ActorsQuery response shape: `results` (rows of the
// `select` columns: `actor` / `person` / `group` the person object of api/person_json.h or the
// group object of api/group_actors.h, `id` its UUID or key, `event_count`), `columns`, `types`,
// `hasMore`, `limit`, `offset`, `missing_actors_count` (actors without a person or group
// record), `timings`, `hogql`, `modifiers`, `error` (the caller adds the cache fields).
//
// Thread safety: call from any thread; one call uses its objects on the calling thread.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// `spec_json` is the ActorsQuery or InsightActorsQuery object. kInvalidArgument naming the
// field for a malformed query or what this server does not compute yet (an insight kind without
// actors here, actors of sessions or of a trends series over the query's aggregation group);
// kDeadlineExceeded past the time limit; kUnavailable (reason "cancelled") once `cancelled` is set,
// or when the store cannot be queried.
StatusOr<std::string> RunActorsQuery(const ApiContext& context, const meta::Project& project,
                                     std::string_view spec_json,
                                     const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
