#include "capture/timestamp.h"

#include <gtest/gtest.h>

#include "capture_test_util.h"

namespace hoglet::capture {
namespace {

using testing::Instant;

constexpr int64_t kSecond = 1'000'000;

struct Vector {
  const char* now;
  const char* sent_at;    // nullptr: unknown
  const char* timestamp;  // nullptr: absent
  std::optional<int64_t> offset_ms;
  bool ignore_sent_at;
  const char* expected;
};

// capture-and-flags §1.6 test vectors.
TEST(Timestamp, ComputesEverySpecVector) {
  const Vector vectors[] = {
      {"2023-01-01T12:00:00Z", nullptr, nullptr, std::nullopt, false, "2023-01-01T12:00:00Z"},
      {"2023-01-01T12:00:00Z", "2023-01-01T12:00:05Z", "2023-01-01T11:59:55Z", std::nullopt, false,
       "2023-01-01T11:59:50Z"},
      {"2023-01-01T12:00:00Z", nullptr, nullptr, 5000, false, "2023-01-01T11:59:55Z"},
      {"2023-01-01T12:00:00Z", "2023-01-01T12:00:05Z", "2023-01-01T11:00:00Z", std::nullopt, true,
       "2023-01-01T11:00:00Z"},
      {"2023-01-01T12:00:00Z", nullptr, "2023-01-02T12:00:00Z", std::nullopt, false,
       "2023-01-01T12:00:00Z"},
      {"2023-01-01T12:00:00.100Z", "2023-01-01T12:00:00.200Z", "2023-01-01T12:00:00.750Z",
       std::nullopt, false, "2023-01-01T12:00:00.650Z"},
      {"2023-01-01T12:00:00Z", "2023-01-01T12:00:02Z", "2023-01-01T11:59:58Z", std::nullopt, false,
       "2023-01-01T11:59:56Z"},
      {"2021-10-29T01:44:00Z", "2021-10-30T03:12:00Z", "2021-10-30T03:02:00Z", std::nullopt, false,
       "2021-10-29T01:34:00Z"},
      {"2023-01-01T12:00:00Z", nullptr, "0001-01-01T12:00:00Z", std::nullopt, false,
       "0001-01-01T12:00:00Z"},
  };
  for (const Vector& v : vectors) {
    TimestampInputs in;
    in.now_us = Instant(v.now);
    if (v.sent_at) in.sent_at_us = Instant(v.sent_at);
    if (v.timestamp) in.timestamp_us = ParseEventTimestamp(v.timestamp);
    in.offset_ms = v.offset_ms;
    in.ignore_sent_at = v.ignore_sent_at;
    EXPECT_EQ(ComputeEventTimestamp(in), Instant(v.expected))
        << "now " << v.now << " ts " << (v.timestamp ? v.timestamp : "-");
  }
}

TEST(Timestamp, OffsetOverridesTimestamp) {
  TimestampInputs in;
  in.now_us = Instant("2023-01-01T12:00:00Z");
  in.sent_at_us = Instant("2023-01-01T12:00:05Z");
  in.timestamp_us = Instant("2023-01-01T10:00:00Z");
  in.offset_ms = 1000;
  EXPECT_EQ(ComputeEventTimestamp(in), Instant("2023-01-01T11:59:59Z"));
}

TEST(Timestamp, ClampsOnlyBeyondTwentyThreeHours) {
  TimestampInputs in;
  in.now_us = Instant("2023-01-01T12:00:00Z");
  in.timestamp_us = Instant("2023-01-02T10:59:59Z");
  EXPECT_EQ(ComputeEventTimestamp(in), *in.timestamp_us);
  in.timestamp_us = Instant("2023-01-02T11:00:01Z");
  EXPECT_EQ(ComputeEventTimestamp(in), in.now_us);
}

TEST(Timestamp, OutOfRangeYearBecomesEpoch) {
  TimestampInputs in;
  in.now_us = Instant("2023-01-01T12:00:00Z");
  in.offset_ms = INT64_MAX;  // would land far before year 0
  EXPECT_EQ(ComputeEventTimestamp(in), 0);
  in.offset_ms = std::nullopt;
  in.timestamp_us = Instant("2023-01-01T00:00:00Z");
  in.sent_at_us = Instant("9999-12-31T00:00:00Z");
  EXPECT_EQ(ComputeEventTimestamp(in), 0);
}

TEST(Timestamp, ParsesEveryAcceptedForm) {
  const int64_t noon = Instant("2023-01-01T12:00:00Z");
  const int64_t midnight = Instant("2023-01-01T00:00:00Z");
  EXPECT_EQ(ParseEventTimestamp("2023-01-01T12:00:00Z"), noon);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01T12:00:00.000+00:00"), noon);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01T15:00:00+03"), noon);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01T15:00:00+0300"), noon);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01T07:00:00-05:00"), noon);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01"), midnight);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01 12:00:00"), noon);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01T12:00:00"), noon);
  EXPECT_EQ(ParseEventTimestamp("01/01/2023"), midnight);
  EXPECT_EQ(ParseEventTimestamp("2023/01/01"), midnight);
  EXPECT_EQ(ParseEventTimestamp("2023/01/01 12:00:00"), noon);
  EXPECT_EQ(ParseEventTimestamp("Sun, 01 Jan 2023 12:00:00 +0000"), noon);
  EXPECT_EQ(ParseEventTimestamp("Sun, 01 Jan 2023 07:00:00 EST"), noon);
  EXPECT_EQ(ParseEventTimestamp("1 Jan 2023 12:00:00 GMT"), noon);
  EXPECT_EQ(ParseEventTimestamp("1672574400000"), noon);
  EXPECT_EQ(ParseEventTimestamp("1672574400"), noon);
  EXPECT_EQ(ParseEventTimestamp("1672574400.5"), noon + kSecond / 2);
  EXPECT_EQ(ParseEventTimestamp("2023-01-01T12:00:00.123456789Z"), noon + 123456);
}

TEST(Timestamp, RejectsInvalidForms) {
  for (const char* bad : {"99999-01-01T12:00:00Z", "13/32/2023", "invalid-date", "", "   ",
                          "2023-02-30", "2023-01-01T25:00:00Z", "Sun, 01 Foo 2023 12:00:00 +0000",
                          "1/2/3", "12345678901234567890", "2023-01-01T12:00:00Zjunk"}) {
    EXPECT_FALSE(ParseEventTimestamp(bad).has_value()) << bad;
  }
}

TEST(Timestamp, SentAtFromQueryNeedsAYearAfter2020) {
  EXPECT_EQ(SentAtFromQueryMillis(1694769305355), int64_t{1694769305355} * 1000);
  EXPECT_FALSE(SentAtFromQueryMillis(1694769305).has_value());     // seconds: year 1970
  EXPECT_FALSE(SentAtFromQueryMillis(1577836800000).has_value());  // 2020-01-01
  EXPECT_FALSE(SentAtFromQueryMillis(-5).has_value());
  EXPECT_FALSE(SentAtFromQueryMillis(INT64_MAX).has_value());
}

}  // namespace
}  // namespace hoglet::capture
