// PostHog's TrendsQuery (analytics §3.2) as a typed value, parsed once from its JSON
// (query/trends_query_parser.h); the planner and the engine never look at JSON again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "filters/filter_tree.h"
#include "query/date_range.h"
#include "query/formula.h"
#include "query/interval.h"

namespace hoglet::query {

// What one series computes per bucket.
enum class Math {
  kTotal,          // count()
  kDau,            // distinct persons
  kWeeklyActive,   // distinct persons over the 7 days ending with the bucket
  kMonthlyActive,  // … over 30 days
  kUniqueSession,  // distinct $session_id
  kUniqueGroup,    // distinct non-empty $group_<math_group_type_index>
  kSum,            // of math_property, as a number; values that are not numbers are ignored
  kAvg,
  kMin,
  kMax,
  kMedian,
  kP75,
  kP90,
  kP95,
  kP99,
  kAvgCountPerActor,  // events per person, then aggregated over persons
  kMinCountPerActor,
  kMaxCountPerActor,
  kMedianCountPerActor,
  kP75CountPerActor,
  kP90CountPerActor,
  kP95CountPerActor,
  kP99CountPerActor,
  // Distinct persons counted once, in the bucket of their first event of the series (all time);
  // query/first_times.h says which first event.
  kFirstTimeForUser,
  kFirstMatchingEventForUser,
  // A HogQL aggregate expression (math_hogql, e.g. "avg(properties.$screen_width)") over the
  // bucket's events, evaluated by the HogQL engine (TrendsContext::hogql_math).
  kHogQL,
};

// PostHog's name of a math ("total", "dau", "p90_count_per_actor", …), and back.
std::string_view MathName(Math math);
std::optional<Math> MathFromName(std::string_view name);

// Whether the math reads math_property.
bool MathNeedsProperty(Math math);

// An EventsNode: the events of one name (or of every name) that pass the series' filters; or an
// ActionsNode: the events that match an action's steps.
struct Series {
  std::optional<std::string> event;  // nullopt: all events (or the action's)
  std::optional<int64_t> action_id;  // an ActionsNode
  std::optional<std::string> custom_name;
  Math math = Math::kTotal;
  std::optional<std::string> math_property;
  std::optional<int> math_group_type_index;  // unique_group's group type
  std::optional<std::string> math_hogql;     // math kHogQL's expression
  filters::FilterNode properties;
};

// What a breakdown reads per event: a property of the event, of its person now, or of one of its
// groups (type "event", "person" or "group" with its group type index), or the value of a HogQL
// expression (type "hogql", evaluated by the HogQL engine through TrendsContext::hogql).
struct BreakdownProperty {
  std::string property;  // the property's name; for type "hogql", the expression
  bool person = false;
  std::optional<int> group_type_index;  // type "group"
  bool hogql = false;                   // type "hogql"
  // breakdown_histogram_bin_count: the value read as a number and put into one of this many
  // equal-width bins between the smallest and the largest value of the series' events.
  std::optional<int> histogram_bin_count;
  // breakdown_normalize_url (an item's normalize_url): a property's value read as a URL, its
  // trailing '/', '?' and '#' characters dropped (query/breakdown_keys.h). Not for "hogql" nor
  // histogram bins, as in PostHog.
  bool normalize_url = false;
};

// The id that stands for PostHog's cohort "all" (every person) in Breakdown::cohorts.
inline constexpr int64_t kAllUsersCohort = 0;

// A breakdown by one property (breakdownFilter.breakdown) or by several at once
// (breakdownFilter.breakdowns, up to kMaxBreakdowns): then each value is the list of the
// properties' values. Or, for breakdown_type "cohort", by cohorts: each event counts once for
// every listed cohort its person belongs to (kAllUsersCohort: every person), its value the
// cohort's id as text ("0" for "all").
struct Breakdown {
  std::vector<BreakdownProperty> properties;  // empty for a cohort breakdown
  std::vector<int64_t> cohorts;               // breakdown_type "cohort", in the query's order
  bool multiple = false;                      // from `breakdowns`: values are lists
  size_t limit = 25;                          // breakdown_limit
  bool hide_other = false;

  bool by_cohort() const { return !cohorts.empty(); }
  // Whether a property is read as HogQL or put into histogram bins: what only trends computes.
  bool reads_hogql_or_histogram() const;
};
inline constexpr size_t kMaxBreakdowns = 3;
// Bounds on what a breakdown may ask for.
inline constexpr size_t kMaxBreakdownCohorts = 50;
inline constexpr int kMaxHistogramBins = 1000;
inline constexpr size_t kMaxHogQLBreakdownBytes = 10000;

// A formula over the series (trendsFilter.formulaNodes), shown instead of them.
struct FormulaNode {
  std::string text;  // as written, for the label "Formula (<text>)"
  Formula formula;
  std::optional<std::string> custom_name;
};

// compareFilter: each series also over the previous period, or over the range moved back by
// `compare_to`.
struct Compare {
  std::optional<std::string> compare_to;
};

// Displays that compute one value over the whole range (no time buckets).
enum class Display { kTimeSeries, kCumulative, kTotalValue };

struct TrendsQuery {
  std::vector<Series> series;
  Interval interval = Interval::kDay;
  DateRangeSpec date_range;
  filters::FilterNode properties;  // AND-ed with every series' own
  bool filter_test_accounts = false;
  std::optional<Breakdown> breakdown;
  Display display = Display::kTimeSeries;
  std::string display_name = "ActionsLineGraph";  // as written, echoed in results
  std::vector<FormulaNode> formulas;
  size_t smoothing_intervals = 1;  // each value the floor of the mean of the last k buckets
  std::optional<Compare> compare;
  // Actor maths (dau, weekly/monthly active, *_count_per_actor) count the groups of this type
  // instead of persons; events without such a group are left out of them.
  std::optional<int> aggregation_group_type_index;
  // samplingFactor, when it samples (0 < factor < 1): only the events of the distinct ids in the
  // sample are read, and count-like values are scaled back up (query/sampling.h).
  std::optional<double> sampling_factor;
};

// Group types are numbered 0 to kMaxGroupTypeIndex ($group_0 … $group_4).
inline constexpr int kMaxGroupTypeIndex = 4;

}  // namespace hoglet::query
