#include "query/bucket_label.h"

#include <algorithm>
#include <cstdio>

#include "base/civil_time.h"

namespace hoglet::query {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string DayMonthYear(const CivilTime& t) {
  return std::to_string(t.day) + "-" + kMonths[t.month - 1] + "-" + std::to_string(t.year);
}

std::string DayMonth(const CivilTime& t) {
  return std::to_string(t.day) + "-" + kMonths[t.month - 1];
}

// 00:00 of the day holding `local_us`.
int64_t Day(int64_t local_us) { return BucketStart(local_us, Interval::kDay, WeekStart::kSunday); }

}  // namespace

std::string BucketLabel(int64_t bucket_local_us, const DateRange& range) {
  CivilTime t = CivilTime::FromMicros(bucket_local_us);
  char text[48];
  switch (range.interval()) {
    case Interval::kMinute:
    case Interval::kHour:
      std::snprintf(text, sizeof text, "%u-%s %02u:%02u", t.day, kMonths[t.month - 1], t.hour,
                    t.minute);
      return text;
    case Interval::kDay:
      return DayMonthYear(t);
    case Interval::kMonth:
      return std::string(kMonths[t.month - 1]) + " " + std::to_string(t.year);
    case Interval::kWeek:
      break;
  }
  int64_t week_start = range.BucketOf(Day(bucket_local_us));
  int64_t start = std::max(week_start, Day(range.from_local_us()));
  int64_t end = std::min(AddIntervals(week_start, Interval::kDay, 6), Day(range.to_local_us()));
  end = std::max(end, start);
  CivilTime first = CivilTime::FromMicros(start);
  CivilTime last = CivilTime::FromMicros(end);
  if (start == end) return DayMonthYear(first);
  if (first.year != last.year) return DayMonthYear(first) + " – " + DayMonthYear(last);
  if (first.month != last.month) return DayMonth(first) + " – " + DayMonth(last);
  return std::to_string(first.day) + "–" + std::to_string(last.day) + " " + kMonths[last.month - 1];
}

}  // namespace hoglet::query
