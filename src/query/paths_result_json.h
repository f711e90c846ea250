// A paths answer in PostHog's shape (analytics §3.5): the `results` of a PathsQuery response,
//   [{"source": "1_/home", "target": "2_/pricing", "value": 3,
//     "average_conversion_time": 45000.0}, …]
// in the runner's order (weight descending, then source, then target); conversion times in ms.
#pragma once

#include <vector>

#include "base/json_writer.h"
#include "query/paths_runner.h"

namespace hoglet::query {

void WritePathsResults(const std::vector<PathEdge>& edges, JsonWriter* w);

}  // namespace hoglet::query
