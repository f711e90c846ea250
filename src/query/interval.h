// The time buckets of an insight (analytics §3.1, §5): minute, hour, day, week or month, in the
// project's time zone. A bucket is named by the local time it starts at; days, weeks and months
// are calendar periods (a day across a daylight-saving change lasts 23 or 25 hours), minutes and
// hours stretches of elapsed time (ElapsedSpanMicros).
//
// Local times are microseconds on the wall clock (base/civil_time.h). Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoglet::query {

enum class Interval { kMinute, kHour, kDay, kWeek, kMonth };

// The day a week starts on: the project's `week_start_day` (0 Sunday, ClickHouse mode 0; 1
// Monday, mode 3).
enum class WeekStart { kSunday, kMonday };

// "minute", "hour", "day", "week", "month"; nullopt for anything else.
std::optional<Interval> IntervalFromName(std::string_view name);
std::string_view IntervalName(Interval interval);

// Shorter than, as PostHog orders them (minute < hour < day < week < month).
inline bool IsShorter(Interval a, Interval b) { return static_cast<int>(a) < static_cast<int>(b); }

// How long an hour or minute bucket lasts in elapsed time: those buckets step by real time, so
// a fall-back day has 25 hours (analytics §5, as ClickHouse's toStartOfHour); nullopt for the
// calendar intervals (day, week, month), which start at local midnight.
std::optional<int64_t> ElapsedSpanMicros(Interval interval);

// The start of the bucket holding `local_us`: the minute, hour, day (00:00), week (00:00 of the
// Sunday or Monday on or before it) or month (00:00 of the 1st).
int64_t BucketStart(int64_t local_us, Interval interval, WeekStart week_start);

// `local_us` moved by `count` intervals on the calendar (a month keeps the day of the month,
// clamped to the month's length).
int64_t AddIntervals(int64_t local_us, Interval interval, int64_t count);

// How PostHog's trends name a bucket in `days`: "2024-01-31" for day, week and month,
// "2024-01-31 13:00:00" for hour and minute.
std::string BucketDay(int64_t bucket_local_us, Interval interval);

}  // namespace hoglet::query
