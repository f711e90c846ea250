// A funnel answer in PostHog's shape (analytics §3.3): the `results` of a FunnelsQuery response.
//   steps, no breakdown: [{"action_id": "signup", "name": "signup", "custom_name": null,
//     "order": 0, "people": [], "count": 5, "type": "events", "average_conversion_time": null,
//     "median_conversion_time": null, "converted_people_url": "…", "dropped_people_url": null},
//     …one per step]
//   steps with a breakdown: a list of such lists, one per breakdown value, each step carrying
//     "breakdown" and "breakdown_value";
//   time_to_convert: {"bins": [[seconds, actors], …], "average_conversion_time": seconds};
//   trends: [{"count": buckets, "data": [conversion %, …], "days": ["2024-01-01", …],
//     "labels": ["1-Jan-2024", …]}, …one per breakdown value, with "breakdown_value"].
// Unordered funnels name their steps "Completed 1 step", "Completed 2 steps"…, without an
// action_id.
#pragma once

#include <cstdint>
#include <map>

#include "base/json_writer.h"
#include "query/event_rows.h"
#include "query/funnels_query.h"
#include "query/funnels_runner.h"

namespace hoglet::query {

// `actions`: the actions of the ActionsNode steps, by id, for their names.
void WriteFunnelsResults(const FunnelsQuery& query,
                         const std::map<int64_t, ResolvedAction>& actions,
                         const FunnelsResult& result, JsonWriter* w);

}  // namespace hoglet::query
