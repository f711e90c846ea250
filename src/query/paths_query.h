// PostHog's PathsQuery (analytics §3.5) as a typed value, parsed once from its JSON
// (query/paths_query_parser.h); the engine never looks at JSON again.
//
// Example: the paths of page views from "/home", three steps deep:
//   {"kind": "PathsQuery", "dateRange": {"date_from": "-7d"},
//    "pathsFilter": {"includeEventTypes": ["$pageview"], "startPoint": "/home", "stepLimit": 3}}
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "filters/filter_tree.h"
#include "query/date_range.h"
#include "query/funnels_query.h"

namespace re2 {
class RE2;
}

namespace hoglet::query {

// A replaceRegexpAll applied to every path item (pathsFilter.localPathCleaningFilters, after the
// project's own when pathReplacements is set): `alias` may name groups as \1…\9 (\0: the match).
struct PathCleaning {
  std::string regex;
  std::string alias;
  std::shared_ptr<const re2::RE2> compiled;
};

// pathsFilter.pathGroupings: an item containing the pattern ('*' matches anything) becomes the
// pattern itself; the first pattern that matches wins.
struct PathGrouping {
  std::string pattern;
  std::shared_ptr<const re2::RE2> compiled;  // the pattern quoted, '*' as ".*", unanchored
};

// The actors of one edge or node of the answer (pathStartKey, pathEndKey, pathDropoffKey, read
// by InsightActorsQuery); every field empty for the edges themselves.
struct PathActorKeys {
  std::optional<std::string> start;    // "2_/pricing": the edge leaves this node
  std::optional<std::string> end;      // "3_/signup": the edge enters this node
  std::optional<std::string> dropoff;  // "3_/signup": the session's path ends at this node
};

// funnelPathsFilter.funnelPathType: which events of a funnel step's persons make their paths.
enum class FunnelPathType {
  kBeforeStep,    // funnel_path_before_step: up to the target step
  kAfterStep,     // funnel_path_after_step: from the target step (a drop-off: from the end of the
                  // conversion window after it)
  kBetweenSteps,  // funnel_path_between_steps: from the step before the target to the target
};

// funnelPathsFilter: the paths of the persons at one step of a funnel
// (query/funnel_path_windows.h). Example: {"funnelSource": {"kind": "FunnelsQuery", "series":
// [...]},
//           "funnelPathType": "funnel_path_after_step", "funnelStep": -2}
// reads, for each person who did step 1 and not step 2, the events from the end of the
// conversion window after their step 1.
struct FunnelPaths {
  FunnelsQuery funnel;  // funnelSource
  FunnelPathType type = FunnelPathType::kBeforeStep;
  // 1-based, as a FunnelsActorsQuery's funnelStep: k, the persons who reached step k (the target
  // step); −k, those who reached step k−1 and not step k (the target step is k−1).
  int64_t step = 1;

  // The 0-based step whose event times the paths: step k for k (0-based k−1), step k−1 for −k
  // (0-based k−2), as PostHog's funnel actors time them. `step` must be a valid one.
  size_t target_step() const { return static_cast<size_t>(step > 0 ? step - 1 : -step - 2); }
};

struct PathsQuery {
  DateRangeSpec date_range;
  filters::FilterNode properties;
  bool filter_test_accounts = false;

  // The events read (includeEventTypes "$pageview", "$screen", "custom_event": events whose name
  // does not start with $). With none of the three (no includeEventTypes, or only "hogql"),
  // every event is read.
  bool read_pageviews = false;
  bool read_screens = false;
  bool read_custom_events = false;
  bool ReadsEveryEvent() const { return !read_pageviews && !read_screens && !read_custom_events; }

  // How an event becomes a path item: a $pageview its $current_url without one trailing '/', a
  // $screen its $screen_name, when those types are included (or no type is listed); any other
  // event its name, or the event property `hogql_property` (pathsHogQLExpression).
  bool pageview_urls = true;
  bool screen_names = true;
  std::optional<std::string> hogql_property;
  std::vector<std::string> exclude_items;  // excludeEvents: path items left out of every path

  std::optional<std::string> start_point;
  std::optional<std::string> end_point;
  int64_t step_limit = 5;   // items kept per session path
  int64_t edge_limit = 50;  // edges in the answer, by weight
  std::optional<int64_t> min_edge_weight;
  std::optional<int64_t> max_edge_weight;

  std::vector<PathCleaning> cleaning;
  std::vector<PathGrouping> groupings;

  PathActorKeys actor_keys;

  // With a funnel source, only its step's persons and their events around the step are read, and
  // their sessions split at gaps of the funnel's conversion window instead of 30 minutes.
  std::optional<FunnelPaths> funnel_paths;
};

}  // namespace hoglet::query
