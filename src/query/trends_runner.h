// Runs a TrendsQuery on the embedded engine (analytics §3.2): for each series, a scan of the
// project's parts (store/scan_source.h) that prunes blocks by time and event name, narrows each
// block's rows with the series', the query's and the test-account filters, and folds the rows
// into mergeable aggregate states (query/aggregate.h) per breakdown value and bucket.
//
// Person identity is resolved at query time: an event counts for the person its distinct id
// belongs to now (PersonOverrides), so a merge re-attributes history at once, whatever person
// ingestion stamped on the event.
//
// A series that reads only the events' own columns is scanned by up to
// TrendsContext::scan_threads threads, each over its share of the parts, their states merged.
//
// Thread-safe: a runner holds no state between calls.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "filters/property_value.h"
#include "query/action.h"
#include "query/actor_passes.h"
#include "query/cohort_membership.h"
#include "query/date_range.h"
#include "query/event_persons.h"
#include "query/event_rows.h"
#include "query/group_actor.h"
#include "query/hogql_filters.h"
#include "query/query_budget.h"
#include "query/row_expression.h"
#include "query/trends_query.h"
#include "store/block_reader.h"
#include "store/scan_source.h"

namespace hoglet::query {

inline constexpr std::string_view kBreakdownNullLabel = "$$_posthog_breakdown_null_$$";
inline constexpr std::string_view kBreakdownOtherLabel = "$$_posthog_breakdown_other_$$";

// A breakdown keeps at most this many distinct values per series while it scans (the memory a
// query may take); past it the query is refused and asks for a property with fewer values.
inline constexpr size_t kMaxScannedBreakdownValues = 100'000;

// The key of a breakdown value: the label itself for one property; for several
// (breakdownFilter.breakdowns), the JSON array of their labels, as `breakdown_value` shows it.
std::string BreakdownKey(const Breakdown& breakdown, const std::vector<std::string>& labels);
// The key of the null label and of the Other label: that label for every property.
std::string BreakdownNullKey(const Breakdown& breakdown);
std::string BreakdownOtherKey(const Breakdown& breakdown);

// Whether a cohort breakdown's lines come cohort by cohort in the query's order, each cohort
// unlimited (PostHog runs one query per cohort when there is one cohort, or "all" among them);
// otherwise (several cohorts without "all") they are ranked and limited as property values are.
bool CohortsInQueryOrder(const Breakdown& breakdown);

// A series with math "hogql" as the trends runner hands it to TrendsContext::hogql_math: the
// aggregate to compute over the events that `narrow` keeps (the series' event or action and its,
// the query's and the test-account filters, as the filter engine applies them to a block's rows)
// with from_us <= timestamp <= to_us, per bucket of `range` or in all for total-value displays,
// and per value of `breakdown` when there is one.
struct HogQLMathSeries {
  std::string_view expression;  // Series::math_hogql
  std::string field;            // "query.series[1].math_hogql", for errors
  const DateRange* range = nullptr;
  bool total_value = false;
  int64_t from_us = 0;
  int64_t to_us = 0;
  std::function<Status(store::BlockReader*, store::RowSelection*)> narrow;
  // The query's breakdown (null: none), by event or person properties or HogQL expressions only
  // (the parser refuses the others with math "hogql"); each property's label is PostHog's
  // ifNull(nullIf(toString(value), ''), kBreakdownNullLabel).
  const Breakdown* breakdown = nullptr;
};

// The values of a math "hogql" series for one breakdown value: its key (BreakdownKey of the
// labels; "" without a breakdown) and its value per bucket (one for total-value displays).
struct HogQLMathValues {
  std::string key;
  std::vector<double> values;
};

// What a query runs against, besides the data.
struct TrendsContext {
  ProjectClock clock;
  filters::FilterNode test_account_filters;  // the project's, for filterTestAccounts
  const PersonOverrides* overrides = nullptr;
  // Needed when a filter or the breakdown reads person properties. Used by the calling thread.
  PersonProperties* person_properties = nullptr;
  // Needed when a filter or the breakdown reads group properties. Used by the calling thread.
  GroupProperties* group_properties = nullptr;
  // Needed when a filter is a cohort filter, or the breakdown is by cohort. Used by the calling
  // thread.
  CohortMembership* cohorts = nullptr;
  // Compiles the expressions of HogQL breakdowns (query/row_expression.h); null: such a
  // breakdown is refused. Used by the calling thread.
  const RowExpressionCompiler* hogql = nullptr;
  // The compiled conditions of HogQL property filters (query/hogql_filters.h); null: such a
  // filter is refused. Used by the calling thread.
  HogQLFilters* hogql_filters = nullptr;
  // Checked between blocks: the query stops with its error once the budget is spent.
  const QueryBudget* budget = nullptr;
  // The memory a per-actor insight (funnels, retention, paths) keeps its events in at once
  // (ActorEvents::kBytesPerEvent each); past it its actors are read in several passes
  // (query/actor_passes.h).
  size_t actor_pass_bytes = kActorPassBytes;
  // Threads one series' scan may use, the calling one included: its parts are shared among them
  // and their aggregate states merged. Only scans that read nothing but the events' own columns
  // use more than one (not with person, group, cohort or HogQL filters or breakdowns, histogram
  // bins, first-time maths, or `counted`).
  size_t scan_threads = 1;
  // The actions of the ActionsNode series, by id; an id without an entry matches nothing.
  std::map<int64_t, ResolvedAction> actions;
  // The names of the cohorts a cohort breakdown lists, by id, for the lines' labels.
  std::map<int64_t, std::string> cohort_names;
  // When set, told of every event a series counts: the series' index, its breakdown key (""
  // without a breakdown), the bucket it counts in (0 for total-value displays; each bucket of
  // its window for weekly and monthly active) and the actor it counts for: the person it counts
  // for now, or its group (GroupActor) when the series counts groups, with its number (query/
  // actor_numbers.h: the persons' numbers are the overrides', the groups' this query's). The
  // actors of a point are these; stickiness with criteria on event counts counts through them.
  std::function<void(size_t series, const std::string& label, size_t bucket, const Uuid& actor,
                     uint32_t number)>
      counted;
  // With `counted`: the series' aggregate states are not kept, so RunTrends answers empty lines;
  // for callers that read only what `counted` tells (stickiness with criteria on event counts).
  bool counted_only = false;
  // When set (and `counted` is not), a series that counts distinct actors (dau, weekly and
  // monthly active, unique_group) hands its actors over once scanned, bucket by bucket: the
  // series' index, its breakdown key ("" without a breakdown), the bucket (0 for total-value
  // displays), the numbers of the bucket's actors, ascending, and the numbering they are in
  // (ActorNumbers::ActorsOf gives the persons or groups back). Stickiness and lifecycle read the
  // buckets each actor was active in so, from a scan that may run on several threads and takes
  // runs of rows at once, where `counted` is told of every event on one thread.
  std::function<Status(size_t series, const std::string& label, size_t bucket,
                       const std::vector<uint32_t>& numbers, const ActorNumbers& numbering)>
      bucket_actors;
  // Computes a series with math "hogql": its value per bucket of the range (one value for
  // total-value displays; 0 where the aggregate is NULL), for each breakdown value that has
  // events (exactly one entry, key "", without a breakdown). Unset: such a series is refused with
  // kInvalidArgument. When `counted` is set, such a series is scanned as "total" instead: its
  // actors are the persons of its events.
  std::function<StatusOr<std::vector<HogQLMathValues>>(const HogQLMathSeries&)> hogql_math;
};

// Whether scans on several threads may share `context` to narrow by `filters`: they read only
// the events' own columns (event and element filters), and persons' properties when those are
// all in memory already (PersonsReadByThreads). A per-actor insight runs on several threads only
// when all its filters are so read.
bool ReadByThreads(const filters::FilterNode& filters, const TrendsContext& context);
// The same for the steps' filters of the action `action_id` (an unknown action matches nothing).
bool ActionReadByThreads(int64_t action_id, const TrendsContext& context);
// Whether the persons' properties are all in memory (PersonProperties::SharedByThreads).
bool PersonsReadByThreads(const TrendsContext& context);

// What the filters of a query run with `context` read besides the block (query/event_rows.h):
// its clock, persons, groups, cohorts, HogQL filters and actions. Points into `context`, which
// must outlive it.
EventRowsContext EventRowsContextOf(const TrendsContext& context);

// One line of the answer: a series (or a formula over the series), for one breakdown value, over
// the query's range or the period it is compared with.
struct TrendsLine {
  size_t series = 0;              // index into TrendsQuery::series
  std::optional<size_t> formula;  // index into TrendsQuery::formulas, for a formula's line
  bool previous = false;          // over the period compared with (compareFilter)
  std::optional<std::string> breakdown_value;  // BreakdownKey: a JSON array for several
  std::vector<double> data;                    // per bucket; empty for total-value displays
  double count = 0;                            // sum of data (the last value when cumulative)
  double aggregated_value = 0;                 // total-value displays
};

struct TrendsResult {
  std::vector<TrendsLine> lines;
  bool has_more = false;  // a breakdown had more values than its limit
};

// kInvalidArgument for a date range that cannot be resolved; errors of the store otherwise.
StatusOr<TrendsResult> RunTrends(const TrendsQuery& query, const DateRange& range,
                                 const TrendsContext& context, const store::ScanSource& source,
                                 int64_t team_id);

}  // namespace hoglet::query
