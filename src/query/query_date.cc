#include "query/query_date.h"

#include <optional>
#include <string>

#include "base/civil_time.h"
#include "base/time_format.h"

namespace hoglet::query {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
// Deltas beyond this (in any unit) are refused rather than overflowing the calendar.
constexpr int64_t kMaxDeltaNumber = 1'000'000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads min_digits..max_digits digits at *pos.
std::optional<int64_t> Digits(std::string_view s, size_t* pos, size_t min_digits,
                              size_t max_digits) {
  size_t start = *pos;
  int64_t value = 0;
  while (*pos < s.size() && *pos - start < max_digits && IsDigit(s[*pos])) {
    value = value * 10 + (s[*pos] - '0');
    ++*pos;
  }
  if (*pos - start < min_digits) return std::nullopt;
  return value;
}

// "YYYY[-M[M][-D[D]]][(T| )HH[:MM[:SS[.f…]]]][Z|±HH[[:]MM]]" as a local time in `zone`;
// nullopt when the text is not of that form or a field is out of range.
std::optional<int64_t> AbsoluteLocal(std::string_view s, TimeZone zone) {
  size_t pos = 0;
  CivilTime t;
  auto year = Digits(s, &pos, 4, 4);
  if (!year) return std::nullopt;
  t.year = *year;
  if (pos < s.size() && s[pos] == '-') {
    ++pos;
    auto month = Digits(s, &pos, 1, 2);
    if (!month || *month < 1 || *month > 12) return std::nullopt;
    t.month = static_cast<unsigned>(*month);
    if (pos < s.size() && s[pos] == '-') {
      ++pos;
      auto day = Digits(s, &pos, 1, 2);
      if (!day || *day < 1 || *day > DaysInMonth(t.year, t.month)) return std::nullopt;
      t.day = static_cast<unsigned>(*day);
    }
  }
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    auto hour = Digits(s, &pos, 2, 2);
    if (!hour || *hour > 23) return std::nullopt;
    t.hour = static_cast<unsigned>(*hour);
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      auto minute = Digits(s, &pos, 2, 2);
      if (!minute || *minute > 59) return std::nullopt;
      t.minute = static_cast<unsigned>(*minute);
      if (pos < s.size() && s[pos] == ':') {
        ++pos;
        auto second = Digits(s, &pos, 2, 2);
        if (!second || *second > 59) return std::nullopt;
        t.second = static_cast<unsigned>(*second);
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
          ++pos;
          size_t start = pos;
          unsigned micros = 0;
          while (pos < s.size() && IsDigit(s[pos])) {
            if (pos - start < 6) micros = micros * 10 + (s[pos] - '0');
            ++pos;
          }
          if (pos == start) return std::nullopt;
          for (size_t n = pos - start; n < 6; ++n) micros *= 10;
          t.micros = micros;
        }
      }
    }
  }
  int64_t local_us = t.ToMicros();
  if (pos == s.size()) return local_us;
  // An explicit zone: the instant it names, read on the project's wall clock.
  int64_t offset_seconds = 0;
  if (s[pos] == 'Z' && pos + 1 == s.size()) {
    offset_seconds = 0;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    auto hours = Digits(s, &pos, 2, 2);
    if (!hours || *hours > 23) return std::nullopt;
    int64_t minutes = 0;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (pos < s.size()) {
      auto parsed = Digits(s, &pos, 2, 2);
      if (!parsed || *parsed > 59) return std::nullopt;
      minutes = *parsed;
    }
    if (pos != s.size()) return std::nullopt;
    offset_seconds = sign * (*hours * 3600 + minutes * 60);
  } else {
    return std::nullopt;
  }
  int64_t instant_us = local_us - offset_seconds * kMicrosPerSecond;
  return instant_us + zone.UtcOffsetMicros(instant_us);
}

bool IsKind(char c) { return std::string_view("hdwmqysHDWMQY").find(c) != std::string_view::npos; }

struct RelativeMatch {
  std::optional<int64_t> number;
  char kind = 0;
  std::string_view position;  // "", "Start" or "End"
};

// The leftmost match of `-?([0-9]+)?(kind)(Start|End)?` in `s`.
std::optional<RelativeMatch> FindRelative(std::string_view s) {
  for (size_t start = 0; start < s.size(); ++start) {
    size_t pos = start;
    if (s[pos] == '-') ++pos;
    size_t digits_start = pos;
    while (pos < s.size() && IsDigit(s[pos])) ++pos;
    if (pos >= s.size() || !IsKind(s[pos])) continue;
    RelativeMatch match;
    if (pos > digits_start) {
      std::string_view digits = s.substr(digits_start, pos - digits_start);
      if (digits.size() > 7) {
        match.number = kMaxDeltaNumber + 1;
      } else {
        match.number = std::stoll(std::string(digits));
      }
    }
    match.kind = s[pos++];
    std::string_view rest = s.substr(pos);
    if (rest.substr(0, 5) == "Start") {
      match.position = "Start";
    } else if (rest.substr(0, 3) == "End") {
      match.position = "End";
    }
    return match;
  }
  return std::nullopt;
}

}  // namespace

StatusOr<QueryDate> ParseQueryDate(std::string_view text, std::string_view field,
                                   int64_t now_local_us, TimeZone zone, bool truncate) {
  if (auto local = AbsoluteLocal(text, zone)) return QueryDate{*local, false, false, 0};
  std::optional<RelativeMatch> match = FindRelative(text);
  if (!match) {
    return InvalidArgumentError(std::string(field) + " '" + std::string(text) +
                                "' is neither a date (2024-01-31, 2024-01-31T10:00:00Z) nor a "
                                "relative date (-7d, -24h, -1mStart, dStart)");
  }
  if (match->number && *match->number > kMaxDeltaNumber) {
    return InvalidArgumentError(std::string(field) + " '" + std::string(text) +
                                "' reaches too far back: at most " +
                                std::to_string(kMaxDeltaNumber) + " units");
  }
  int64_t n = match->number.value_or(0);
  bool start = match->position == "Start";
  bool end = match->position == "End";

  // dateutil: absolute fields replace first (the day clamped to the month), then the relative
  // months and years, then the days and the clock.
  CivilTime t = CivilTime::FromMicros(now_local_us);
  int64_t months = 0;
  int64_t days = 0;
  int64_t micros = 0;
  bool delta_hours = false;
  switch (match->kind) {
    case 'h':
      if (match->number) {
        micros = n * 3600 * kMicrosPerSecond;
        delta_hours = true;
      }
      if (start) t.minute = t.second = t.micros = 0;
      if (end) t.minute = 59, t.second = 59, t.micros = 999'999;
      break;
    case 'd':
      days = n;
      if (start) t.StartOfDay();
      if (end) t.hour = 23, t.minute = 59, t.second = 59, t.micros = 999'999;
      break;
    case 'w':
      days = 7 * n;
      break;
    case 'q':
      days = 13 * 7 * n;
      break;
    case 'm':
      months = n;
      if (start) t.day = 1;
      if (end) t.day = 31;
      break;
    case 'y':
      months = 12 * n;
      if (start) t.month = 1, t.day = 1;
      if (end) t.day = 31;
      break;
    case 'M':
      micros = n * 60 * kMicrosPerSecond;
      break;
    case 's':
      micros = n * kMicrosPerSecond;
      break;
    default:  // H, D, W, Q, Y: PostHog reads them as "now"
      break;
  }
  t.AddMonths(-months);  // also clamps a replaced day 31 to the month's length
  t.AddDays(-days);
  int64_t local_us = t.ToMicros() - micros;
  if (truncate) {
    CivilTime cut = CivilTime::FromMicros(local_us);
    if (delta_hours) {
      cut.minute = cut.second = cut.micros = 0;
    } else {
      cut.StartOfDay();
    }
    local_us = cut.ToMicros();
  }
  return QueryDate{local_us, true, delta_hours, match->kind == 'd' ? n : 0};
}

}  // namespace hoglet::query
