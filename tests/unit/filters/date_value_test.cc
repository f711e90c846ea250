#include "filters/date_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string_view>

#include "base/time_format.h"

namespace hoglet::filters {
namespace {

TEST(AbsoluteDateMicros, AgreesWithIsoFormatting) {
  // Every form round-trips through the codebase's own ISO formatter.
  for (int64_t micros : {int64_t{0}, int64_t{1'704'067'200'123'456}, int64_t{-86'400'000'000},
                         int64_t{951'782'400'000'000} /* 2000-02-29 */}) {
    EXPECT_EQ(AbsoluteDateMicros(FormatIsoMicros(micros)), micros) << FormatIsoMicros(micros);
  }
}

TEST(AbsoluteDateMicros, ValidatesFields) {
  EXPECT_TRUE(AbsoluteDateMicros("2024-02-29").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("2023-02-29").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("2100-02-29").has_value());
  EXPECT_TRUE(AbsoluteDateMicros("2000-02-29").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("2024-04-31").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("2024-01-01T23:59:61Z").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("2024-01-01T10:00:00+24:00").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("2024-01-01T10:00:00+01:60").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("24-01-01").has_value());
  EXPECT_FALSE(AbsoluteDateMicros("2024/01/01").has_value());
  // A leap second lands on the next minute.
  EXPECT_EQ(AbsoluteDateMicros("2016-12-31T23:59:60Z"), AbsoluteDateMicros("2017-01-01"));
}

TEST(PlainDateDay, OnlyBareDates) {
  EXPECT_TRUE(PlainDateDay("2024-01-01", TimeZone::Utc()).has_value());
  EXPECT_FALSE(PlainDateDay("2024-01-01T00:00:00Z", TimeZone::Utc()).has_value());
  EXPECT_FALSE(PlainDateDay("2024-13-01", TimeZone::Utc()).has_value());
  EXPECT_FALSE(PlainDateDay("-7d", TimeZone::Utc()).has_value());
}

TimeZone Zone(std::string_view name) {
  StatusOr<TimeZone> zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << name << ": " << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

TEST(AbsoluteDateMicros, NaiveValuesAreWallClockTimesInTheZone) {
  TimeZone auckland = Zone("Pacific/Auckland");
  EXPECT_EQ(AbsoluteDateMicros("2024-01-01", auckland), AbsoluteDateMicros("2023-12-31T11:00Z"));
  EXPECT_EQ(AbsoluteDateMicros("2024-07-01 09:30:00.25", auckland),
            AbsoluteDateMicros("2024-06-30T21:30:00.25Z"));
  // An explicit Z or offset wins over the zone.
  EXPECT_EQ(AbsoluteDateMicros("2024-01-01T00:00Z", auckland), AbsoluteDateMicros("2024-01-01"));
  EXPECT_EQ(AbsoluteDateMicros("2024-01-01T00:00+01:00", auckland),
            AbsoluteDateMicros("2023-12-31T23:00:00"));
  // The hour skipped when clocks go forward reads with the offset before the change.
  EXPECT_EQ(AbsoluteDateMicros("2024-03-10T02:30:00", Zone("America/New_York")),
            AbsoluteDateMicros("2024-03-10T07:30:00Z"));
  EXPECT_FALSE(AbsoluteDateMicros("2024-02-30", auckland).has_value());
}

TEST(PlainDateDay, IsTheCalendarDayInTheZone) {
  std::optional<DayMicros> utc = PlainDateDay("2024-01-01", TimeZone::Utc());
  ASSERT_TRUE(utc.has_value());
  EXPECT_EQ(utc->start, AbsoluteDateMicros("2024-01-01T00:00Z"));
  EXPECT_EQ(utc->end, AbsoluteDateMicros("2024-01-02T00:00Z"));
  std::optional<DayMicros> kolkata = PlainDateDay("2024-01-01", Zone("Asia/Kolkata"));
  ASSERT_TRUE(kolkata.has_value());
  EXPECT_EQ(kolkata->start, AbsoluteDateMicros("2023-12-31T18:30Z"));
  EXPECT_EQ(kolkata->end, AbsoluteDateMicros("2024-01-01T18:30Z"));
  // Clocks go forward in Berlin on 2024-03-31: a 23-hour day.
  std::optional<DayMicros> spring = PlainDateDay("2024-03-31", Zone("Europe/Berlin"));
  ASSERT_TRUE(spring.has_value());
  EXPECT_EQ(spring->end - spring->start, int64_t{23} * 3'600'000'000);
  EXPECT_FALSE(PlainDateDay("2024-01-01T00:00:00", TimeZone::Utc()).has_value());
  EXPECT_FALSE(PlainDateDay("2024-02-30", TimeZone::Utc()).has_value());
  EXPECT_FALSE(PlainDateDay("-7d", TimeZone::Utc()).has_value());
}

TEST(UnixSecondsToMicros, KeepsFractionsAndRejectsNonFinite) {
  EXPECT_EQ(UnixSecondsToMicros(1.25), 1'250'000);
  EXPECT_EQ(UnixSecondsToMicros(-0.5), -500'000);
  EXPECT_EQ(UnixSecondsToMicros(1704067200.000001), 1'704'067'200'000'001);
  EXPECT_FALSE(UnixSecondsToMicros(NAN).has_value());
  EXPECT_FALSE(UnixSecondsToMicros(INFINITY).has_value());
  EXPECT_FALSE(UnixSecondsToMicros(1e18).has_value());
}

TEST(RelativeDateMicros, StepsMonthsOneAtATime) {
  int64_t may31 = *AbsoluteDateMicros("2021-05-31T06:00:00Z");
  EXPECT_EQ(RelativeDateMicros("3m", may31), AbsoluteDateMicros("2021-02-28T06:00:00Z"));
  // Clamped to the 28th in February, the day stays 28 for the remaining steps.
  EXPECT_EQ(RelativeDateMicros("-13m", may31), AbsoluteDateMicros("2020-04-28T06:00:00Z"));
  int64_t before_epoch = *AbsoluteDateMicros("1969-12-31T23:00:00Z");
  EXPECT_EQ(RelativeDateMicros("1m", before_epoch), AbsoluteDateMicros("1969-11-30T23:00:00Z"));
}

}  // namespace
}  // namespace hoglet::filters
