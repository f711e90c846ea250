// PostHog's LifecycleQuery (analytics §3.7) as a typed value, parsed once from its JSON
// (query/lifecycle_query_parser.h): per period, the persons who were new, returning,
// resurrecting or dormant. The engine never looks at JSON again.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "query/trends_query.h"

namespace hoglet::query {

// In the order of the answer.
enum class LifecycleStatus { kNew, kReturning, kResurrecting, kDormant };
inline constexpr LifecycleStatus kLifecycleStatuses[] = {
    LifecycleStatus::kNew, LifecycleStatus::kReturning, LifecycleStatus::kResurrecting,
    LifecycleStatus::kDormant};

// "new", "returning", "resurrecting", "dormant", and back (nullopt for anything else).
std::string_view LifecycleStatusName(LifecycleStatus status);
std::optional<LifecycleStatus> LifecycleStatusFromName(std::string_view name);

struct LifecycleQuery {
  // The parts lifecycle shares with trends: its one series (counting persons, or the groups of
  // aggregation_group_type_index; the parser adds the filter that leaves personless events out),
  // interval, dateRange, properties, filterTestAccounts and aggregation_group_type_index.
  TrendsQuery trends;
  // lifecycleFilter.toggledLifecycles: display only (every status is answered), kept as read.
  std::vector<LifecycleStatus> toggled;
};

}  // namespace hoglet::query
