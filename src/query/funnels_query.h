// PostHog's FunnelsQuery (analytics §3.3) as a typed value, parsed once from its JSON
// (query/funnels_query_parser.h); the engine never looks at JSON again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "filters/filter_tree.h"
#include "query/date_range.h"
#include "query/funnel_actor.h"
#include "query/interval.h"
#include "query/trends_query.h"

namespace hoglet::query {

// An exclusion (funnelsFilter.exclusions[]): an event (or action) that removes the actor from the
// funnel when it happens while the actor's chain waits between step `from_step` and `to_step`.
struct FunnelExclusion {
  Series node;           // its event or action and its own property filters
  size_t from_step = 0;  // funnelFromStep, 0-based
  size_t to_step = 0;    // funnelToStep, 0-based, > from_step
};

// What the answer shows (funnelsFilter.funnelVizType).
enum class FunnelViz { kSteps, kTimeToConvert, kTrends };

struct FunnelsQuery {
  // The steps, in order: each an EventsNode or ActionsNode with its own property filters (their
  // math fields are ignored, as PostHog ignores them in funnels).
  std::vector<Series> steps;
  // Bit k: step k may be skipped (its node's optionalInFunnel). Never step 0; only for ordered
  // and strict funnels shown as steps, as PostHog allows them.
  uint32_t optional_steps = 0;
  DateRangeSpec date_range;
  Interval interval = Interval::kDay;
  filters::FilterNode properties;  // AND-ed with every step's and exclusion's own
  bool filter_test_accounts = false;
  // One event, person or group property; its limit counts the values kept, the rest "Other".
  std::optional<Breakdown> breakdown;
  // The actor is this group type's group ($group_<index>) instead of the person; events without
  // such a group are left out.
  std::optional<int> aggregation_group_type_index;

  FunnelOrder order = FunnelOrder::kOrdered;
  FunnelViz viz = FunnelViz::kSteps;
  int64_t window_us = 14LL * 86'400'000'000;  // funnelWindowInterval × funnelWindowIntervalUnit
  // funnelWindowInterval and funnelWindowIntervalUnit as given (window_us reads a month as 30
  // days); funnel paths (query/funnel_path_windows.h) read them as calendar intervals.
  std::optional<int64_t> window_interval;  // nullopt: not given (14)
  std::string window_unit = "day";         // second, minute, hour, day, week or month
  std::vector<FunnelExclusion> exclusions;
  FunnelAttribution attribution = FunnelAttribution::kFirstTouch;
  size_t attribution_step = 0;  // breakdownAttributionValue, for kStep
  // time_to_convert: the conversion times from this step to that one (0-based); trends: the
  // conversion rate from this step to that one.
  size_t from_step = 0;
  size_t to_step = 0;
  std::optional<int> bin_count;  // time_to_convert's bins, clamped to 1…90; nullopt: automatic
};

}  // namespace hoglet::query
