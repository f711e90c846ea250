#include "query/funnel_path_windows.h"

#include <bit>
#include <limits>
#include <optional>

#include "base/civil_time.h"
#include "query/date_range.h"
#include "query/funnel_actors.h"
#include "query/funnels_runner.h"

namespace hoglet::query {
namespace {

constexpr int64_t kSecondUs = 1'000'000;

// `instant_us` plus `count` funnel window units, ClickHouse's `+ INTERVAL count unit` on a time in
// `zone`: seconds, minutes and hours are elapsed time, days, weeks and months move the calendar
// (the day of the month clamped to the target month's length) and keep the clock.
int64_t PlusInterval(int64_t instant_us, int64_t count, const std::string& unit, TimeZone zone) {
  if (unit == "second") return instant_us + count * kSecondUs;
  if (unit == "minute") return instant_us + count * 60 * kSecondUs;
  if (unit == "hour") return instant_us + count * 3600 * kSecondUs;
  CivilTime local = CivilTime::FromMicros(instant_us + zone.UtcOffsetMicros(instant_us));
  if (unit == "month") {
    local.AddMonths(count);
  } else {
    local.AddDays(unit == "week" ? 7 * count : count);
  }
  return zone.LocalToUtcMicros(local.ToMicros());
}

}  // namespace

bool FunnelPathWindows::Keeps(const Uuid& person, int64_t timestamp_us) const {
  auto found = windows_.find(person);
  if (found == windows_.end()) return false;
  for (const EventWindow& window : found->second) {
    if (window.from_us <= timestamp_us && timestamp_us <= window.to_us) return true;
  }
  return false;
}

void FunnelPathWindows::Add(const Uuid& person, EventWindow window) {
  std::vector<EventWindow>& windows = windows_[person];
  for (const EventWindow& known : windows) {
    if (known.from_us == window.from_us && known.to_us == window.to_us) return;
  }
  windows.push_back(window);
}

std::optional<EventWindow> FunnelPathWindowOf(const FunnelPaths& paths, uint32_t steps_reached,
                                              const std::vector<int64_t>& step_timestamps_us) {
  const FunnelsQuery& funnel = paths.funnel;
  if (!ActorAtStep(funnel, paths.step, steps_reached)) return std::nullopt;
  // The timestamps are those of the required steps the chain went through, in order.
  auto time_of = [&](size_t step) -> std::optional<int64_t> {
    const uint32_t below = step >= 32 ? ~0u : (1u << step) - 1;
    const auto index = static_cast<size_t>(std::popcount(~funnel.optional_steps & below));
    if ((steps_reached >> step & 1u) == 0 || index >= step_timestamps_us.size()) {
      return std::nullopt;
    }
    return step_timestamps_us[index];
  };
  const size_t target = paths.target_step();
  const std::optional<int64_t> target_us = time_of(target);
  if (!target_us) return std::nullopt;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  switch (paths.type) {
    case FunnelPathType::kBeforeStep:
      return EventWindow{kMin, *target_us};
    case FunnelPathType::kAfterStep:
      if (paths.step < 0) {
        // PostHog adds funnelWindowInterval (14 when absent) of the unit given, in UTC.
        return EventWindow{PlusInterval(*target_us, funnel.window_interval.value_or(14),
                                        funnel.window_unit, TimeZone::Utc()),
                           kMax};
      }
      return EventWindow{*target_us, kMax};
    case FunnelPathType::kBetweenSteps: {
      if (target == 0) return std::nullopt;
      const std::optional<int64_t> previous_us = time_of(target - 1);
      if (!previous_us) return std::nullopt;
      return EventWindow{*previous_us, *target_us};
    }
  }
  return std::nullopt;
}

StatusOr<FunnelPathWindows> RunFunnelPathWindows(const FunnelPaths& paths,
                                                 const TrendsContext& context,
                                                 const store::ScanSource& source, int64_t team_id) {
  FunnelsQuery funnel = paths.funnel;
  funnel.viz = FunnelViz::kSteps;
  HOGLET_ASSIGN_OR_RETURN(DateRange range,
                          DateRange::Resolve(funnel.date_range, funnel.interval, context.clock));
  FunnelPathWindows windows;
  auto observe = [&](const Uuid& actor, const FunnelActorResult& result, size_t) {
    std::optional<EventWindow> window =
        FunnelPathWindowOf(paths, result.steps_reached, result.step_timestamps_us);
    if (window) windows.Add(actor, *window);
  };
  HOGLET_RETURN_IF_ERROR(RunFunnels(funnel, range, context, source, team_id, observe).status());
  return windows;
}

int64_t FunnelPathSessionGapUs(const FunnelsQuery& funnel, TimeZone zone) {
  const int64_t count = funnel.window_interval.value_or(14);
  const std::string unit = funnel.window_interval ? funnel.window_unit : "day";
  CivilTime base;
  base.year = 2018;
  const int64_t base_us = zone.LocalToUtcMicros(base.ToMicros());
  return PlusInterval(base_us, count, unit, zone) - base_us;
}

}  // namespace hoglet::query
