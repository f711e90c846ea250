// Does a property filter match a property? PostHog's server semantics (capture-and-flags §3.5),
// including its coercions, for flags, cohorts, the events list and the persons list alike:
//  - a missing key matches only the negative operators (is_not, not_icontains,
//    not_icontains_multi, not_starts_with, not_ends_with, not_regex, is_not_set);
//  - a JSON null is a value (is_set holds) whose text is "null"; numbers, booleans, arrays and
//    objects read as their compact JSON text for the string operators;
//  - a filter without a value (absent or null) matches nothing but is_set / is_not_set;
//  - `exact` with a boolean-like filter compares truthiness; with an array it means any-of;
//    otherwise values compare as lowercased strings;
//  - gt/gte/lt/lte compare numbers only (JSON numbers or numeric strings); anything else fails;
//  - dates: numbers are Unix seconds, strings RFC 3339, naive dates or relative dates (-7d);
//    a naive date or date-time ("2024-01-01", "2024-01-01 10:00:00") is a wall-clock reading in
//    the project's time zone (MatchContext::time_zone), on the property side and the filter side
//    alike; is_date_exact with a bare date means that calendar day in the zone, otherwise that
//    instant;
//  - semver: leading v stripped, missing components are 0;
//  - regexes are RE2 searches (not anchored); an invalid regex matches nothing, for regex and
//    not_regex alike (parsers refuse it where a client writes the filter: property_filter.h).
// Cohort and flag filters are not property filters: MatchValue returns false for them (the flag
// evaluator handles them).
//
// Queries read properties as PostHog's HogQL does (analytics §3.1, §4.3), which
// MatchContext::dialect = kHogQL selects, for the query engine, the events list and the persons
// list:
//  - a JSON null and "" are no value, like a missing key (is_set fails, the negative operators
//    hold);
//  - `exact` / `is_not` compare the text case-sensitively (a list means any-of), with no
//    truthiness coercion of booleans ("true" is the text of true).
//
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/time_zone.h"
#include "filters/property_filter.h"
#include "filters/property_value.h"

namespace hoglet::filters {

// Whose reading of a property: the flags' (PostHog's flag service) or HogQL's (its queries).
enum class Dialect { kFlags, kHogQL };

struct MatchContext {
  int64_t now_us = 0;  // "now" for relative dates (-7d)
  TimeZone time_zone;  // the project's zone, for naive dates; resolved once by the caller
  Dialect dialect = Dialect::kFlags;
};

// `property` is the filter key's value, nullptr when the key is missing.
bool MatchValue(const PropertyFilter& filter, const PropertyValueRef* property,
                const MatchContext& context);

// MatchValue with the value of filter.key in `properties`.
bool MatchProperty(const PropertyFilter& filter, const Properties& properties,
                   const MatchContext& context);

// Relative date `-?[0-9]+[hdwmy]` (number below 10000) subtracted from `now_us`; months and
// years step one calendar unit at a time, clamping the day to the month's length. nullopt
// when `text` is not a relative date.
std::optional<int64_t> ParseRelativeDate(std::string_view text, int64_t now_us);

// An instant from a property or filter value: a number or numeric string is Unix seconds
// (fraction allowed); otherwise a relative date, RFC 3339 with Z or an offset, or a naive date /
// date-time read as a wall-clock time in `time_zone`. nullopt when none applies.
std::optional<int64_t> ParseDateValue(const PropertyValueRef& value, int64_t now_us,
                                      TimeZone time_zone = TimeZone::Utc());

}  // namespace hoglet::filters
