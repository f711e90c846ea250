// Formatting and parsing of instants (int64 microseconds since the Unix epoch, UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoglet {

// "2026-01-02T03:04:05.123456+00:00": the form PostHog's API returns.
std::string FormatIsoMicros(int64_t unix_micros);
// "2026-01-02T03:04:05.123Z": millisecond precision, as the SDKs send.
std::string FormatIsoMillis(int64_t unix_micros);

// Strict RFC 3339 / ISO 8601 date-time: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH[:MM])", also with
// a space instead of 'T', a missing zone (UTC), or a date alone. Fractions beyond microseconds
// are truncated. For the full set of forms SDKs send, see capture/timestamp.h.
std::optional<int64_t> ParseIsoMicros(std::string_view text);

// Days since 1970-01-01 for a civil date, and back (proleptic Gregorian, any year).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

}  // namespace hoglet
