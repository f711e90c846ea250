// Instants as the is_date_before / is_date_after / is_date_exact flag operators read them
// (capture-and-flags §3.5): relative dates ("-7d"), RFC 3339 date-times with an offset, and naive
// dates and date-times read in the project's time zone. Private to filters/; property_match.cc
// builds ParseRelativeDate and ParseDateValue on these.
//
// All instants are int64 microseconds since the Unix epoch (UTC). Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/time_zone.h"

namespace hoglet::filters {

// `-?[0-9]+[hdwmy]` with a number below 10000, subtracted from `now_us`: h, d and w are fixed
// durations; m and y step back one calendar month or year at a time, clamping the day to the
// target month's length (Mar 31 - 1m = Feb 29 in a leap year; - 2m = Jan 29). The time of day is
// kept. nullopt when `text` is not of that form.
std::optional<int64_t> RelativeDateMicros(std::string_view text, int64_t now_us);

// A date-time written out: "YYYY-MM-DD", or "YYYY-MM-DD" + 'T' or ' ' + "HH:MM[:SS[.fraction]]",
// optionally followed by 'Z' or an offset "±HH:MM", "±HHMM" or "±HH". Without either it is a
// wall-clock reading in `zone` (see TimeZone::LocalToUtcMicros for the hours daylight saving skips
// or repeats); a bare date is midnight there. Fractions beyond microseconds are truncated. nullopt
// when the text is not such a date or a field is out of range (month 13, Feb 30, hour 24).
std::optional<int64_t> AbsoluteDateMicros(std::string_view text, TimeZone zone = TimeZone::Utc());

// The calendar day a bare "YYYY-MM-DD" date names in `zone`, as instants [start, end): from its
// midnight to the next, so 23 or 25 hours long on a daylight-saving change. nullopt when `text`
// is not a bare date.
struct DayMicros {
  int64_t start = 0;
  int64_t end = 0;
};
std::optional<DayMicros> PlainDateDay(std::string_view text, TimeZone zone);

// Unix seconds (fraction allowed) as microseconds; nullopt when not finite or beyond year ±285000.
std::optional<int64_t> UnixSecondsToMicros(double seconds);

}  // namespace hoglet::filters
