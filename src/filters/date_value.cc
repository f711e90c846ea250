#include "filters/date_value.h"

#include <algorithm>
#include <cmath>

#include "base/time_format.h"

namespace hoglet::filters {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsLeapYear(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Reads exactly `width` digits at `*pos`.
bool ReadDigits(std::string_view text, size_t* pos, size_t width, int* out) {
  if (*pos + width > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = text[*pos + i];
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  *pos += width;
  *out = value;
  return true;
}

bool ReadChar(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// "Z", "±HH:MM", "±HHMM" or "±HH" at `*pos` to the end: the offset east of UTC in microseconds.
// Nothing at all is a naive date-time: *offset_us is left unset and *naive becomes true.
bool ReadZone(std::string_view text, size_t pos, int64_t* offset_us, bool* naive) {
  *naive = pos == text.size();
  if (*naive) return true;
  char sign = text[pos];
  if (sign == 'Z' || sign == 'z') {
    *offset_us = 0;
    return pos + 1 == text.size();
  }
  if (sign != '+' && sign != '-') return false;
  ++pos;
  int hours = 0;
  int minutes = 0;
  if (!ReadDigits(text, &pos, 2, &hours)) return false;
  if (pos < text.size()) {
    ReadChar(text, &pos, ':');
    if (!ReadDigits(text, &pos, 2, &minutes)) return false;
  }
  if (pos != text.size() || hours > 23 || minutes > 59) return false;
  int64_t offset = hours * kMicrosPerHour + minutes * kMicrosPerMinute;
  *offset_us = sign == '-' ? -offset : offset;
  return true;
}

}  // namespace

std::optional<int64_t> RelativeDateMicros(std::string_view text, int64_t now_us) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.size() < 2) return std::nullopt;
  char unit = text.back();
  std::string_view digits = text.substr(0, text.size() - 1);
  int64_t number = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    number = number * 10 + (c - '0');
    if (number >= 10'000) return std::nullopt;
  }
  switch (unit) {
    case 'h':
      return now_us - number * kMicrosPerHour;
    case 'd':
      return now_us - number * kMicrosPerDay;
    case 'w':
      return now_us - number * 7 * kMicrosPerDay;
    case 'm':
    case 'y': {
      int64_t days = FloorDiv(now_us, kMicrosPerDay);
      int64_t time_of_day = now_us - days * kMicrosPerDay;
      int64_t year = 0;
      unsigned month = 0;
      unsigned day = 0;
      CivilFromDays(days, &year, &month, &day);
      // One unit at a time, clamping at each step: Mar 31 - 2m is Jan 28/29, not Jan 31.
      for (int64_t i = 0; i < number; ++i) {
        if (unit == 'm') {
          if (month == 1) {
            month = 12;
            --year;
          } else {
            --month;
          }
        } else {
          --year;
        }
        day = std::min(day, DaysInMonth(year, month));
      }
      return DaysFromCivil(year, month, day) * kMicrosPerDay + time_of_day;
    }
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> AbsoluteDateMicros(std::string_view text, TimeZone zone) {
  size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !ReadChar(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !ReadChar(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > DaysInMonth(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  int64_t micros =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * kMicrosPerDay;
  if (pos == text.size()) return zone.LocalToUtcMicros(micros);

  char separator = text[pos++];
  if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ReadDigits(text, &pos, 2, &hour) || !ReadChar(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute)) {
    return std::nullopt;
  }
  int64_t fraction_us = 0;
  if (ReadChar(text, &pos, ':')) {
    if (!ReadDigits(text, &pos, 2, &second)) return std::nullopt;
    if (ReadChar(text, &pos, '.')) {
      size_t start = pos;
      int64_t scale = 100'000;
      while (pos < text.size() && IsDigit(text[pos])) {
        fraction_us += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  // Second 60 is a leap second, which RFC 3339 allows; it lands on the next minute.
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t offset_us = 0;
  bool naive = false;
  if (!ReadZone(text, pos, &offset_us, &naive)) return std::nullopt;
  micros +=
      hour * kMicrosPerHour + minute * kMicrosPerMinute + second * kMicrosPerSecond + fraction_us;
  return naive ? zone.LocalToUtcMicros(micros) : micros - offset_us;
}

std::optional<DayMicros> PlainDateDay(std::string_view text, TimeZone zone) {
  if (text.size() != 10) return std::nullopt;
  std::optional<int64_t> local_midnight = AbsoluteDateMicros(text);
  if (!local_midnight) return std::nullopt;
  // Not start + 24h: a day in a zone with daylight saving can last 23 or 25 hours.
  return DayMicros{zone.LocalToUtcMicros(*local_midnight),
                   zone.LocalToUtcMicros(*local_midnight + kMicrosPerDay)};
}

std::optional<int64_t> UnixSecondsToMicros(double seconds) {
  // 9e12 s is about year 287000: beyond what any date type on either side represents.
  if (!std::isfinite(seconds) || std::fabs(seconds) > 9e12) return std::nullopt;
  double whole = std::floor(seconds);
  return static_cast<int64_t>(whole) * kMicrosPerSecond +
         std::llround((seconds - whole) * kMicrosPerSecond);
}

}  // namespace hoglet::filters
