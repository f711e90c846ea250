#include "filters/semver.h"

#include <limits>

namespace hoglet::filters {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdentifierChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// A leading "v" goes first, then surrounding whitespace (so " v1" is not a version), as on the
// server.
std::string_view Normalize(std::string_view text) {
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Digits only, any leading zeros allowed; nullopt on anything else or overflow.
std::optional<uint64_t> ParseNumber(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Dot-separated non-empty identifiers of [0-9A-Za-z-]; numeric pre-release identifiers must not
// have leading zeros (build identifiers may).
bool ValidIdentifiers(std::string_view text, bool pre_release) {
  if (text.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view part = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty()) return false;
    for (char c : part) {
      if (!IsIdentifierChar(c)) return false;
    }
    if (pre_release && part.size() > 1 && part[0] == '0' && AllDigits(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// Splits "1.2.3-beta+build" into the core "1.2.3" and the pre-release "beta", validating the
// suffix. False when the suffix is malformed.
bool SplitSuffix(std::string_view text, std::string_view* core, std::string_view* pre_release) {
  size_t cut = text.find_first_of("-+");
  *core = text.substr(0, cut);
  *pre_release = {};
  if (cut == std::string_view::npos) return true;
  std::string_view suffix = text.substr(cut);
  std::string_view build;
  if (suffix.front() == '-') {
    size_t plus = suffix.find('+');
    *pre_release = suffix.substr(1, plus == std::string_view::npos ? plus : plus - 1);
    if (!ValidIdentifiers(*pre_release, /*pre_release=*/true)) return false;
    if (plus == std::string_view::npos) return true;
    build = suffix.substr(plus + 1);
  } else {
    build = suffix.substr(1);
  }
  return ValidIdentifiers(build, /*pre_release=*/false);
}

// Numeric pre-release identifiers order below alphanumeric ones and by value among themselves.
int CompareIdentifier(std::string_view a, std::string_view b) {
  bool a_numeric = AllDigits(a);
  bool b_numeric = AllDigits(b);
  if (a_numeric && b_numeric) {
    // No leading zeros (validated), so a longer number is larger.
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b);
  }
  if (a_numeric != b_numeric) return a_numeric ? -1 : 1;
  return a.compare(b);
}

int ComparePreRelease(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) {
    if (a.empty() && b.empty()) return 0;
    return a.empty() ? 1 : -1;  // a release orders after its pre-releases
  }
  while (true) {
    size_t a_dot = a.find('.');
    size_t b_dot = b.find('.');
    int c = CompareIdentifier(a.substr(0, a_dot), b.substr(0, b_dot));
    if (c != 0) return c < 0 ? -1 : 1;
    if (a_dot == std::string_view::npos || b_dot == std::string_view::npos) {
      if (a_dot == b_dot) return 0;
      return a_dot == std::string_view::npos ? -1 : 1;  // fewer identifiers orders first
    }
    a.remove_prefix(a_dot + 1);
    b.remove_prefix(b_dot + 1);
  }
}

SemVer Release(uint64_t major, uint64_t minor, uint64_t patch) { return {major, minor, patch, {}}; }

// [lower, upper) where the upper bound's component `index` is incremented past `lower` and the
// ones after it are 0; unbounded when that component would overflow.
SemVerRange BumpRange(const SemVer& lower, int index) {
  SemVerRange range;
  range.lower = lower;
  uint64_t parts[3] = {lower.major, lower.minor, lower.patch};
  if (parts[index] == kMax) {
    range.unbounded = true;
    return range;
  }
  ++parts[index];
  for (int i = index + 1; i < 3; ++i) parts[i] = 0;
  range.upper = Release(parts[0], parts[1], parts[2]);
  return range;
}

SemVerRange Caret(const SemVer& v) {
  if (v.major > 0) return BumpRange(v, 0);
  if (v.minor > 0) return BumpRange(v, 1);
  return BumpRange(v, 2);
}

bool IsWildcard(std::string_view part) { return part == "*" || part == "x" || part == "X"; }

}  // namespace

std::optional<SemVer> ParseSemVer(std::string_view text) {
  text = Normalize(text);
  SemVer version;
  std::string_view core;
  if (!SplitSuffix(text, &core, &version.pre_release)) return std::nullopt;
  uint64_t* parts[3] = {&version.major, &version.minor, &version.patch};
  size_t start = 0;
  for (int i = 0;; ++i) {
    if (i == 3) return std::nullopt;  // more than three components
    size_t dot = core.find('.', start);
    std::optional<uint64_t> number =
        ParseNumber(core.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (!number) return std::nullopt;
    *parts[i] = *number;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return version;
}

int CompareSemVer(const SemVer& a, const SemVer& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return ComparePreRelease(a.pre_release, b.pre_release);
}

std::optional<SemVerRange> TildeRange(std::string_view text) {
  std::optional<SemVer> lower = ParseSemVer(text);
  if (!lower) return std::nullopt;
  return BumpRange(*lower, 1);
}

std::optional<SemVerRange> CaretRange(std::string_view text) {
  std::optional<SemVer> lower = ParseSemVer(text);
  if (!lower) return std::nullopt;
  return Caret(*lower);
}

std::optional<SemVerRange> WildcardRange(std::string_view text) {
  text = Normalize(text);
  std::string_view core;
  std::string_view pre_release;
  if (!SplitSuffix(text, &core, &pre_release)) return std::nullopt;

  // Up to three components, each a number without leading zeros or a wildcard; nothing concrete
  // may follow a wildcard.
  uint64_t numbers[3] = {0, 0, 0};
  int concrete = 0;
  int count = 0;
  bool wildcard = false;
  size_t start = 0;
  while (true) {
    if (count == 3) return std::nullopt;
    size_t dot = core.find('.', start);
    std::string_view part = core.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (IsWildcard(part)) {
      wildcard = true;
    } else {
      if (wildcard) return std::nullopt;
      if (part.size() > 1 && part[0] == '0') return std::nullopt;
      std::optional<uint64_t> number = ParseNumber(part);
      if (!number) return std::nullopt;
      numbers[concrete++] = *number;
    }
    ++count;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (wildcard && !pre_release.empty()) return std::nullopt;

  SemVer lower = Release(numbers[0], numbers[1], numbers[2]);
  if (concrete == 0) {
    SemVerRange everything;
    everything.unbounded = true;
    return everything;
  }
  if (wildcard || concrete < 3) {
    // "1.*" and "1" mean [1.0.0, 2.0.0); "1.2.*" means [1.2.0, 1.3.0) but a bare "1.2" is the
    // caret range ^1.2 (and "0.2" is [0.2.0, 0.3.0), "0.0" is [0.0.0, 0.1.0)).
    if (concrete == 1) return BumpRange(lower, 0);
    if (wildcard || lower.major == 0) return BumpRange(lower, 1);
    return BumpRange(lower, 0);
  }
  lower.pre_release = pre_release;
  return Caret(lower);
}

bool InRange(const SemVer& version, const SemVerRange& range) {
  if (!version.pre_release.empty()) {
    const SemVer& lower = range.lower;
    if (lower.pre_release.empty() || lower.major != version.major || lower.minor != version.minor ||
        lower.patch != version.patch) {
      return false;
    }
  }
  if (CompareSemVer(version, range.lower) < 0) return false;
  return range.unbounded || CompareSemVer(version, range.upper) < 0;
}

}  // namespace hoglet::filters
