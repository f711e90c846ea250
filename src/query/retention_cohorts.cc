#include "query/retention_cohorts.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

namespace hoglet::query {
namespace {

constexpr int64_t kHourUs = 3'600'000'000;
constexpr int64_t kDayUs = 24 * kHourUs;

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Offsets 0…last, each once (cumulative retention).
ActorCohort Through(int32_t cohort, int64_t last) {
  ActorCohort out{cohort, {}, {}};
  for (int64_t k = 0; k <= last; ++k) out.offsets.push_back(k);
  out.sums.assign(out.offsets.size(), 0);
  return out;
}

// The cohort's offsets from a set of them (0 included); cumulative: 0…their largest.
ActorCohort FromOffsets(const RetentionQuery& query, int32_t cohort, std::vector<int64_t> offsets) {
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  if (query.cumulative) return Through(cohort, offsets.back());
  ActorCohort out{cohort, std::move(offsets), {}};
  out.sums.assign(out.offsets.size(), 0);
  return out;
}

// The bracket (1, 2, …) a return `distance` periods after the first start falls in; 0 for none.
int64_t BracketOf(const std::vector<int64_t>& brackets, int64_t distance) {
  if (distance <= 0) return 0;
  int64_t end = 0;
  for (size_t i = 0; i < brackets.size(); ++i) {
    end += brackets[i];
    if (distance <= end) return static_cast<int64_t>(i) + 1;
  }
  return 0;
}

bool SameEntity(const Series& a, const Series& b) {
  return a.event == b.event && a.action_id == b.action_id;
}

// A sum or average: offset 0 holds the values of the cohort period's start events, offset k
// those of the returning events k periods later (a different returning entity also counts in
// the cohort's period, after its first start there). Returns need no minimum of occurrences.
ActorCohort Aggregated(const RetentionQuery& query, int32_t cohort,
                       std::span<const RetentionEvent> events) {
  std::map<int64_t, double> sums;
  int64_t first_start_us = std::numeric_limits<int64_t>::max();
  for (const RetentionEvent& e : events) {
    if (e.kind != RetentionEventKind::kStart || e.period != cohort) continue;
    sums[0] += e.value;
    first_start_us = std::min(first_start_us, e.timestamp_us);
  }
  const bool same = SameEntity(query.target, query.returning);
  for (const RetentionEvent& e : events) {
    if (e.kind != RetentionEventKind::kReturn || e.period < 0) continue;
    const int64_t offset = e.period - cohort;
    if (offset > query.total_intervals) continue;
    if (offset > 0 || (!same && offset == 0 && e.timestamp_us > first_start_us)) {
      sums[offset] += e.value;
    }
  }
  ActorCohort out{cohort, {}, {}};
  for (const auto& [offset, sum] : sums) {
    out.offsets.push_back(offset);
    out.sums.push_back(sum);
  }
  return out;
}

// PostHog's dateDiff in the window's unit: hours on the instants' clock, days on the project's
// calendar; then whole windows of `count` of them.
int64_t Windows(Interval period, const TimeZone& zone, int64_t from_us, int64_t to_us) {
  auto local_day = [&zone](int64_t us) { return FloorDiv(us + zone.UtcOffsetMicros(us), kDayUs); };
  const int64_t hours = FloorDiv(to_us, kHourUs) - FloorDiv(from_us, kHourUs);
  switch (period) {
    case Interval::kHour:
      return hours;
    case Interval::kWeek:
      return FloorDiv(local_day(to_us) - local_day(from_us), 7);
    case Interval::kMonth:
      return FloorDiv(local_day(to_us) - local_day(from_us), 30);
    default:
      return FloorDiv(hours, 24);
  }
}

}  // namespace

bool RetentionEventBefore(const RetentionEvent& a, const RetentionEvent& b) {
  return std::tie(a.actor, a.breakdown, a.period, a.kind, a.timestamp_us) <
         std::tie(b.actor, b.breakdown, b.period, b.kind, b.timestamp_us);
}

void CalendarPeriods(const RetentionQuery& query, std::span<const RetentionEvent> events,
                     std::vector<int32_t>* cohorts, std::vector<int32_t>* returns) {
  // Cohorts: every start period (recurring), or the first start's (first time).
  const RetentionEventKind cohort_kind = query.type == RetentionType::kRecurring
                                             ? RetentionEventKind::kStart
                                             : RetentionEventKind::kAnchor;
  cohorts->clear();
  returns->clear();
  int32_t period = -1;
  int64_t in_period = 0;
  for (const RetentionEvent& e : events) {
    if (e.period < 0) continue;
    if (e.kind == cohort_kind && (cohorts->empty() || cohorts->back() != e.period)) {
      cohorts->push_back(e.period);
    }
    if (e.kind != RetentionEventKind::kReturn) continue;
    in_period = e.period == period ? in_period + 1 : 1;
    period = e.period;
    if (in_period == query.minimum_occurrences) returns->push_back(period);
  }
}

void CalendarCohorts(const RetentionQuery& query, std::span<const RetentionEvent> events,
                     std::vector<ActorCohort>* out) {
  std::vector<int32_t> cohorts;
  std::vector<int32_t> returns;  // periods with enough returning events, ascending
  CalendarPeriods(query, events, &cohorts, &returns);
  if (cohorts.empty()) return;

  if (query.aggregation != RetentionAggregation::kCount) {
    for (int32_t cohort : cohorts) out->push_back(Aggregated(query, cohort, events));
    return;
  }
  if (!query.brackets.empty()) {
    // Each bracket is counted from the first start period, for every cohort alike.
    std::vector<int64_t> offsets{0};
    for (int32_t r : returns) {
      if (int64_t bracket = BracketOf(query.brackets, r - cohorts.front())) {
        offsets.push_back(bracket);
      }
    }
    for (int32_t cohort : cohorts) out->push_back(FromOffsets(query, cohort, offsets));
    return;
  }
  for (int32_t cohort : cohorts) {
    std::vector<int64_t> offsets{0};
    for (int32_t r : returns) {
      const int64_t offset = r - cohort;
      if (offset > 0 && offset < query.total_intervals) offsets.push_back(offset);
    }
    out->push_back(FromOffsets(query, cohort, std::move(offsets)));
  }
}

void WindowCohorts(const RetentionQuery& query, const DateRange& range, int64_t t0_us,
                   std::span<const RetentionEvent> events, std::vector<ActorCohort>* out) {
  if (events.empty()) return;
  const TimeZone zone = range.zone();
  const int64_t cohort = Windows(query.period, zone, range.from_us(), t0_us);
  if (cohort < 0 || cohort >= static_cast<int64_t>(range.bucket_starts().size())) return;
  std::vector<int64_t> offsets{0};
  for (const RetentionEvent& e : events) {
    if (e.kind == RetentionEventKind::kReturn && e.timestamp_us >= t0_us) {
      offsets.push_back(Windows(query.period, zone, t0_us, e.timestamp_us));
    }
  }
  out->push_back(FromOffsets(query, static_cast<int32_t>(cohort), std::move(offsets)));
}

}  // namespace hoglet::query
