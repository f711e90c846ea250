// Runs a RetentionQuery on the embedded engine (analytics §3.4): one scan of the project's parts
// keeps the events that pass the query's and test-account filters and match the start or the
// returning entity, each with the actor it counts for (the person its distinct id belongs to now,
// or the group of aggregation_group_type_index) and its period. Per actor, the periods it starts
// a cohort in (every period with a start event for recurring retention; the period of its first
// start event ever for first-time retention) are followed for total_intervals periods: offset 0
// is the cohort size, offset k counts the actor when it returned (at least
// minimum_occurrences returning events) k periods after the start. A return in the start period
// is not a return. With a breakdown, an actor's events are grouped by their value (as PostHog
// groups by actor and value) and each value gets its own table. Brackets, sums and averages and
// 24 hour windows are counted per actor as query/retention_cohorts.h describes; with 24 hour
// windows, first-time retention reads the returns after the range too, as PostHog does.
//
// The range (RetentionRange) is PostHog's: it ends at the start of the period after date_to
// (exclusive) and starts at the start of date_from's period, or total_intervals periods before
// its end when date_from is absent. First-time retention reads every event before the range too.
//
// Thread-safe: a runner holds no state between calls.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(DateRange range, RetentionRange(query, clock));
//   HOGLET_ASSIGN_OR_RETURN(RetentionResult result,
//                           RunRetention(query, range, context, source, team_id));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "query/date_range.h"
#include "query/retention_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

// The most cells (cohorts × total_intervals) one answer holds.
inline constexpr size_t kMaxRetentionCells = 1'000'000;

// counts[c][k]: the actors of the cohort starting in period c counted at offset k; one row per
// period of the range, RetentionColumns(query) entries each (zeros past the range's end).
using RetentionTable = std::vector<std::vector<int64_t>>;

// values[c][k]: with a sum or average, the aggregation property's sum (or that sum divided by
// counts[c][k]) in the same cell; empty otherwise.
using RetentionValues = std::vector<std::vector<double>>;

struct RetentionBreakdownLine {
  std::string value;  // "" for a missing value; kBreakdownOtherLabel for the values past the limit
  RetentionTable counts;
  RetentionValues values;  // the Other line sums its values' cells, averages included
};

struct RetentionResult {
  RetentionTable counts;  // without a breakdown
  RetentionValues values;
  // With a breakdown: by the size of their cohorts (offset 0, summed), largest first, then by
  // value; the values past the limit summed into the Other line, last.
  std::vector<RetentionBreakdownLine> breakdowns;
};

// An actor of one cohort (PostHog's InsightActorsQuery over a RetentionQuery with `interval`):
// the offsets (columns) it was counted at, 0 (the start) first. `actor` is the person, or the
// group's GroupActor with aggregation_group_type_index; `group_key` is then the group's key.
struct RetentionActor {
  Uuid actor;
  std::vector<int64_t> appearances;
  std::string group_key;
};

// The cohort periods of `query` resolved against `clock`: bucket_starts() are the periods' local
// starts, from_us()…to_us() the instants read. kInvalidArgument for a bad date or too many cells.
StatusOr<DateRange> RetentionRange(const RetentionQuery& query, const ProjectClock& clock);

// `context` is the one trends runs with: clock, overrides, person and group properties, cohorts,
// actions, test-account filters and budget (its `counted` is not called). Past the context's
// actor_pass_bytes the actors are read in several passes (query/actor_passes.h);
// kInvalidArgument when that would take more than kMaxActorShares passes; the budget's and the
// store's errors otherwise.
StatusOr<RetentionResult> RunRetention(const RetentionQuery& query, const DateRange& range,
                                       const TrendsContext& context,
                                       const store::ScanSource& source, int64_t team_id);

// The actors of the cohort at period index `cohort`, most appearances first, then by actor.
// With `breakdown` (a breakdown value as the results' breakdown_value spells it, "" for a
// missing value), only the actors counted under that value, with the offsets they were counted
// at there; a value the retention did not see (PostHog's Other label among them) lists nobody,
// as PostHog's filter on the value does. Without it, an actor counted under several values is
// listed once, with the offsets of all. kInvalidArgument for a cohort outside the range or a
// breakdown value on a query without breakdown; RunRetention's errors otherwise.
StatusOr<std::vector<RetentionActor>> RetentionActors(
    const RetentionQuery& query, const DateRange& range, const TrendsContext& context,
    const store::ScanSource& source, int64_t team_id, size_t cohort,
    const std::optional<std::string>& breakdown = std::nullopt);

}  // namespace hoglet::query
