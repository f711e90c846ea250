// PostHog's RetentionQuery (analytics §3.4) as a typed value, parsed once from its JSON
// (query/retention_query_parser.h); the engine never looks at JSON again.
#pragma once

#include <cstdint>
#include <optional>

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

}  // namespace hoglet::query
