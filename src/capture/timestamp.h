// Event time: parsing the timestamp forms SDKs send and the clock-skew correction of
// capture-and-flags §1.6. All instants are int64 microseconds since the Unix epoch (UTC).
//
// Example:
//   TimestampInputs in{.now_us = now, .sent_at_us = sent_at,
//                      .timestamp_us = ParseEventTimestamp("2023-01-01T11:59:55Z")};
//   int64_t ts = ComputeEventTimestamp(in);  // now + (timestamp - sent_at), clamped
//
// Pure; safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hoglet::capture {

// Accepted forms (anything else is nullopt, and the event then takes the receive time):
//   RFC 3339 / ISO 8601 "2023-01-01T12:00:00.123Z", "+03" and "+0300" offsets, a space instead
//   of 'T', naive "2023-01-01T12:00:00" (UTC), date-only "2023-01-01";
//   slash dates "01/31/2023" (month first) and "2023/01/31", each optionally followed by a time;
//   RFC 2822 "Sun, 01 Jan 2023 12:00:00 +0000" (also GMT/UT/UTC/Z and US zone names);
//   numeric epoch strings: 11 or more digits are milliseconds ("1672574400000"), fewer are
//   seconds ("1672574400"), optionally with a fraction.
std::optional<int64_t> ParseEventTimestamp(std::string_view text);

// The request's send time from the `_` / `sent_at` query parameter (Unix milliseconds); nullopt
// unless its year is after 2020 (older SDKs sent seconds there).
std::optional<int64_t> SentAtFromQueryMillis(int64_t millis);

struct TimestampInputs {
  int64_t now_us = 0;                   // server receive time
  std::optional<int64_t> sent_at_us;    // client send time of the request
  std::optional<int64_t> timestamp_us;  // the event's parsed `timestamp`
  std::optional<int64_t> offset_ms;     // the event's `offset`: ms before sending
  bool ignore_sent_at = false;          // the event's `$ignore_sent_at` property is true
};

// §1.6: start at now; with a timestamp, shift it by (now − sent_at) when sent_at is known and
// not ignored, else take it as is; an offset overrides both (now − offset); more than 23 h in
// the future clamps to now; a year outside 0..9999 becomes the Unix epoch.
int64_t ComputeEventTimestamp(const TimestampInputs& in);

}  // namespace hoglet::capture
