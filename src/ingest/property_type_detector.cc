#include "ingest/property_type_detector.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "base/time_format.h"

namespace hoglet::ingest {
namespace {

constexpr int64_t kSecondUs = 1'000'000;
constexpr int64_t kDayUs = 86'400 * kSecondUs;

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool InRange(char c, char low, char high) { return c >= low && c <= high; }
bool IsDateSeparator(char c) { return c == '-' || c == '/'; }

// Unix seconds six calendar months before `now_us` (the day of month clamped to 28 is close
// enough for a heuristic that PostHog itself computes with a calendar interval).
double SixMonthsAgoSeconds(int64_t now_us) {
  int64_t days = now_us / kDayUs;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  int64_t month_index = year * 12 + (month - 1) - 6;
  int64_t then_days = DaysFromCivil(month_index / 12, static_cast<unsigned>(month_index % 12) + 1,
                                    day > 28 ? 28 : day);
  return static_cast<double>(then_days * 86'400 + (now_us % kDayUs) / kSecondUs);
}

// "YYYY-MM-DD", "YYYY/MM/DD", "DD-MM-YYYY" or "MM/DD/YYYY" (with loose digit ranges) optionally
// followed by [ T]HH:MM:SS and anything.
bool MatchesDatePrefixPattern(std::string_view s) {
  if (s.size() < 10) return false;
  bool year_first = IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3]) &&
                    IsDateSeparator(s[4]) && InRange(s[5], '0', '2') && IsDigit(s[6]) &&
                    IsDateSeparator(s[7]) && InRange(s[8], '0', '3') && IsDigit(s[9]);
  bool year_last = InRange(s[0], '0', '2') && IsDigit(s[1]) && IsDateSeparator(s[2]) &&
                   InRange(s[3], '0', '3') && IsDigit(s[4]) && IsDateSeparator(s[5]) &&
                   IsDigit(s[6]) && IsDigit(s[7]) && IsDigit(s[8]) && IsDigit(s[9]);
  if (!year_first && !year_last) return false;
  if (s.size() == 10) return true;
  return s.size() >= 19 && (s[10] == ' ' || s[10] == 'T') && InRange(s[11], '0', '2') &&
         IsDigit(s[12]) && s[13] == ':' && InRange(s[14], '0', '6') && IsDigit(s[15]) &&
         s[16] == ':' && InRange(s[17], '0', '6') && IsDigit(s[18]);
}

// Consumes `count_min`..`count_max` digits at `*pos`.
bool Digits(std::string_view s, size_t* pos, size_t count_min, size_t count_max) {
  size_t n = 0;
  while (*pos < s.size() && IsDigit(s[*pos]) && n < count_max) ++*pos, ++n;
  return n >= count_min;
}

bool Literal(std::string_view s, size_t* pos, std::string_view literal) {
  if (s.substr(*pos, literal.size()) != literal) return false;
  *pos += literal.size();
  return true;
}

// RFC 2822: "[Www, ]D Mmm YYYY HH:MM[:SS] (+hhmm|-hhmm|UT|GMT|EST|…)".
bool MatchesRfc2822(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  size_t pos = 0;
  for (std::string_view day : kDays) {
    if (s.substr(0, 3) == day) {
      pos = 3;
      if (!Literal(s, &pos, ",")) return false;
      Literal(s, &pos, " ");
      break;
    }
  }
  if (!Digits(s, &pos, 1, 2) || !Literal(s, &pos, " ")) return false;
  bool month_found = false;
  for (std::string_view month : kMonths) month_found = month_found || Literal(s, &pos, month);
  if (!month_found || !Literal(s, &pos, " ") || !Digits(s, &pos, 4, 4) || !Literal(s, &pos, " ") ||
      !Digits(s, &pos, 2, 2) || !Literal(s, &pos, ":") || !Digits(s, &pos, 2, 2)) {
    return false;
  }
  if (Literal(s, &pos, ":") && !Digits(s, &pos, 2, 2)) return false;
  if (!Literal(s, &pos, " ")) return false;
  std::string_view zone = s.substr(pos);
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    return IsDigit(zone[1]) && IsDigit(zone[2]) && IsDigit(zone[3]) && IsDigit(zone[4]);
  }
  if (zone.empty() || zone.size() > 5) return false;
  for (char c : zone) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool HasPrefix(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsAlwaysStringKey(const std::string& lower_key) {
  return HasPrefix(lower_key, "utm_") || HasPrefix(lower_key, "$feature/") ||
         lower_key == "$feature_flag_response" || HasPrefix(lower_key, "$survey_response");
}

bool HasDateKeyword(const std::string& lower_key) {
  for (std::string_view keyword :
       {"time", "timestamp", "date", "_at", "-at", "createdat", "updatedat"}) {
    if (lower_key.find(keyword) != std::string::npos) return true;
  }
  return false;
}

// Whether a property string reads as a number: the whole text parses as a finite double (a
// leading '+' allowed).
bool IsNumberText(std::string_view text) {
  if (text.empty()) return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (*first == '+') ++first;  // from_chars rejects a leading plus
  double value = 0;
  auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last && std::isfinite(value);
}

}  // namespace

bool IsLikelyDateString(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.size() < 10) return false;
  if (IsNumberText(s)) return false;
  return ParseIsoMicros(s).has_value() || MatchesDatePrefixPattern(s) || MatchesRfc2822(s);
}

bool IsSkippedEventProperty(std::string_view key) {
  if (key == "$set" || key == "$set_once" || key == "$unset" || key == "$groups") return true;
  return key.size() == 8 && HasPrefix(key, "$group_") && InRange(key[7], '0', '4');
}

std::optional<meta::PropertyType> DetectPropertyType(std::string_view key,
                                                     const store::PropertyValue& value,
                                                     int64_t now_us) {
  using Kind = store::PropertyValue::Kind;
  using meta::PropertyType;
  const std::string lower_key = Lower(key);
  if (IsAlwaysStringKey(lower_key)) return PropertyType::kString;
  if (value.kind == Kind::kNumber && HasDateKeyword(lower_key) &&
      value.number >= SixMonthsAgoSeconds(now_us)) {
    return PropertyType::kDateTime;
  }
  switch (value.kind) {
    case Kind::kString: {
      std::string_view trimmed = Trim(value.text);
      if (trimmed == "true" || trimmed == "false" || trimmed == "TRUE" || trimmed == "FALSE") {
        return PropertyType::kBoolean;
      }
      return IsLikelyDateString(trimmed) ? PropertyType::kDateTime : PropertyType::kString;
    }
    case Kind::kNumber:
      return PropertyType::kNumeric;
    case Kind::kBool:
      return PropertyType::kBoolean;
    case Kind::kNull:
    case Kind::kJson:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace hoglet::ingest
