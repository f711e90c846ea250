// A wall-clock reading split into calendar fields, and back: the arithmetic PostHog's query date
// ranges do on "local" times (an instant read in the project's time zone, see base/time_zone.h),
// where adding a day or a month moves the calendar and the clock, not a count of seconds.
//
// Times here are int64 microseconds counted as if the wall clock were UTC ("local 0" is
// 1970-01-01 00:00 on the wall); TimeZone converts them to and from instants.
//
// Example (the start of last month, from a local reading):
//   CivilTime t = CivilTime::FromMicros(local_us);
//   t.AddMonths(-1);
//   t.day = 1;
//   t.StartOfDay();
//   int64_t start_local_us = t.ToMicros();
#pragma once

#include <cstdint>

namespace hoglet {

struct CivilTime {
  int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..DaysInMonth(year, month)
  unsigned hour = 0;   // 0..23
  unsigned minute = 0;
  unsigned second = 0;
  unsigned micros = 0;  // 0..999999

  static CivilTime FromMicros(int64_t local_us);
  int64_t ToMicros() const;

  // Calendar steps. Months and years keep the day, clamped to the target month's length
  // (Mar 31 - 1 month = Feb 28/29), as Python's dateutil.relativedelta does; days keep the clock.
  void AddYears(int64_t years);
  void AddMonths(int64_t months);
  void AddDays(int64_t days);

  // 00:00:00.000000 of the same day.
  void StartOfDay() { hour = minute = second = micros = 0; }

  // 0 = Monday … 6 = Sunday (Python's date.weekday()).
  unsigned Weekday() const;
};

// 28..31.
unsigned DaysInMonth(int64_t year, unsigned month);

}  // namespace hoglet
