#include "base/civil_time.h"

#include <gtest/gtest.h>

namespace hoglet {
namespace {

TEST(CivilTime, RoundTripsAndSplitsNegativeTimes) {
  CivilTime t = CivilTime::FromMicros(-1);
  EXPECT_EQ(t.year, 1969);
  EXPECT_EQ(t.month, 12u);
  EXPECT_EQ(t.day, 31u);
  EXPECT_EQ(t.hour, 23u);
  EXPECT_EQ(t.micros, 999'999u);
  EXPECT_EQ(t.ToMicros(), -1);
}

TEST(CivilTime, MonthsClampTheDay) {
  CivilTime t{2024, 3, 31, 10, 0, 0, 0};
  t.AddMonths(-1);
  EXPECT_EQ(t.month, 2u);
  EXPECT_EQ(t.day, 29u);
  t.AddMonths(-12);
  EXPECT_EQ(t.year, 2023);
  EXPECT_EQ(t.day, 28u);  // 2023 is not a leap year
  CivilTime u{2024, 1, 15, 0, 0, 0, 0};
  u.AddMonths(-13);
  EXPECT_EQ(u.year, 2022);
  EXPECT_EQ(u.month, 12u);
}

TEST(CivilTime, DaysAndWeekdays) {
  CivilTime t{2024, 2, 28, 0, 0, 0, 0};
  t.AddDays(2);
  EXPECT_EQ(t.month, 3u);
  EXPECT_EQ(t.day, 1u);
  EXPECT_EQ(t.Weekday(), 4u);  // a Friday
  EXPECT_EQ((CivilTime{1970, 1, 1, 0, 0, 0, 0}.Weekday()), 3u);
  EXPECT_EQ((CivilTime{1969, 12, 28, 0, 0, 0, 0}.Weekday()), 6u);  // a Sunday
}

}  // namespace
}  // namespace hoglet
