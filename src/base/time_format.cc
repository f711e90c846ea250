#include "base/time_format.h"

#include <cstdio>

namespace hoglet {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Fields {
  int64_t year;
  unsigned month, day, hour, minute, second;
  int64_t micros;
};

Fields Split(int64_t unix_micros) {
  int64_t days = FloorDiv(unix_micros, kMicrosPerDay);
  int64_t rest = unix_micros - days * kMicrosPerDay;
  Fields f;
  CivilFromDays(days, &f.year, &f.month, &f.day);
  int64_t secs = rest / kMicrosPerSecond;
  f.micros = rest % kMicrosPerSecond;
  f.hour = static_cast<unsigned>(secs / 3600);
  f.minute = static_cast<unsigned>(secs / 60 % 60);
  f.second = static_cast<unsigned>(secs % 60);
  return f;
}

// Reads exactly `n` digits at `*pos`.
bool ReadDigits(std::string_view s, size_t* pos, int n, int64_t* out) {
  if (*pos + n > s.size()) return false;
  int64_t v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (*month <= 2);
}

std::string FormatIsoMicros(int64_t unix_micros) {
  Fields f = Split(unix_micros);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02u.%06lld+00:00",
                static_cast<long long>(f.year), f.month, f.day, f.hour, f.minute, f.second,
                static_cast<long long>(f.micros));
  return buf;
}

std::string FormatIsoMillis(int64_t unix_micros) {
  Fields f = Split(unix_micros);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02u.%03lldZ",
                static_cast<long long>(f.year), f.month, f.day, f.hour, f.minute, f.second,
                static_cast<long long>(f.micros / 1000));
  return buf;
}

std::optional<int64_t> ParseIsoMicros(std::string_view s) {
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0;
  if (!ReadDigits(s, &pos, 4, &year) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, &pos, 2, &month) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    if (!ReadDigits(s, &pos, 2, &hour) || pos >= s.size() || s[pos++] != ':' ||
        !ReadDigits(s, &pos, 2, &minute)) {
      return std::nullopt;
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, &pos, 2, &second)) return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 6) micros = micros * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (int i = digits; i < 6; ++i) micros *= 10;
    }
    if (pos < s.size()) {
      char z = s[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int64_t oh = 0, om = 0;
        if (!ReadDigits(s, &pos, 2, &oh)) return std::nullopt;
        if (pos < s.size() && s[pos] == ':') ++pos;
        if (pos < s.size() && !ReadDigits(s, &pos, 2, &om)) return std::nullopt;
        if (oh > 23 || om > 59) return std::nullopt;
        offset_seconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
      }
    }
    if (pos != s.size()) return std::nullopt;
  }
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return secs * kMicrosPerSecond + micros;
}

}  // namespace hoglet
