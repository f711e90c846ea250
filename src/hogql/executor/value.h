// The values a HogQL query computes on the embedded engine, and the ClickHouse types its columns
// are reported with (PostHog's HogQLQuery `types`).
//
// A Value is NULL, an integer (also UInt8 booleans), a float, a string, a date (days since the
// epoch, a calendar date of the project's zone), a date-time (UTC microseconds, shown in the
// project's zone), a UUID (as its text) or an interval (`INTERVAL 7 DAY`, only inside
// expressions).
//
// Comparisons follow ClickHouse with HogQL's reading of properties (analytics §4.3): strings
// compare bytewise; a string against a number is read as a number (a string that is not one
// compares as NULL); a string against a date or date-time is read as one in the project's zone.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json_writer.h"
#include "base/time_zone.h"

namespace hoglet::hogql {

enum class BaseType {
  kNothing,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kInt64,
  kFloat64,
  kString,
  kDate,
  kDateTime,
  kUuid,
  kInterval
};

struct ColumnType {
  BaseType base = BaseType::kNothing;
  bool nullable = false;

  bool numeric() const {
    return base == BaseType::kUInt8 || base == BaseType::kUInt16 || base == BaseType::kUInt32 ||
           base == BaseType::kUInt64 || base == BaseType::kInt64 || base == BaseType::kFloat64;
  }
  ColumnType Nullable(bool yes = true) const { return {base, nullable || yes}; }
};

// "String", "Nullable(String)", "UInt64", "DateTime64(6, 'Europe/Berlin')", "Date", "UUID"…
std::string TypeName(ColumnType type, std::string_view zone);

enum class IntervalUnit { kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear };

struct Value {
  enum class Kind : uint8_t { kNull, kInt, kFloat, kString, kDate, kDateTime, kUuid, kInterval };
  Kind kind = Kind::kNull;
  int64_t i = 0;  // kInt, kDate (days), kDateTime (UTC micros), kInterval (count)
  double f = 0;   // kFloat
  std::string s;  // kString, kUuid
  IntervalUnit unit = IntervalUnit::kDay;  // kInterval

  bool is_null() const { return kind == Kind::kNull; }
  static Value Null() { return {}; }
  static Value Int(int64_t v) { return {Kind::kInt, v, 0, {}, {}}; }
  static Value Bool(bool v) { return Int(v ? 1 : 0); }
  static Value Float(double v) { return {Kind::kFloat, 0, v, {}, {}}; }
  static Value String(std::string v) { return {Kind::kString, 0, 0, std::move(v), {}}; }
  static Value Date(int64_t days) { return {Kind::kDate, days, 0, {}, {}}; }
  static Value DateTime(int64_t utc_us) { return {Kind::kDateTime, utc_us, 0, {}, {}}; }
  static Value UuidText(std::string text) { return {Kind::kUuid, 0, 0, std::move(text), {}}; }
  static Value Interval(int64_t count, IntervalUnit unit) {
    return {Kind::kInterval, count, 0, {}, unit};
  }
};

// -1, 0 or 1; nullopt when the two cannot be compared (then a comparison is NULL). Neither may
// be NULL.
std::optional<int> CompareValues(const Value& a, const Value& b, const TimeZone& zone);

// A total order for ORDER BY, min and max: numbers by value, dates and date-times by instant,
// strings bytewise; values of different classes (which one column does not mix) by class, NULL
// last (the caller places NULLs as NULLS FIRST / LAST say).
int OrderValues(const Value& a, const Value& b, const TimeZone& zone);

// Whether a condition holds: a non-zero number. NULL and everything else do not.
bool Truthy(const Value& v);

// A string as a number, as toFloat reads it; nullopt when it is not one.
std::optional<double> ParseNumber(std::string_view text);
// A string as an Int64, as toInt reads it; nullopt when it is not one.
std::optional<int64_t> ParseInteger(std::string_view text);

// "2024-01-05", "2024-01-05 10:00:00[.ffffff]", or ISO 8601 with a zone ("…T…Z", "…+01:00"):
// naive forms are read in `zone`. nullopt when the text is none of these.
std::optional<int64_t> ParseDateTimeText(std::string_view text, const TimeZone& zone);

// Days since the epoch of the local calendar date of `utc_us` in `zone`.
int64_t LocalDay(int64_t utc_us, const TimeZone& zone);

// The value as toString shows it: "2024-01-05 10:00:00.000000" for a date-time (in `zone`),
// "2024-01-05" for a date, numbers in shortest form.
std::string ValueToString(const Value& v, const TimeZone& zone);

// The value in a query answer: date-times as ISO 8601 in the project's zone
// ("2024-01-05T10:00:00+01:00", "…Z" in UTC; microseconds when there are any), dates as
// "2024-01-05", non-finite floats as null.
void WriteValueJson(const Value& v, const TimeZone& zone, JsonWriter* w);

// A binary key of values, equal for values that group together.
void AppendGroupKey(const Value& v, std::string* key);

// A binary key for matching values across tables (join keys, IN subqueries): as AppendGroupKey,
// but a UUID matches its text and a whole float the integer of the same value.
void AppendMatchKey(const Value& v, std::string* key);

}  // namespace hoglet::hogql
