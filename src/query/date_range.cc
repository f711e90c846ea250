#include "query/date_range.h"

#include <algorithm>
#include <cstdio>

#include "base/civil_time.h"
#include "query/query_date.h"

namespace hoglet::query {
namespace {

constexpr int64_t kDefaultDateFromDays = 7;

}  // namespace

std::string IsoWithOffset(int64_t local_us, TimeZone zone) {
  int64_t offset_minutes = zone.UtcOffsetMicros(zone.LocalToUtcMicros(local_us)) / 60'000'000;
  CivilTime t = CivilTime::FromMicros(local_us);
  char text[48];
  int n = std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02u:%02u:%02u",
                        static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
  if (t.micros != 0) n += std::snprintf(text + n, sizeof text - n, ".%06u", t.micros);
  char sign = offset_minutes < 0 ? '-' : '+';
  int64_t magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(text + n, sizeof text - n, "%c%02lld:%02lld", sign,
                static_cast<long long>(magnitude / 60), static_cast<long long>(magnitude % 60));
  return text;
}

StatusOr<DateRange> DateRange::Resolve(const DateRangeSpec& spec, Interval interval,
                                       const ProjectClock& clock) {
  DateRange range;
  range.interval_ = interval;
  range.week_start_ = clock.week_start;
  range.zone_ = clock.zone;
  const int64_t now_local_us = clock.now_us + clock.zone.UtcOffsetMicros(clock.now_us);
  const bool fine = interval == Interval::kHour || interval == Interval::kMinute;

  // date_to.
  int64_t to_local_us = now_local_us;
  bool to_relative = true;
  if (spec.date_to) {
    HOGLET_ASSIGN_OR_RETURN(QueryDate to, ParseQueryDate(*spec.date_to, "query.dateRange.date_to",
                                                         now_local_us, clock.zone, false));
    to_local_us = to.local_us;
    to_relative = to.relative;
  }
  if (!spec.explicit_date) {
    CivilTime t = CivilTime::FromMicros(to_local_us);
    if (!fine) {
      t.hour = 23, t.minute = 59, t.second = 59, t.micros = 999'999;
    } else if (to_relative && interval == Interval::kHour) {
      t.minute = 59, t.second = 59, t.micros = 999'999;
    } else if (to_relative) {
      t.second = 59, t.micros = 999'999;
    }
    to_local_us = t.ToMicros();
  }

  // date_from, and whether the events read start at its bucket.
  int64_t from_local_us = 0;
  bool widen = true;
  if (spec.date_from == "all") {
    // PostHog reads the first event's UTC wall clock as a reading on the project's clock.
    if (clock.first_event_us) {
      from_local_us = *clock.first_event_us;
    } else {
      CivilTime t = CivilTime::FromMicros(clock.now_us);
      t.AddDays(-kDefaultDateFromDays);
      from_local_us = t.ToMicros();
    }
    widen = !fine && !spec.explicit_date;
  } else if (spec.date_from) {
    HOGLET_ASSIGN_OR_RETURN(
        QueryDate from, ParseQueryDate(*spec.date_from, "query.dateRange.date_from", now_local_us,
                                       clock.zone, interval != Interval::kMinute));
    from_local_us = from.local_us;
    if (spec.explicit_date) {
      widen = false;
    } else if (from.relative) {
      widen = !fine && !(interval == Interval::kDay && from.delta_hours);
    }
  } else {
    CivilTime t = CivilTime::FromMicros(now_local_us);
    t.StartOfDay();
    t.AddDays(-kDefaultDateFromDays);
    from_local_us = t.ToMicros();
  }
  range.widen_ = widen;
  HOGLET_RETURN_IF_ERROR(range.SetSpan(from_local_us, to_local_us));
  return range;
}

StatusOr<DateRange> DateRange::Span(int64_t from_local_us, int64_t to_local_us, Interval interval,
                                    const ProjectClock& clock) {
  DateRange range;
  range.interval_ = interval;
  range.week_start_ = clock.week_start;
  range.zone_ = clock.zone;
  range.widen_ = false;
  HOGLET_RETURN_IF_ERROR(range.SetSpan(from_local_us, to_local_us));
  return range;
}

Status DateRange::SetSpan(int64_t from_local_us, int64_t to_local_us) {
  from_local_us_ = from_local_us;
  to_local_us_ = to_local_us;
  buckets_.clear();
  bucket_instants_.clear();
  auto add = [this](int64_t local_us, int64_t instant_us) -> Status {
    if (buckets_.size() == kMaxBuckets) {
      return InvalidArgumentError("the date range holds more than " + std::to_string(kMaxBuckets) +
                                  " " + std::string(IntervalName(interval_)) +
                                  " intervals; choose a longer interval or a shorter range");
    }
    buckets_.push_back(local_us);
    bucket_instants_.push_back(instant_us);
    return Status::Ok();
  };
  if (std::optional<int64_t> span_us = ElapsedSpanMicros(interval_)) {
    // Hours and minutes: stretches of elapsed time, each named by its local start.
    const int64_t from_us = zone_.LocalToUtcMicros(from_local_us);
    const int64_t to_us = zone_.LocalToUtcMicros(to_local_us);
    const int64_t first_us = zone_.StartOfElapsedSpanMicros(from_us, *span_us);
    scan_from_us_ = widen_ ? first_us : from_us;
    for (int64_t bucket_us = first_us; bucket_us <= to_us; bucket_us += *span_us) {
      HOGLET_RETURN_IF_ERROR(add(bucket_us + zone_.UtcOffsetMicros(bucket_us), bucket_us));
    }
    return Status::Ok();
  }
  int64_t scan_from_local_us = from_local_us;
  if (widen_) {
    scan_from_local_us = BucketStart(
        from_local_us, interval_ == Interval::kWeek ? Interval::kDay : interval_, week_start_);
  }
  scan_from_us_ = zone_.LocalToUtcMicros(scan_from_local_us);
  for (int64_t bucket = BucketOf(from_local_us); bucket <= to_local_us;
       bucket = AddIntervals(bucket, interval_, 1)) {
    HOGLET_RETURN_IF_ERROR(add(bucket, zone_.LocalToUtcMicros(bucket)));
  }
  return Status::Ok();
}

StatusOr<DateRange> DateRange::WithBucketsBefore(int64_t count) const {
  DateRange extended = *this;
  if (buckets_.empty()) return extended;
  extended.widen_ = true;
  HOGLET_RETURN_IF_ERROR(
      extended.SetSpan(AddIntervals(buckets_.front(), interval_, -count), to_local_us_));
  return extended;
}

StatusOr<DateRange> DateRange::PreviousPeriod(const DateRange& current, const DateRangeSpec& spec) {
  DateRange previous = current;
  const int64_t length = current.to_local_us_ - current.from_local_us_;
  if (spec.date_from == "all") {
    const int64_t to_local_us = current.from_local_us_ - 1;
    HOGLET_RETURN_IF_ERROR(previous.SetSpan(to_local_us - length, to_local_us));
    return previous;
  }
  CivilTime from = CivilTime::FromMicros(current.from_local_us_ - length);
  CivilTime to;
  if (current.interval_ == Interval::kHour) {
    from.minute = from.second = from.micros = 0;
    to = CivilTime::FromMicros(from.ToMicros() + length);
    to.minute = 59, to.second = 59, to.micros = 999'999;
  } else {
    from.StartOfDay();
    // "-7d" by day is eight days up to now: its previous week starts a day later, so that
    // weekdays line up (only when date_to is absent or absolute).
    int64_t from_days = 7;  // an absent date_from is "-7d"
    if (spec.date_from) {
      StatusOr<QueryDate> parsed =
          ParseQueryDate(*spec.date_from, "date_from", current.from_local_us_, current.zone_, true);
      from_days = parsed.ok() ? parsed->delta_days : 0;
    }
    bool to_relative = false;
    if (spec.date_to) {
      StatusOr<QueryDate> parsed =
          ParseQueryDate(*spec.date_to, "date_to", current.to_local_us_, current.zone_, true);
      to_relative = parsed.ok() && parsed->relative;
    }
    if (current.interval_ == Interval::kDay && from_days != 0 && from_days % 7 == 0 &&
        !to_relative) {
      from.AddDays(1);
    }
    to = CivilTime::FromMicros(from.ToMicros() + length);
    to.hour = 23, to.minute = 59, to.second = 59, to.micros = 999'999;
  }
  HOGLET_RETURN_IF_ERROR(previous.SetSpan(from.ToMicros(), to.ToMicros()));
  return previous;
}

StatusOr<DateRange> DateRange::ShiftedBack(const DateRange& current, std::string_view compare_to) {
  HOGLET_ASSIGN_OR_RETURN(QueryDate from,
                          ParseQueryDate(compare_to, "query.compareFilter.compare_to",
                                         current.from_local_us_, current.zone_, false));
  if (!from.relative) {
    return InvalidArgumentError("query.compareFilter.compare_to '" + std::string(compare_to) +
                                "' must be a relative date such as -1w or -1m");
  }
  DateRange previous = current;
  HOGLET_RETURN_IF_ERROR(previous.SetSpan(
      from.local_us, from.local_us + (current.to_local_us_ - current.from_local_us_)));
  return previous;
}

int64_t DateRange::BucketIndex(int64_t timestamp_us) const {
  // Hour and minute buckets are found by instant (a fall-back day names two hours alike), the
  // calendar ones by their local start.
  const std::vector<int64_t>* starts = &buckets_;
  int64_t bucket = 0;
  if (std::optional<int64_t> span_us = ElapsedSpanMicros(interval_)) {
    starts = &bucket_instants_;
    bucket = zone_.StartOfElapsedSpanMicros(timestamp_us, *span_us);
  } else {
    bucket = BucketOf(timestamp_us + zone_.UtcOffsetMicros(timestamp_us));
  }
  auto found = std::lower_bound(starts->begin(), starts->end(), bucket);
  if (found == starts->end() || *found != bucket) return -1;
  return found - starts->begin();
}

std::string DateRange::FromIso() const { return IsoWithOffset(from_local_us_, zone_); }
std::string DateRange::ToIso() const { return IsoWithOffset(to_local_us_, zone_); }

}  // namespace hoglet::query
