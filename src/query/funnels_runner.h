// Runs a FunnelsQuery on the embedded engine (analytics §3.3): a scan of the project's parts
// over the date range keeps the events that match a step or an exclusion (every event, for strict
// funnels) and pass the query's and test-account filters, flags each with the steps and
// exclusions it matches, groups them by actor (the person each event's distinct id belongs to
// now, or the group of aggregation_group_type_index) in time order and runs the funnel of each
// actor (query/funnel_actor.h); when the events take more than the context's actor_pass_bytes,
// the actors are split into shares read one pass each (query/actor_passes.h). The actors' results
// are aggregated per breakdown value: how many reached each step, and the mean and median of the
// non-zero conversion times from the step before, as PostHog's funnel query computes them.
//
// Thread-safe: a runner holds no state between calls.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "query/date_range.h"
#include "query/funnel_trends.h"
#include "query/funnels_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

// The label PostHog gives the breakdown values past breakdown_limit in a funnel.
inline constexpr std::string_view kFunnelOtherLabel = "Other";

struct FunnelStepResult {
  int64_t count = 0;  // actors who reached this step
  // Seconds from the previous step, over the actors who reached this step with a conversion
  // time above zero; nullopt for the first step and when there is none.
  std::optional<double> average_conversion_s;
  std::optional<double> median_conversion_s;
};

// The steps of one breakdown value ("" without a breakdown, or for actors without a value).
struct FunnelLine {
  std::string breakdown_value;
  std::vector<FunnelStepResult> steps;
};

// funnelVizType time_to_convert: the actors who reached to_step, by their time from from_step.
struct FunnelTimeToConvert {
  std::vector<std::pair<int64_t, int64_t>> bins;  // (bin start in seconds, actors)
  std::optional<double> average_conversion_s;     // nullopt when no actor converted
};

struct FunnelsResult {
  // In PostHog's order: by the count of the last step, then of the step before…, descending.
  // Empty when no actor entered the funnel.
  std::vector<FunnelLine> lines;
  std::optional<FunnelTimeToConvert> time_to_convert;  // for FunnelViz::kTimeToConvert
  std::optional<FunnelTrendsResult> trends;            // for FunnelViz::kTrends (lines empty)
};

// The median as ClickHouse's `median` computes it: the midpoint of the two middle values of an
// even count. `values` is reordered. nullopt when empty.
std::optional<double> InterpolatedMedian(std::vector<double>* values);

// PostHog's histogram of conversion times (seconds): `bin_count` bins, or ceil(∛n) clamped to
// 1…60; the first bin starts at the floor of the shortest time, each is the ceiling of
// (longest − shortest) / bins wide (60 s when that is 0), and one more bin closes the range.
FunnelTimeToConvert TimeToConvertBins(const std::vector<double>& times_s,
                                      std::optional<int> bin_count);

// Told each actor's result as the funnel counts it (an actor counted under several breakdown
// values is told once per value; for funnel trends, once per entry bucket, its index given):
// what the funnel's actors (query/funnel_actors.h) collect.
using FunnelActorObserver =
    std::function<void(const Uuid& actor, const FunnelActorResult&, size_t entry_bucket)>;

// `context` is the one trends runs with: clock, overrides, person and group properties, cohorts,
// actions, test-account filters and budget (its `counted` is not called). `observer`, when set,
// is told every actor's result. kInvalidArgument for a funnel that would need more than
// kMaxActorShares passes; the budget's and the store's errors otherwise.
StatusOr<FunnelsResult> RunFunnels(const FunnelsQuery& query, const DateRange& range,
                                   const TrendsContext& context, const store::ScanSource& source,
                                   int64_t team_id, const FunnelActorObserver& observer = nullptr);

}  // namespace hoglet::query
