#include "capture/timestamp.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/time_format.h"
#include "capture/query_string.h"

namespace hoglet::capture {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

int64_t YearOf(int64_t unix_micros) {
  int64_t days = unix_micros / kMicrosPerDay - (unix_micros % kMicrosPerDay < 0 ? 1 : 0);
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  return year;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Pad2(std::string_view digits) {
  return digits.size() == 1 ? "0" + std::string(digits) : std::string(digits);
}

// "1672574400000" (ms), "1672574400" or "1672574400.5" (seconds).
std::optional<int64_t> ParseEpoch(std::string_view s) {
  std::string_view whole = s.substr(0, s.find('.'));
  std::string_view fraction = whole.size() < s.size() ? s.substr(whole.size() + 1) : "";
  if (!AllDigits(whole) || whole.size() > 15) return std::nullopt;
  if (whole.size() < s.size() && !AllDigits(fraction)) return std::nullopt;
  int64_t value = *ParseInt64(whole);
  if (whole.size() >= 11) {
    return fraction.empty() ? std::optional<int64_t>(value * 1000) : std::nullopt;
  }
  int64_t micros = 0;
  for (size_t i = 0; i < 6; ++i)
    micros = micros * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  return value * kMicrosPerSecond + micros;
}

// "01/31/2023[ time]" or "2023/01/31[ time]" → rewritten as ISO and parsed strictly.
std::optional<int64_t> ParseSlashDate(std::string_view s) {
  size_t space = s.find_first_of(" T");
  std::string_view date = s.substr(0, space);
  std::string_view rest = space == std::string_view::npos ? "" : s.substr(space);
  size_t a = date.find('/');
  size_t b = a == std::string_view::npos ? a : date.find('/', a + 1);
  if (b == std::string_view::npos || date.find('/', b + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view p1 = date.substr(0, a), p2 = date.substr(a + 1, b - a - 1),
                   p3 = date.substr(b + 1);
  if (!AllDigits(p1) || !AllDigits(p2) || !AllDigits(p3)) return std::nullopt;
  std::string iso;
  if (p1.size() == 4 && p2.size() <= 2 && p3.size() <= 2) {
    iso = std::string(p1) + "-" + Pad2(p2) + "-" + Pad2(p3);
  } else if (p3.size() == 4 && p1.size() <= 2 && p2.size() <= 2) {
    iso = std::string(p3) + "-" + Pad2(p1) + "-" + Pad2(p2);
  } else {
    return std::nullopt;
  }
  return ParseIsoMicros(iso + std::string(rest));
}

// Zone names RFC 2822 §4.3 still allows, in minutes east of UTC.
std::optional<int> NamedZoneMinutes(std::string_view zone) {
  struct Named {
    std::string_view name;
    int minutes;
  };
  static constexpr std::array<Named, 12> kZones = {{{"GMT", 0},
                                                    {"UT", 0},
                                                    {"UTC", 0},
                                                    {"Z", 0},
                                                    {"EST", -300},
                                                    {"EDT", -240},
                                                    {"CST", -360},
                                                    {"CDT", -300},
                                                    {"MST", -420},
                                                    {"MDT", -360},
                                                    {"PST", -480},
                                                    {"PDT", -420}}};
  for (const auto& z : kZones) {
    if (z.name == zone) return z.minutes;
  }
  return std::nullopt;
}

// "[Sun, ]01 Jan 2023 12:00[:00] (+0000|GMT|...)".
std::optional<int64_t> ParseRfc2822(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (size_t comma = s.find(','); comma != std::string_view::npos) {
    if (comma != 3) return std::nullopt;
    s.remove_prefix(comma + 1);
  }
  // Tokens: day, month, year, time, zone.
  std::array<std::string_view, 5> tok;
  size_t n = 0;
  while (!s.empty()) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (s.empty()) break;
    size_t end = s.find(' ');
    if (n == tok.size()) return std::nullopt;
    tok[n++] = s.substr(0, end);
    s = end == std::string_view::npos ? "" : s.substr(end);
  }
  if (n != 5 || !AllDigits(tok[0]) || tok[0].size() > 2 || !AllDigits(tok[2]) ||
      tok[2].size() != 4) {
    return std::nullopt;
  }
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == tok[1]) month = static_cast<int>(i) + 1;
  }
  if (month == 0) return std::nullopt;
  std::string zone;
  if (auto named = NamedZoneMinutes(tok[4])) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%c%02d:%02d", *named < 0 ? '-' : '+', std::abs(*named) / 60,
                  std::abs(*named) % 60);
    zone = buf;
  } else if (tok[4].size() == 5 && (tok[4][0] == '+' || tok[4][0] == '-') &&
             AllDigits(tok[4].substr(1))) {
    zone = std::string(tok[4].substr(0, 3)) + ":" + std::string(tok[4].substr(3));
  } else {
    return std::nullopt;
  }
  char date[32];
  std::snprintf(date, sizeof(date), "-%02d-", month);
  return ParseIsoMicros(std::string(tok[2]) + date + Pad2(tok[0]) + "T" + std::string(tok[3]) +
                        zone);
}

}  // namespace

std::optional<int64_t> ParseEventTimestamp(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  if (text.empty()) return std::nullopt;
  if (auto iso = ParseIsoMicros(text)) return iso;
  if (auto epoch = ParseEpoch(text)) return epoch;
  if (auto slash = ParseSlashDate(text)) return slash;
  return ParseRfc2822(text);
}

std::optional<int64_t> SentAtFromQueryMillis(int64_t millis) {
  // Keep the multiplication in range; such values are far beyond year 9999 anyway.
  if (millis <= 0 || millis > int64_t{253402300799999}) return std::nullopt;
  int64_t micros = millis * 1000;
  if (YearOf(micros) <= 2020) return std::nullopt;
  return micros;
}

int64_t ComputeEventTimestamp(const TimestampInputs& in) {
  // Arithmetic in 128 bits, clamped back, so no client value can overflow.
  auto clamp = [](__int128 v) {
    return static_cast<int64_t>(v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v);
  };
  int64_t ts = in.now_us;
  if (in.timestamp_us) {
    ts = in.sent_at_us && !in.ignore_sent_at
             ? clamp(static_cast<__int128>(in.now_us) + *in.timestamp_us - *in.sent_at_us)
             : *in.timestamp_us;
  }
  if (in.offset_ms) ts = clamp(static_cast<__int128>(in.now_us) - __int128{*in.offset_ms} * 1000);
  if (static_cast<__int128>(ts) - in.now_us > 23 * kMicrosPerHour) ts = in.now_us;
  int64_t year = YearOf(ts);
  if (year < 0 || year > 9999) ts = 0;
  return ts;
}

}  // namespace hoglet::capture
