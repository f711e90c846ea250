// One person's paths in a PathsQuery (analytics §3.5, steps 2–3): the person's events, in time
// order, are split into sessions wherever the gap to the previous event is 30 minutes or more;
// within a session consecutive repeats of an item collapse into one (timed at the last of them,
// as PostHog times them; a trailing run of "" items is dropped); the path is cut to start at the
// first startPoint and to end at the first endPoint after it (sessions without them are left
// out); then stepLimit items are kept: the first ones, the last ones when only endPoint is set,
// or the first and last halves around a "..." when both points are.
//
// Example:
//   std::vector<SessionPath> paths;
//   SessionPathsOf(query, person_events, &paths);  // person_events sorted by (time, item)
//
// Pure functions; call them from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/paths_query.h"

namespace hoglet::query {

// PostHog's SESSION_TIME_THRESHOLD_DEFAULT_SECONDS: a gap this long or longer starts a session.
inline constexpr int64_t kPathSessionGapUs = 30LL * 60 * 1'000'000;

// The item PostHog puts where stepLimit elides the middle of a path between two points.
inline constexpr std::string_view kPathElision = "...";

// Items are views of text the caller keeps while it reads the paths.
struct PathEvent {
  int64_t timestamp_us = 0;
  std::string_view item;  // after cleaning (query/path_items.h)
};

// One session's path as the answer counts it: items[i] is node "<i+1>_<items[i]>", reached at
// times_us[i].
struct SessionPath {
  std::vector<std::string_view> items;
  std::vector<int64_t> times_us;
};

// Appends the paths of one person's sessions to `out`. `events` are the person's events sorted
// by (timestamp, item); a gap of `session_gap_us` or more between two starts a session (funnel
// paths split at the funnel's conversion window, query/funnel_path_windows.h).
void SessionPathsOf(const PathsQuery& query, const std::vector<PathEvent>& events,
                    std::vector<SessionPath>* out, int64_t session_gap_us = kPathSessionGapUs);

// The node name of the step at 0-based `index` of a path: "<index+1>_<item>".
std::string PathNode(size_t index, std::string_view item);

}  // namespace hoglet::query
