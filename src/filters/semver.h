// Semantic versions as the semver_* flag operators read them (capture-and-flags §3.5), following
// PostHog's server: a leading "v" is stripped, surrounding whitespace trimmed, a missing minor or
// patch is 0 and leading zeros of the numeric core are ignored ("v3.08" is 3.8.0); what follows
// is strict SemVer 2.0 (pre-release identifiers ordered per the spec; build metadata accepted and
// ignored when comparing). Private to filters/; used by property_match.cc.
//
// Ranges follow the Rust `semver` crate the server uses: a pre-release version is inside a range
// only when the range's lower bound is a pre-release of the same major.minor.patch
// ("1.2.3-beta.2" satisfies ~1.2.3-beta.1 but not ~1.2.0).
//
// Parsed versions point into the text they were parsed from. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hoglet::filters {

struct SemVer {
  uint64_t major = 0;
  uint64_t minor = 0;
  uint64_t patch = 0;
  std::string_view pre_release;  // without the '-'; empty for a release
};

// nullopt when `text` is not a version.
std::optional<SemVer> ParseSemVer(std::string_view text);

// <0, 0 or >0 as `a` orders before, equal to or after `b` (SemVer 2.0 precedence).
int CompareSemVer(const SemVer& a, const SemVer& b);

// A half-open range [lower, upper); no upper bound when `unbounded`.
struct SemVerRange {
  SemVer lower;
  SemVer upper;
  bool unbounded = false;
};

// ~x.y.z: [x.y.z, x.(y+1).0).
std::optional<SemVerRange> TildeRange(std::string_view text);
// ^x.y.z: [x.y.z, (x+1).0.0) when x > 0, [0.y.z, 0.(y+1).0) when y > 0, else [0.0.z, 0.0.(z+1)).
std::optional<SemVerRange> CaretRange(std::string_view text);
// "1.*" → [1.0.0, 2.0.0); "1.2.*" → [1.2.0, 1.3.0); "*" → everything ("x" and "X" also serve as
// wildcards). A version without a wildcard is a caret range, as in the semver crate.
std::optional<SemVerRange> WildcardRange(std::string_view text);

bool InRange(const SemVer& version, const SemVerRange& range);

}  // namespace hoglet::filters
