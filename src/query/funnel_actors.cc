#include "query/funnel_actors.h"

#include <algorithm>
#include <map>
#include <set>

#include "query/funnels_runner.h"

namespace hoglet::query {

bool ActorAtStep(const FunnelsQuery& query, int64_t funnel_step, uint32_t steps_reached) {
  if (funnel_step > 0) return (steps_reached >> (funnel_step - 1) & 1u) != 0;
  // A drop-off at step k (0-based): PostHog skips the optional steps before it.
  const auto target = static_cast<size_t>(-funnel_step - 1);
  size_t prior_required = 0;
  for (size_t i = target; i-- > 0;) {
    if ((query.optional_steps >> i & 1u) == 0) {
      prior_required = i;
      break;
    }
  }
  return (steps_reached >> prior_required & 1u) != 0 && (steps_reached >> target & 1u) == 0;
}

StatusOr<std::vector<Uuid>> FunnelActors(const FunnelsQuery& query, const FunnelActorsPoint& point,
                                         const DateRange& range, const TrendsContext& context,
                                         const store::ScanSource& source, int64_t team_id,
                                         const std::string& field) {
  const auto steps = static_cast<int64_t>(query.steps.size());
  const bool trends = query.viz == FunnelViz::kTrends;
  if (point.entrance_local_us.has_value() != trends) {
    return InvalidArgumentError(
        trends ? field +
                     ".funnelTrendsEntrancePeriodStart: the actors of a trends funnel are "
                     "those of one entry period"
               : field +
                     ".funnelTrendsEntrancePeriodStart: an entry period lists the actors of "
                     "a trends funnel (funnelVizType \"trends\")",
        "invalid_input");
  }
  std::optional<size_t> bucket;
  if (trends) {
    const std::vector<int64_t>& starts = range.bucket_starts();
    auto found = std::find(starts.begin(), starts.end(), range.BucketOf(*point.entrance_local_us));
    if (found == starts.end()) {
      return InvalidArgumentError(field +
                                      ".funnelTrendsEntrancePeriodStart: not a period of the "
                                      "funnel's date range",
                                  "invalid_input");
    }
    bucket = static_cast<size_t>(found - starts.begin());
  } else if (point.funnel_step == 0 || point.funnel_step == -1 || point.funnel_step > steps ||
             point.funnel_step < -steps) {
    return InvalidArgumentError(field + ".funnelStep: must be 1…" + std::to_string(steps) +
                                    " (reached the step) or −2…−" + std::to_string(steps) +
                                    " (dropped off before it); steps are 1-based",
                                "invalid_input");
  }
  if (point.breakdown && !query.breakdown) {
    return InvalidArgumentError(field + ".funnelStepBreakdown: the funnel has no breakdown",
                                "invalid_input");
  }
  if (query.viz == FunnelViz::kTimeToConvert) {
    return InvalidArgumentError(field + ".source.funnelsFilter.funnelVizType: funnelStep lists " +
                                    "the actors of a steps funnel",
                                "invalid_input");
  }

  struct Reached {
    Uuid actor;
    size_t step = 0;     // the furthest required step (0-based)
    uint32_t steps = 0;  // bit k: went through step k
  };
  std::map<std::string, std::vector<Reached>> by_value;
  auto observe = [&](const Uuid& actor, const FunnelActorResult& result, size_t entry_bucket) {
    if (bucket && entry_bucket != *bucket) return;
    by_value[result.breakdown].push_back({actor, result.step_reached, result.steps_reached});
  };
  HOGLET_ASSIGN_OR_RETURN(FunnelsResult result,
                          RunFunnels(query, range, context, source, team_id, observe));

  // The values the point stands for: one, or those folded into Other.
  std::set<std::string> kept;
  for (const FunnelLine& line : result.lines) kept.insert(line.breakdown_value);
  if (result.trends) {
    for (const FunnelTrendsLine& line : result.trends->lines) kept.insert(line.breakdown_value);
  }
  const bool other = query.breakdown && point.breakdown && *point.breakdown == kFunnelOtherLabel &&
                     !by_value.contains(std::string(kFunnelOtherLabel));
  std::set<Uuid> actors;
  for (const auto& [value, reached] : by_value) {
    const bool wanted =
        !point.breakdown || (other ? !kept.contains(value) : value == *point.breakdown);
    if (!wanted) continue;
    for (const Reached& one : reached) {
      bool in = false;
      if (trends) {
        in = point.drop_off ? one.step >= query.from_step && one.step < query.to_step
                            : one.step >= query.to_step;
      } else {
        in = ActorAtStep(query, point.funnel_step, one.steps);
      }
      if (in) actors.insert(one.actor);
    }
  }
  return std::vector<Uuid>(actors.begin(), actors.end());
}

}  // namespace hoglet::query
