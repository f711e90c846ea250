#include "query/interval.h"

#include <cstdio>

#include "base/civil_time.h"

namespace hoglet::query {

std::optional<Interval> IntervalFromName(std::string_view name) {
  if (name == "minute") return Interval::kMinute;
  if (name == "hour") return Interval::kHour;
  if (name == "day") return Interval::kDay;
  if (name == "week") return Interval::kWeek;
  if (name == "month") return Interval::kMonth;
  return std::nullopt;
}

std::string_view IntervalName(Interval interval) {
  switch (interval) {
    case Interval::kMinute:
      return "minute";
    case Interval::kHour:
      return "hour";
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
  }
  return "day";
}

std::optional<int64_t> ElapsedSpanMicros(Interval interval) {
  constexpr int64_t kMinuteUs = 60'000'000;
  if (interval == Interval::kMinute) return kMinuteUs;
  if (interval == Interval::kHour) return 60 * kMinuteUs;
  return std::nullopt;
}

int64_t BucketStart(int64_t local_us, Interval interval, WeekStart week_start) {
  CivilTime t = CivilTime::FromMicros(local_us);
  t.micros = 0;
  t.second = 0;
  switch (interval) {
    case Interval::kMinute:
      break;
    case Interval::kHour:
      t.minute = 0;
      break;
    case Interval::kDay:
      t.StartOfDay();
      break;
    case Interval::kWeek: {
      t.StartOfDay();
      unsigned weekday = t.Weekday();  // 0 Monday … 6 Sunday
      unsigned days_back = week_start == WeekStart::kMonday ? weekday : (weekday + 1) % 7;
      t.AddDays(-static_cast<int64_t>(days_back));
      break;
    }
    case Interval::kMonth:
      t.StartOfDay();
      t.day = 1;
      break;
  }
  return t.ToMicros();
}

int64_t AddIntervals(int64_t local_us, Interval interval, int64_t count) {
  constexpr int64_t kMinuteUs = 60'000'000;
  switch (interval) {
    case Interval::kMinute:
      return local_us + count * kMinuteUs;
    case Interval::kHour:
      return local_us + count * 60 * kMinuteUs;
    case Interval::kDay:
    case Interval::kWeek: {
      CivilTime t = CivilTime::FromMicros(local_us);
      t.AddDays(interval == Interval::kWeek ? 7 * count : count);
      return t.ToMicros();
    }
    case Interval::kMonth: {
      CivilTime t = CivilTime::FromMicros(local_us);
      t.AddMonths(count);
      return t.ToMicros();
    }
  }
  return local_us;
}

std::string BucketDay(int64_t bucket_local_us, Interval interval) {
  CivilTime t = CivilTime::FromMicros(bucket_local_us);
  char text[32];
  if (interval == Interval::kMinute || interval == Interval::kHour) {
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u %02u:%02u:%02u",
                  static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
  } else {
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(t.year), t.month,
                  t.day);
  }
  return text;
}

}  // namespace hoglet::query
