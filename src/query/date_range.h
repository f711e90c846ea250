// An insight's date range resolved against "now" and the project's clock (analytics §3.1, §5),
// as PostHog's query runners resolve it:
//   - date_from: absent = 00:00 seven days ago; "all" = the project's first event; a relative
//     date is truncated to 00:00 (to the hour for "-24h"; not at all for minute intervals);
//   - date_to: absent = now; unless `explicitDate`, moved to 23:59:59.999999 of its day (for hour
//     and minute intervals, when relative or absent, to the end of its hour or minute);
//   - the events read start at date_from, widened back to the start of its bucket (its day for
//     weeks) unless the range is explicit, or relative in hours, or the interval is hour or
//     minute;
//   - the buckets run from date_from's bucket to date_to, one interval apart, so "-7d" by day is
//     eight buckets: today and the seven days before. Days, weeks and months are calendar
//     periods starting at local midnight; hours and minutes are 3600 s and 60 s of elapsed time
//     (base/time_zone.h's StartOfElapsedSpanMicros, as ClickHouse's toStartOfHour), so a
//     fall-back day has 25 hour buckets, two of them named 01:00, and a spring-forward day 23.
//
// Example:
//   DateRangeSpec spec;
//   spec.date_from = "-7d";
//   HOGLET_ASSIGN_OR_RETURN(DateRange range, DateRange::Resolve(spec, Interval::kDay, clock));
//   for (int64_t bucket : range.BucketStarts()) …
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time_zone.h"
#include "query/interval.h"

namespace hoglet::query {

// PostHog's `dateRange`.
struct DateRangeSpec {
  std::optional<std::string> date_from;
  std::optional<std::string> date_to;
  bool explicit_date = false;
};

// What a date range is resolved against.
struct ProjectClock {
  int64_t now_us = 0;  // the instant "now"
  TimeZone zone;
  WeekStart week_start = WeekStart::kSunday;
  // The project's first event, for date_from "all"; nullopt when it has none (then "all" is seven
  // days before now).
  std::optional<int64_t> first_event_us;
};

// The most buckets one range may hold (a minute interval over months would be millions).
inline constexpr size_t kMaxBuckets = 20'000;

// Python's datetime.isoformat() of local time `local_us` in `zone`:
// "2024-01-07T23:59:59.999999-08:00".
std::string IsoWithOffset(int64_t local_us, TimeZone zone);

class DateRange {
 public:
  // kInvalidArgument for a date that is neither absolute nor relative, or more than kMaxBuckets
  // buckets. A date_from after date_to is a range without buckets.
  static StatusOr<DateRange> Resolve(const DateRangeSpec& spec, Interval interval,
                                     const ProjectClock& clock);

  // Exactly the span from local time `from_local_us` to `to_local_us` (both included), its
  // buckets those of `interval` from the one holding from_local_us, the events read starting at
  // from_local_us. kInvalidArgument for more than kMaxBuckets buckets.
  static StatusOr<DateRange> Span(int64_t from_local_us, int64_t to_local_us, Interval interval,
                                  const ProjectClock& clock);

  // The period a query compares itself with (compareFilter, analytics §3.2), as PostHog's
  // previous-period range computes it from `current` (resolved from `spec`): as long as the
  // current one, ending where it starts, aligned to the day (to the hour for hourly intervals),
  // a day later for "-7d", "-14d"… by day up to now (the current range is one day longer than
  // its name), ending at the end of its day (hour); for date_from "all", the span just before
  // the first event. The events read widen to their bucket as the current range's do.
  static StatusOr<DateRange> PreviousPeriod(const DateRange& current, const DateRangeSpec& spec);

  // `current` moved back by a relative delta (compareFilter.compare_to, "-1w", "-3m"…): its
  // start is the delta applied to the current start, its length the current one's.
  // kInvalidArgument when `compare_to` is not a relative date.
  static StatusOr<DateRange> ShiftedBack(const DateRange& current, std::string_view compare_to);

  // The same range with `count` more buckets before its first, the events read from the first
  // of them (lifecycle reads the period before the range). kInvalidArgument past kMaxBuckets.
  StatusOr<DateRange> WithBucketsBefore(int64_t count) const;

  Interval interval() const { return interval_; }
  WeekStart week_start() const { return week_start_; }
  TimeZone zone() const { return zone_; }

  // Wall-clock times in the project's zone.
  int64_t from_local_us() const { return from_local_us_; }
  int64_t to_local_us() const { return to_local_us_; }

  // Instants: events with scan_from_us() <= timestamp <= to_us() are read.
  int64_t from_us() const { return zone_.LocalToUtcMicros(from_local_us_); }
  int64_t to_us() const { return zone_.LocalToUtcMicros(to_local_us_); }
  int64_t scan_from_us() const { return scan_from_us_; }

  // The local start of every bucket, oldest first: the wall-clock reading it is named by. Two
  // hour (or minute) buckets of a fall-back day have the same local start.
  const std::vector<int64_t>& bucket_starts() const { return buckets_; }

  // The bucket of an event at instant `timestamp_us`: its index in bucket_starts(), or -1 when
  // it falls outside them.
  int64_t BucketIndex(int64_t timestamp_us) const;

  // The bucket holding local time `local_us` (whether or not it is in the range).
  int64_t BucketOf(int64_t local_us) const { return BucketStart(local_us, interval_, week_start_); }

  // The range as PostHog reports it (`resolved_date_range`): ISO times with the zone's offset.
  std::string FromIso() const;
  std::string ToIso() const;

 private:
  DateRange() = default;

  // Sets the span and computes the first instant read and the buckets.
  Status SetSpan(int64_t from_local_us, int64_t to_local_us);

  Interval interval_ = Interval::kDay;
  WeekStart week_start_ = WeekStart::kSunday;
  TimeZone zone_;
  int64_t from_local_us_ = 0;
  int64_t to_local_us_ = 0;
  int64_t scan_from_us_ = 0;
  bool widen_ = true;             // the events read start at the start of date_from's bucket
  std::vector<int64_t> buckets_;  // local starts
  std::vector<int64_t> bucket_instants_;  // the same buckets' starts as instants
};

}  // namespace hoglet::query
