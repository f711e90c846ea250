// Which persons, and which of their events, the paths of a funnel step read (a PathsQuery's
// funnelPathsFilter, analytics §3.5), as PostHog's paths query joins its events to the funnel's
// actors. The funnel source runs as its steps display (query/funnels_runner.h, over its own date
// range); its actors at funnelStep are the persons (query/funnel_actors.h: ActorAtStep), and each
// reads the events within a window timed by its furthest chain's steps, both ends included:
//   funnel_path_before_step     up to the target step's event
//   funnel_path_after_step      from the target step's event; for a drop-off (funnelStep −k) from
//                               that time plus the funnel's conversion window
//   funnel_path_between_steps   from the event of the step before the target to the target's
// where the target step is step k for funnelStep k and step k−1 (the last one reached) for −k.
// Those persons' sessions split at gaps of the funnel's conversion window (FunnelPathSessionGapUs)
// instead of 30 minutes.
//
// A person counted under several breakdown values has a window per value; an event in any of them
// is read once. (PostHog joins the events once per value, and the repeated events collapse into
// the same path items where the windows agree.)
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(FunnelPathWindows windows,
//                           RunFunnelPathWindows(*query.funnel_paths, context, source, team));
//   if (windows.Keeps(person, timestamp_us)) …
//
// Thread-safe: pure over its arguments; a FunnelPathWindows is immutable once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/time_zone.h"
#include "base/uuid.h"
#include "query/funnels_query.h"
#include "query/paths_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

// Instants, both included.
struct EventWindow {
  int64_t from_us = 0;
  int64_t to_us = 0;
};

class FunnelPathWindows {
 public:
  // Whether the person is one of the step's.
  bool HasPerson(const Uuid& person) const { return windows_.contains(person); }

  // Whether the person's event at `timestamp_us` is read.
  bool Keeps(const Uuid& person, int64_t timestamp_us) const;

  size_t persons() const { return windows_.size(); }

  // Adds a window of `person`'s.
  void Add(const Uuid& person, EventWindow window);

 private:
  std::unordered_map<Uuid, std::vector<EventWindow>, UuidHash> windows_;
};

// Runs the funnel and times each of its persons' windows. `context` is the one the paths run with
// (its actions include the funnel's). The store's and the budget's errors, and kInvalidArgument
// for a funnel date range that cannot be resolved or a funnel that would need more than
// kMaxActorShares passes.
StatusOr<FunnelPathWindows> RunFunnelPathWindows(const FunnelPaths& paths,
                                                 const TrendsContext& context,
                                                 const store::ScanSource& source, int64_t team_id);

// The window of one person whose furthest chain went through `steps_reached`
// (FunnelActorResult), timed by the chain's required steps `step_timestamps_us`; nullopt when the
// person is not one of funnelStep's.
std::optional<EventWindow> FunnelPathWindowOf(const FunnelPaths& paths, uint32_t steps_reached,
                                              const std::vector<int64_t>& step_timestamps_us);

// The gap that starts a new session in funnel paths, PostHog's
// `toDateTime('2018-01-01') + INTERVAL <funnelWindowInterval> <unit>` less that date, read in the
// project's zone (a month or a day there is a calendar one); 14 days when funnelWindowInterval is
// not given, whatever the unit.
int64_t FunnelPathSessionGapUs(const FunnelsQuery& funnel, TimeZone zone);

}  // namespace hoglet::query
