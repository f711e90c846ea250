// PostHog's RetentionQuery (analytics §3.4) as a typed value, parsed once from its JSON
// (query/retention_query_parser.h); the engine never looks at JSON again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "filters/filter_tree.h"
#include "query/date_range.h"
#include "query/interval.h"
#include "query/trends_query.h"

namespace hoglet::query {

// Which periods an actor starts a cohort in (retentionFilter.retentionType).
enum class RetentionType {
  kRecurring,            // every period with a start event
  kFirstTime,            // only the period of the first start event ever (matching the filters)
  kFirstEverOccurrence,  // the period of the first start event ever, if it matches the filters
};

// How returns are measured (retentionFilter.timeWindowMode).
enum class RetentionWindow {
  kCalendar,  // strict_calendar_dates: the calendar periods of the project's zone
  // 24_hour_windows: one cohort per actor, at its first start event (t0); a return counts in
  // window k when it comes k windows after t0 (hours of 1, days of 24 hours, weeks of 7 local
  // days, months of 30 local days, counted as PostHog's dateDiff counts boundaries).
  k24HourWindows,
};

// What a cell holds besides its actors (retentionFilter.aggregationType).
enum class RetentionAggregation {
  kCount,  // only the actors
  kSum,    // the sum of the aggregation property over the cell's start or returning events
  kAvg,    // that sum divided by the cell's actors
};

struct RetentionQuery {
  // The start (cohorting) and returning events or actions, each with its own property filters;
  // $pageview by default. Their math fields are unused.
  Series target;
  Series returning;
  RetentionType type = RetentionType::kRecurring;
  Interval period = Interval::kDay;  // hour, day, week or month
  int64_t total_intervals = 8;       // the offsets each cohort is followed for (lookahead)
  int64_t minimum_occurrences = 1;   // returning events a period needs to count as a return
  bool cumulative = false;           // a return at offset k counts at every offset 1…k
  RetentionWindow window = RetentionWindow::kCalendar;
  // retentionCustomBrackets: when not empty, the columns are offset 0 then one per bracket, a
  // bracket of n periods following the one before it ([1, 2, 4]: periods 1, 2–3, 4–7), each
  // counted from the actor's first start period in the range.
  std::vector<int64_t> brackets;
  RetentionAggregation aggregation = RetentionAggregation::kCount;
  // The property summed by kSum and kAvg: an event property, or the person's when
  // aggregation_person_property. Values that are not numbers count as 0.
  std::string aggregation_property;
  bool aggregation_person_property = false;
  DateRangeSpec date_range;
  filters::FilterNode properties;  // AND-ed with both entities' own
  bool filter_test_accounts = false;
  // The actor is this group type's group ($group_<index>) instead of the person; events without
  // such a group are left out.
  std::optional<int> aggregation_group_type_index;
  // One event, person or group property: each value gets its own cohort table, an actor's
  // events grouped by their value (a missing value is ""); past its limit the values are summed
  // into the Other label.
  std::optional<Breakdown> breakdown;
};

// The columns of each cohort: total_intervals, or one more than the brackets.
inline int64_t RetentionColumns(const RetentionQuery& query) {
  return query.brackets.empty() ? query.total_intervals
                                : static_cast<int64_t>(query.brackets.size()) + 1;
}

}  // namespace hoglet::query
