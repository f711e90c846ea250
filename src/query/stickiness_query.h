// PostHog's StickinessQuery (analytics §3.6) as a typed value, parsed once from its JSON
// (query/stickiness_query_parser.h): how many actors were active in exactly 1, 2, … N intervals
// of the range. The engine never looks at JSON again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "query/trends_query.h"

namespace hoglet::query {

// stickinessFilter.computedAs.
enum class StickinessMode { kNonCumulative, kCumulative };

// stickinessFilter.stickinessCriteria: an interval counts for an actor when the actor's events in
// it satisfy `count() <operator> value`.
enum class CountOperator { kGte, kLte, kEq };

struct StickinessCriteria {
  CountOperator op = CountOperator::kGte;
  int64_t value = 1;
};

struct StickinessQuery {
  // The parts stickiness shares with trends: series (each counts persons, or the groups of its
  // math unique_group), interval, dateRange, properties, filterTestAccounts and compareFilter.
  // Its series' maths are set to dau (or kept unique_group); breakdown, formulas and display
  // are not used.
  TrendsQuery trends;
  // intervalCount: the buckets are counted back from date_to in spans of this many intervals.
  int64_t interval_count = 1;
  StickinessMode mode = StickinessMode::kNonCumulative;
  std::optional<StickinessCriteria> criteria;
  std::string display_name = "ActionsLineGraph";  // stickinessFilter.display, as written
};

}  // namespace hoglet::query
