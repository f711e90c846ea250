// A behavioural cohort criterion (analytics §1.6): what a person did, read from a cohort's filters
// as PostHog's cohort form writes it:
//
//   {"type": "behavioral", "value": "performed_event_multiple", "key": "$pageview",
//    "event_type": "events", "time_value": 30, "time_interval": "day", "operator": "gte",
//    "operator_value": 3, "event_filters": [{"key": "$browser", "value": "Chrome",
//    "type": "event"}], "negation": false}
//
// `key` is an event name ("event_type": "events") or an action id ("actions"). The kinds this
// server evaluates, as PostHog's cohort queries (foss_cohort_query.py, enterprise_cohort_query.py)
// define them over the events of the event or action that pass `event_filters`, with
// `now` the query clock and `T`, `S` the spans time_value × time_interval and
// seq_time_value × seq_time_interval (for stopped and restarted, S shorter than T):
//   performed_event             at least one event in (now − T, now)
//   performed_event_multiple    the number of events in (now − T, now) compared with
//                               operator_value by `operator` (gte, lte, gt, lt, eq or exact;
//                               eq when absent)
//   performed_event_first_time  the person's first event of the event or action (filters aside)
//                               is in [now − T, now) and passes the filters
//   stopped_performing_event    some event in (now − T, now − S], none in (now − S, now]
//   restarted_performing_event  some event at or before now − T, none in (now − T, now − S],
//                               some in (now − S, now]
//   performed_event_regularly   of the total_periods periods (now − (p + 1)·T, now − p·T],
//                               p = 0, 1, …, at least min_periods (≤ total_periods ≤ 100) hold a
//                               number of events that meets operator_value by `operator`
//   performed_event_sequence    an event at t0 in (now − T, now] and, in the same window, an
//                               event of `seq_event` ("seq_event_type": events or actions) at t1
//                               with t0 < t1 ≤ t0 + S; `event_filters` narrow the first event
// "negation": true (kept on the PropertyFilter) inverts the criterion. Intervals are minute,
// hour, day, week (fixed lengths), month and year (calendar, in UTC, as ClickHouse subtracts
// them from now()).
//
// Parsed criteria are immutable values, safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "filters/filter_tree.h"

namespace hoglet::filters {

enum class BehavioralKind {
  kPerformedEvent,
  kPerformedEventMultiple,
  kPerformedEventFirstTime,
  kStoppedPerformingEvent,
  kRestartedPerformingEvent,
  kPerformedEventRegularly,
  kPerformedEventSequence,
};

enum class TimeUnit { kMinute, kHour, kDay, kWeek, kMonth, kYear };

// time_value × time_interval.
struct RelativeSpan {
  int64_t value = 0;  // > 0
  TimeUnit unit = TimeUnit::kDay;

  // The instant this span before `now_us` (microseconds since the epoch, UTC), and after
  // `from_us`.
  int64_t Before(int64_t now_us) const;
  int64_t After(int64_t from_us) const;
};

enum class CountOperator { kEq, kGte, kLte, kGt, kLt };

struct BehavioralCriterion {
  BehavioralKind kind = BehavioralKind::kPerformedEvent;
  std::optional<int64_t> action_id;                   // event_type "actions"
  std::string event;                                  // event_type "events"
  RelativeSpan time;                                  // T
  RelativeSpan seq_time;                              // S: stopped, restarted and sequence
  CountOperator count_operator = CountOperator::kEq;  // multiple and regularly
  int64_t count = 0;                                  // operator_value
  int64_t min_periods = 0;                            // regularly only
  int64_t total_periods = 0;                          // regularly only
  std::optional<int64_t> seq_action_id;               // sequence: seq_event_type "actions"
  std::string seq_event;                              // sequence: seq_event_type "events"
  FilterNode event_filters;                           // an AND of event property filters

  // The largest total_periods a performed_event_regularly criterion may ask for.
  static constexpr int64_t kMaxPeriods = 100;

  // Whether `events` (the person's number of events in the window) meets the count.
  bool CountMatches(int64_t events) const;
};

}  // namespace hoglet::filters
