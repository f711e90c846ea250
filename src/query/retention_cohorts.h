// The per-actor half of a retention run (analytics §3.4): from the events one scan kept for an
// actor (with one breakdown value), the cohorts it is in and the offsets it is counted at there,
// as PostHog's retention query computes them in each of its modes:
//   - calendar periods: a cohort per start period (recurring) or at the first start (first
//     time); a return counts at its period's distance from the cohort, or in the bracket that
//     distance from the actor's first start period falls in (retentionCustomBrackets);
//   - calendar periods with a sum or average: every start event of the cohort's period adds
//     its value at offset 0, every returning event its value at its offset (a returning entity
//     other than the start entity also counts at offset 0 after the period's first start);
//   - 24 hour windows: one cohort at t0, the actor's first start event; a return counts in
//     the window it falls in, counted from t0.
// Offsets past the query's columns are left to the caller. Pure functions of their arguments.
//
// Example:
//   std::vector<ActorCohort> cohorts;
//   CalendarCohorts(query, events, &cohorts);
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/uuid.h"
#include "query/date_range.h"
#include "query/retention_query.h"

namespace hoglet::query {

enum class RetentionEventKind : uint8_t {
  kStart = 1,   // a start event in the range
  kReturn = 2,  // a returning event
  kAnchor = 3,  // first-time retention: the actor's first start event
};

// One event kept for retention.
struct RetentionEvent {
  uint32_t actor = 0;      // the actor's number (query/actor_numbers.h)
  uint32_t breakdown = 0;  // index into the breakdown values seen (0 without a breakdown)
  int32_t period = 0;      // its period's index in the range's buckets; -1 outside them
  RetentionEventKind kind = RetentionEventKind::kStart;
  int64_t timestamp_us = 0;
  double value = 0;  // the aggregation property's value (sum and average only)
};

// The order events are grouped and read in: by actor, breakdown value, period, kind, time.
bool RetentionEventBefore(const RetentionEvent& a, const RetentionEvent& b);

// A cohort an actor is in: the offsets it is counted at (ascending, 0 first when counted
// there) and, with a sum or average, the sum of its values at each.
struct ActorCohort {
  int32_t cohort = 0;
  std::vector<int64_t> offsets;
  std::vector<double> sums;  // parallel to offsets
};

// Calendar periods: `events` are one actor's with one breakdown value, in RetentionEventBefore
// order.
void CalendarCohorts(const RetentionQuery& query, std::span<const RetentionEvent> events,
                     std::vector<ActorCohort>* out);

// What calendar cohorts are made from: the periods the actor starts a cohort in (every start's
// for recurring retention, the first start's for first time), and those it returned in at least
// minimum_occurrences times, both ascending, into the caller's vectors (replaced). A plain count
// (no aggregation, brackets or cumulative) counts the actor at offset 0 of each cohort c and at
// r − c for each return period r with 0 < r − c < total_intervals, as CalendarCohorts would.
void CalendarPeriods(const RetentionQuery& query, std::span<const RetentionEvent> events,
                     std::vector<int32_t>* cohorts, std::vector<int32_t>* returns);

// 24 hour windows: `t0_us` is the actor's first start, `events` its events with one breakdown
// value at t0 or later. Nothing when t0 is outside the range's cohorts.
void WindowCohorts(const RetentionQuery& query, const DateRange& range, int64_t t0_us,
                   std::span<const RetentionEvent> events, std::vector<ActorCohort>* out);

}  // namespace hoglet::query
