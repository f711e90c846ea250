#include "base/time_format.h"

#include <gtest/gtest.h>

namespace hoglet {
namespace {

TEST(TimeFormat, FormatsMicrosAndMillis) {
  int64_t t = 1'672'574'400'123'456;  // 2023-01-01T12:00:00.123456Z
  EXPECT_EQ(FormatIsoMicros(t), "2023-01-01T12:00:00.123456+00:00");
  EXPECT_EQ(FormatIsoMillis(t), "2023-01-01T12:00:00.123Z");
  EXPECT_EQ(FormatIsoMicros(-1), "1969-12-31T23:59:59.999999+00:00");
}

TEST(TimeFormat, ParsesRfc3339Forms) {
  EXPECT_EQ(ParseIsoMicros("2023-01-01T12:00:00Z"), 1'672'574'400'000'000);
  EXPECT_EQ(ParseIsoMicros("2023-01-01T12:00:00.5Z"), 1'672'574'400'500'000);
  EXPECT_EQ(ParseIsoMicros("2023-01-01T14:00:00+02:00"), 1'672'574'400'000'000);
  EXPECT_EQ(ParseIsoMicros("2023-01-01T14:00:00+02"), 1'672'574'400'000'000);
  EXPECT_EQ(ParseIsoMicros("2023-01-01 12:00:00"), 1'672'574'400'000'000);
  EXPECT_EQ(ParseIsoMicros("2023-01-01"), 1'672'531'200'000'000);
  EXPECT_EQ(ParseIsoMicros("2023-01-01T12:00:00.123456789Z"), 1'672'574'400'123'456);
}

TEST(TimeFormat, RejectsInvalidDates) {
  EXPECT_FALSE(ParseIsoMicros("2023-02-30").has_value());
  EXPECT_FALSE(ParseIsoMicros("2023-13-01").has_value());
  EXPECT_FALSE(ParseIsoMicros("invalid-date").has_value());
  EXPECT_FALSE(ParseIsoMicros("").has_value());
  EXPECT_FALSE(ParseIsoMicros("2023-01-01T25:00:00Z").has_value());
}

TEST(TimeFormat, CivilDaysRoundTrip) {
  for (int64_t d : {-800000, -1, 0, 1, 19358, 2932896}) {
    int64_t y;
    unsigned m, day;
    CivilFromDays(d, &y, &m, &day);
    EXPECT_EQ(DaysFromCivil(y, m, day), d);
  }
}

}  // namespace
}  // namespace hoglet
