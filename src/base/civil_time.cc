#include "base/civil_time.h"

#include <algorithm>

#include "base/time_format.h"

namespace hoglet {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

CivilTime CivilTime::FromMicros(int64_t local_us) {
  int64_t days = FloorDiv(local_us, kMicrosPerDay);
  int64_t rest = local_us - days * kMicrosPerDay;
  CivilTime t;
  CivilFromDays(days, &t.year, &t.month, &t.day);
  int64_t seconds = rest / kMicrosPerSecond;
  t.micros = static_cast<unsigned>(rest % kMicrosPerSecond);
  t.hour = static_cast<unsigned>(seconds / 3600);
  t.minute = static_cast<unsigned>(seconds / 60 % 60);
  t.second = static_cast<unsigned>(seconds % 60);
  return t;
}

int64_t CivilTime::ToMicros() const {
  int64_t days = DaysFromCivil(year, month, day);
  int64_t seconds = days * 86'400 + hour * 3600 + minute * 60 + second;
  return seconds * kMicrosPerSecond + micros;
}

void CivilTime::AddYears(int64_t years) { AddMonths(years * 12); }

void CivilTime::AddMonths(int64_t months) {
  int64_t index = year * 12 + (month - 1) + months;
  year = FloorDiv(index, 12);
  month = static_cast<unsigned>(index - year * 12) + 1;
  day = std::min(day, DaysInMonth(year, month));
}

void CivilTime::AddDays(int64_t days) {
  int64_t count = DaysFromCivil(year, month, day) + days;
  CivilFromDays(count, &year, &month, &day);
}

unsigned CivilTime::Weekday() const {
  // 1970-01-01 was a Thursday (3).
  int64_t shifted = DaysFromCivil(year, month, day) + 3;
  return static_cast<unsigned>(shifted - FloorDiv(shifted, 7) * 7);
}

}  // namespace hoglet
