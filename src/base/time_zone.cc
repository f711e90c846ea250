#include "base/time_zone.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <limits>
#include <string>

namespace hoglet {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
// About ±30000 years: inside the range of date::year (±32767), far beyond any dated value.
constexpr int64_t kMaxSeconds = 946'000'000'000;

// Whole seconds (floored) within the range the database's arithmetic handles.
std::chrono::seconds ClampedSeconds(int64_t micros) {
  int64_t seconds = micros / kMicrosPerSecond;
  if (micros % kMicrosPerSecond < 0) --seconds;
  return std::chrono::seconds(std::clamp(seconds, -kMaxSeconds, kMaxSeconds));
}

// `value` rounded down to a multiple of `step` (step > 0), negative values included.
int64_t FloorTo(int64_t value, int64_t step) {
  int64_t floored = value / step * step;
  return floored > value ? floored - step : floored;
}

}  // namespace

StatusOr<TimeZone> TimeZone::Load(std::string_view iana_name) {
  if (iana_name == "UTC" || iana_name == "Etc/UTC") return Utc();
  if (iana_name.empty()) return InvalidArgumentError("empty time zone name");
  try {
    const date::time_zone* zone = date::locate_zone(iana_name);
    // The zone's rules are read from disk on first use; do it here, where a failure can be
    // reported, so the conversions never throw.
    zone->get_info(date::sys_seconds{});
    return TimeZone(zone);
  } catch (const std::exception& e) {
    return InvalidArgumentError("unknown time zone '" + std::string(iana_name) + "': " + e.what());
  }
}

std::string_view TimeZone::name() const {
  if (zone_ == nullptr) return "UTC";
  return zone_->name();
}

int64_t TimeZone::LocalToUtcMicros(int64_t local_us) const {
  if (zone_ == nullptr) return local_us;
  // For a local time that occurs twice or not at all, `first` is the period before the change.
  date::local_info info = zone_->get_info(date::local_seconds{ClampedSeconds(local_us)});
  return local_us - static_cast<int64_t>(info.first.offset.count()) * kMicrosPerSecond;
}

int64_t TimeZone::UtcOffsetMicros(int64_t utc_us) const {
  if (zone_ == nullptr) return 0;
  date::sys_info info = zone_->get_info(date::sys_seconds{ClampedSeconds(utc_us)});
  return static_cast<int64_t>(info.offset.count()) * kMicrosPerSecond;
}

TimeZone::OffsetSpan TimeZone::UtcOffsetSpan(int64_t utc_us) const {
  if (zone_ == nullptr) {
    return {0, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
  date::sys_info info = zone_->get_info(date::sys_seconds{ClampedSeconds(utc_us)});
  // The database's bounds are whole seconds, possibly far outside what micros can hold.
  auto micros = [](std::chrono::seconds seconds) {
    return std::clamp(seconds.count(), -kMaxSeconds, kMaxSeconds) * kMicrosPerSecond;
  };
  OffsetSpan span{static_cast<int64_t>(info.offset.count()) * kMicrosPerSecond,
                  micros(info.begin.time_since_epoch()), micros(info.end.time_since_epoch())};
  if (utc_us < span.begin_us || utc_us >= span.end_us) {
    // Past the range the database's arithmetic handles (clamped): an empty stretch, so a
    // caller asks again for every such instant.
    span.begin_us = span.end_us = utc_us;
  }
  return span;
}

int64_t TimeZone::StartOfLocalDayMicros(int64_t utc_us) const {
  if (zone_ == nullptr) return FloorTo(utc_us, kMicrosPerDay);
  return LocalToUtcMicros(FloorTo(utc_us + UtcOffsetMicros(utc_us), kMicrosPerDay));
}

int64_t TimeZone::StartOfElapsedSpanMicros(int64_t utc_us, int64_t span_us) const {
  if (zone_ == nullptr) return FloorTo(utc_us, span_us);
  const int64_t day_start_us = StartOfLocalDayMicros(utc_us);
  return day_start_us + FloorTo(utc_us - day_start_us, span_us);
}

}  // namespace hoglet
