// An IANA time zone ("Europe/Berlin", "Pacific/Auckland", "UTC") as a small value: converts a
// civil (wall-clock) time in the zone to an instant and tells the zone's offset at an instant.
// Feature-flag date filters read naive dates in the project's zone with it (capture-and-flags
// §3.5); the flags handler resolves the zone once per request.
//
// Zones come from the system time-zone database (/usr/share/zoneinfo, Debian's tzdata). The
// database index is read once, lazily, on the first Load of a name other than UTC; each zone's
// rules are read once, on its first Load. After that, Load is a binary search over the names
// (tens of nanoseconds) and the conversions only look up the zone's transition table.
//
// A TimeZone is a pointer to process-lifetime data: cheap to copy, valid forever.
// Thread-safe: Load, Utc and every method may be called from any number of threads.
//
// All instants are int64 microseconds since the Unix epoch (UTC); a "local" time is the same
// count read as a wall-clock reading in the zone (local 0 is 1970-01-01 00:00 in the zone).
//
// Limits of the system database as read here: instants before a zone's first transition use its
// first offset (local mean time); instants after its last listed transition (2037 in Debian's
// tzdata) keep the offset in force then, so daylight saving is not applied past 2037.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load("Europe/Berlin"));
//   int64_t instant_us = zone.LocalToUtcMicros(local_midnight_us);
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace date {
class time_zone;
}  // namespace date

namespace hoglet {

class TimeZone {
 public:
  // The zone named `iana_name` ("America/New_York"; links such as "US/Eastern" too).
  // kInvalidArgument when the name is not in the database (or the database cannot be read).
  // "UTC" and "Etc/UTC" are Utc(), loaded without reading the database.
  static StatusOr<TimeZone> Load(std::string_view iana_name);

  // UTC. Also what a default-constructed TimeZone is.
  static TimeZone Utc() { return TimeZone(); }

  TimeZone() = default;

  // The name as the database spells it ("UTC" for Utc()).
  std::string_view name() const;

  bool is_utc() const { return zone_ == nullptr; }

  // The instant at which the zone's clocks read `local_us`. A local time that occurs twice
  // (clocks set back: 01:30 on 2024-11-03 in New York) is read with the offset in force before
  // the change, giving the earlier instant (05:30Z, not 06:30Z). A local time that does not
  // occur (clocks set forward: 02:30 on 2024-03-10 in New York) is also read with the offset in
  // force before the change, giving the instant the clocks would have shown it had they not
  // jumped (07:30Z, which the clocks show as 03:30). That is Python's zoneinfo with fold=0, how
  // PostHog's Python code attaches a team's zone to a naive date-time; it never fails.
  int64_t LocalToUtcMicros(int64_t local_us) const;

  // The zone's offset from UTC at the instant `utc_us` (positive east of Greenwich):
  // local = utc + offset.
  int64_t UtcOffsetMicros(int64_t utc_us) const;

  // The offset at `utc_us` with the stretch of instants [begin_us, end_us) it holds for, so a
  // caller converting many nearby instants looks the zone up once per stretch (empty for an
  // instant tens of thousands of years away).
  struct OffsetSpan {
    int64_t offset_us = 0;
    int64_t begin_us = 0;
    int64_t end_us = 0;
  };
  OffsetSpan UtcOffsetSpan(int64_t utc_us) const;

  // The instant the local day holding the instant `utc_us` begins: its 00:00 on the zone's
  // clocks, read as LocalToUtcMicros reads it (the earlier of two midnights; a midnight the clocks
  // skip is the instant they jump, the day's first), as ClickHouse's toStartOfDay does.
  int64_t StartOfLocalDayMicros(int64_t utc_us) const;

  // The start of the stretch of `span_us` microseconds of elapsed time holding the instant
  // `utc_us`, the stretches counted from the start of its local day (StartOfLocalDayMicros):
  // ClickHouse's toStartOfHour / toStartOfMinute with a time zone. `span_us` is positive and
  // divides an hour (an hour, a minute). An hour is 3600 s of real time, so a fall-back day has
  // 25 hours, two of them starting at 01:00 on the clocks (05:00Z and 06:00Z in New York), and a
  // spring-forward day 23, the hour after 01:00 starting at 03:00.
  int64_t StartOfElapsedSpanMicros(int64_t utc_us, int64_t span_us) const;

  friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.zone_ == b.zone_; }

 private:
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}

  const date::time_zone* zone_ = nullptr;  // nullptr: UTC; else owned by the database
};

}  // namespace hoglet
