// Date ranges as PostHog's query runners resolve them (analytics §3.1, §5, §6 items 1–3).
#include "query/date_range.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "base/time_format.h"
#include "query/query_date.h"

namespace hoglet::query {
namespace {

int64_t At(const char* iso) { return *ParseIsoMicros(iso); }

// A local wall-clock reading, "2024-01-31 10:00:00".
std::string Local(int64_t local_us) {
  CivilTime t = CivilTime::FromMicros(local_us);
  char text[40];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02u %02u:%02u:%02u.%06u",
                static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second,
                t.micros);
  return text;
}

std::vector<std::string> Days(const DateRange& range) {
  std::vector<std::string> days;
  for (int64_t bucket : range.bucket_starts()) days.push_back(BucketDay(bucket, range.interval()));
  return days;
}

DateRangeSpec Span(std::optional<std::string> from, std::optional<std::string> to = std::nullopt,
                   bool explicit_date = false) {
  DateRangeSpec spec;
  spec.date_from = std::move(from);
  spec.date_to = std::move(to);
  spec.explicit_date = explicit_date;
  return spec;
}

ProjectClock Clock(const char* now, const char* zone = "UTC",
                   WeekStart week_start = WeekStart::kSunday) {
  ProjectClock clock;
  clock.now_us = At(now);
  clock.zone = *TimeZone::Load(zone);
  clock.week_start = week_start;
  return clock;
}

DateRange Resolve(DateRangeSpec spec, Interval interval, const ProjectClock& clock) {
  auto range = DateRange::Resolve(spec, interval, clock);
  EXPECT_TRUE(range.ok()) << range.status().ToString();
  return *std::move(range);
}

TEST(DateRange, LastSevenDaysIsEightDays) {
  DateRange range = Resolve(Span("-7d"), Interval::kDay, Clock("2024-01-10T15:30:00Z"));
  EXPECT_EQ(Local(range.from_local_us()), "2024-01-03 00:00:00.000000");
  EXPECT_EQ(Local(range.to_local_us()), "2024-01-10 23:59:59.999999");
  EXPECT_EQ(Days(range),
            (std::vector<std::string>{"2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06",
                                      "2024-01-07", "2024-01-08", "2024-01-09", "2024-01-10"}));
  EXPECT_EQ(range.FromIso(), "2024-01-03T00:00:00+00:00");
  EXPECT_EQ(range.ToIso(), "2024-01-10T23:59:59.999999+00:00");
}

TEST(DateRange, DefaultsToSevenDaysBeforeTodayUntilNow) {
  DateRange range = Resolve({}, Interval::kDay, Clock("2024-01-10T15:30:00Z"));
  EXPECT_EQ(Local(range.from_local_us()), "2024-01-03 00:00:00.000000");
  EXPECT_EQ(Local(range.to_local_us()), "2024-01-10 23:59:59.999999");
}

TEST(DateRange, DaysAreTheProjectsCalendarDays) {
  // 06:30Z on 10 March is still 9 March in Los Angeles.
  ProjectClock clock = Clock("2024-03-10T06:30:00Z", "America/Los_Angeles");
  DateRange range = Resolve(Span("-1d"), Interval::kDay, clock);
  EXPECT_EQ(Days(range), (std::vector<std::string>{"2024-03-08", "2024-03-09"}));
  EXPECT_EQ(range.from_us(), At("2024-03-08T08:00:00Z"));
  EXPECT_EQ(range.BucketIndex(At("2024-03-10T06:30:00Z")), 1);
  EXPECT_EQ(range.BucketIndex(At("2024-03-09T07:59:59Z")), 0);
  EXPECT_EQ(range.BucketIndex(At("2024-03-10T08:00:00Z")), -1);
  EXPECT_EQ(range.ToIso(), "2024-03-09T23:59:59.999999-08:00");
}

TEST(DateRange, HoursAcrossASpringForwardAreElapsedHours) {
  // New York springs forward at 02:00 on 10 March 2024: the hour after 01:00 starts at 03:00.
  ProjectClock clock = Clock("2024-03-10T12:00:00Z", "America/New_York");
  DateRange range = Resolve(Span("2024-03-10", "2024-03-10 03:30"), Interval::kHour, clock);
  EXPECT_EQ(Days(range), (std::vector<std::string>{"2024-03-10 00:00:00", "2024-03-10 01:00:00",
                                                   "2024-03-10 03:00:00"}));
  // 07:30Z is 03:30 EDT.
  EXPECT_EQ(range.BucketIndex(At("2024-03-10T07:30:00Z")), 2);
  EXPECT_EQ(range.BucketIndex(At("2024-03-10T06:30:00Z")), 1);
  DateRange whole_day = Resolve(Span("2024-03-10", "2024-03-10 23:59:59"), Interval::kHour, clock);
  EXPECT_EQ(whole_day.bucket_starts().size(), 23u);
}

TEST(DateRange, AFallBackDayHasTwentyFiveHourBucketsTwoNamedOne) {
  // New York falls back at 02:00 EDT (06:00Z) on 3 November 2024 to 01:00 EST.
  ProjectClock clock = Clock("2024-11-05T12:00:00Z", "America/New_York");
  DateRange range = Resolve(Span("2024-11-03", "2024-11-03 23:59:59"), Interval::kHour, clock);
  std::vector<std::string> days = Days(range);
  ASSERT_EQ(days.size(), 25u);
  EXPECT_EQ(days[0], "2024-11-03 00:00:00");
  EXPECT_EQ(days[1], "2024-11-03 01:00:00");
  EXPECT_EQ(days[2], "2024-11-03 01:00:00");
  EXPECT_EQ(days[3], "2024-11-03 02:00:00");
  EXPECT_EQ(days[24], "2024-11-03 23:00:00");
  EXPECT_EQ(range.BucketIndex(At("2024-11-03T05:30:00Z")), 1);  // 01:30 EDT
  EXPECT_EQ(range.BucketIndex(At("2024-11-03T06:30:00Z")), 2);  // 01:30 EST
  EXPECT_EQ(range.BucketIndex(At("2024-11-04T04:59:59Z")), 24);
  EXPECT_EQ(range.BucketIndex(At("2024-11-04T05:00:00Z")), -1);
  // By day the whole 25 hours are one bucket.
  DateRange by_day = Resolve(Span("2024-11-03", "2024-11-04"), Interval::kDay, clock);
  EXPECT_EQ(Days(by_day), (std::vector<std::string>{"2024-11-03", "2024-11-04"}));
  EXPECT_EQ(by_day.BucketIndex(At("2024-11-03T04:00:00Z")), 0);
  EXPECT_EQ(by_day.BucketIndex(At("2024-11-04T04:59:59Z")), 0);
  EXPECT_EQ(by_day.BucketIndex(At("2024-11-04T05:00:00Z")), 1);
}

TEST(DateRange, LondonFallBackAndSpringForwardHours) {
  // London: 27 October 2024, 02:00 BST (01:00Z) becomes 01:00 GMT.
  ProjectClock clock = Clock("2024-11-05T12:00:00Z", "Europe/London");
  DateRange autumn = Resolve(Span("2024-10-27", "2024-10-27 02:30"), Interval::kHour, clock);
  EXPECT_EQ(Days(autumn), (std::vector<std::string>{"2024-10-27 00:00:00", "2024-10-27 01:00:00",
                                                    "2024-10-27 01:00:00", "2024-10-27 02:00:00"}));
  EXPECT_EQ(autumn.BucketIndex(At("2024-10-27T00:59:59Z")), 1);
  EXPECT_EQ(autumn.BucketIndex(At("2024-10-27T01:00:00Z")), 2);
  // 31 March 2024: 01:00 GMT becomes 02:00 BST.
  DateRange spring = Resolve(Span("2024-03-31", "2024-03-31 23:59:59"), Interval::kHour, clock);
  std::vector<std::string> days = Days(spring);
  ASSERT_EQ(days.size(), 23u);
  EXPECT_EQ(days[1], "2024-03-31 02:00:00");
  EXPECT_EQ(spring.BucketIndex(At("2024-03-31T01:30:00Z")), 1);  // 02:30 BST
  // Minutes step by elapsed time as well: after 01:59 BST comes 01:00 GMT.
  DateRange minutes =
      Resolve(Span("2024-10-27 01:58", "2024-10-27 02:00"), Interval::kMinute, clock);
  std::vector<std::string> minute_days = Days(minutes);
  ASSERT_EQ(minute_days.size(), 63u);
  EXPECT_EQ(minute_days[1], "2024-10-27 01:59:00");
  EXPECT_EQ(minute_days[2], "2024-10-27 01:00:00");
  EXPECT_EQ(minute_days[62], "2024-10-27 02:00:00");
}

TEST(DateRange, HourlyRelativeRangesEndAtTheEndOfTheHour) {
  ProjectClock clock = Clock("2024-01-10T15:30:00Z");
  DateRange range = Resolve(Span("-24h"), Interval::kHour, clock);
  EXPECT_EQ(Local(range.from_local_us()), "2024-01-09 15:00:00.000000");
  EXPECT_EQ(Local(range.to_local_us()), "2024-01-10 15:59:59.999999");
  EXPECT_EQ(range.bucket_starts().size(), 25u);
  EXPECT_EQ(range.scan_from_us(), At("2024-01-09T15:00:00Z"));

  // An absolute date_to keeps its clock for hours.
  DateRange absolute = Resolve(Span("-24h", "2024-01-10 12:10"), Interval::kHour, clock);
  EXPECT_EQ(Local(absolute.to_local_us()), "2024-01-10 12:10:00.000000");
}

TEST(DateRange, MinuteRangesAreNotTruncated) {
  DateRange range = Resolve(Span("-1h"), Interval::kMinute, Clock("2024-01-10T15:30:20Z"));
  EXPECT_EQ(Local(range.from_local_us()), "2024-01-10 14:30:20.000000");
  EXPECT_EQ(Local(range.to_local_us()), "2024-01-10 15:30:59.999999");
  EXPECT_EQ(range.bucket_starts().size(), 61u);
}

TEST(DateRange, MonthsWidenTheScanToTheFirstOfTheMonth) {
  DateRange range = Resolve(Span("-30d"), Interval::kMonth, Clock("2024-03-15T10:00:00Z"));
  EXPECT_EQ(Local(range.from_local_us()), "2024-02-14 00:00:00.000000");
  EXPECT_EQ(range.scan_from_us(), At("2024-02-01T00:00:00Z"));
  EXPECT_EQ(Days(range), (std::vector<std::string>{"2024-02-01", "2024-03-01"}));
}

TEST(DateRange, WeeksStartOnTheProjectsWeekStartButTheScanOnlyAtMidnight) {
  // 2024-01-10 is a Wednesday.
  DateRange sunday =
      Resolve(Span("2024-01-10", "2024-01-20"), Interval::kWeek, Clock("2024-01-25T10:00:00Z"));
  EXPECT_EQ(Days(sunday), (std::vector<std::string>{"2024-01-07", "2024-01-14"}));
  EXPECT_EQ(sunday.scan_from_us(), At("2024-01-10T00:00:00Z"));
  DateRange monday = Resolve(Span("2024-01-10", "2024-01-20"), Interval::kWeek,
                             Clock("2024-01-25T10:00:00Z", "UTC", WeekStart::kMonday));
  EXPECT_EQ(Days(monday), (std::vector<std::string>{"2024-01-08", "2024-01-15"}));
}

TEST(DateRange, ExplicitDatesAreTakenAsWritten) {
  DateRange range = Resolve(Span("2024-01-03 10:00", "2024-01-05 12:00", true), Interval::kDay,
                            Clock("2024-01-10T15:30:00Z"));
  EXPECT_EQ(range.scan_from_us(), At("2024-01-03T10:00:00Z"));
  EXPECT_EQ(range.to_us(), At("2024-01-05T12:00:00Z"));
  EXPECT_EQ(Days(range), (std::vector<std::string>{"2024-01-03", "2024-01-04", "2024-01-05"}));
}

TEST(DateRange, AllStartsAtTheFirstEvent) {
  ProjectClock clock = Clock("2024-01-10T15:30:00Z");
  clock.first_event_us = At("2023-12-30T08:00:00Z");
  DateRange range = Resolve(Span("all"), Interval::kDay, clock);
  EXPECT_EQ(range.bucket_starts().size(), 12u);
  EXPECT_EQ(range.scan_from_us(), At("2023-12-30T00:00:00Z"));
}

TEST(DateRange, RefusesWhatIsNotADateAndTooManyBuckets) {
  auto garbage = DateRange::Resolve(Span("garbage"), Interval::kDay, Clock("2024-01-10T15:30:00Z"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("query.dateRange.date_from 'garbage'"),
            std::string::npos);

  auto huge = DateRange::Resolve(Span("-100d"), Interval::kMinute, Clock("2024-01-10T15:30:00Z"));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("more than 20000 minute intervals"), std::string::npos);
}

TEST(DateRange, AFromAfterTheToHasNoBuckets) {
  DateRange range =
      Resolve(Span("2024-02-01", "2024-01-01"), Interval::kDay, Clock("2024-03-01T00:00:00Z"));
  EXPECT_TRUE(range.bucket_starts().empty());
}

// The period a comparison reads (compareFilter), as "from .. to" in local time.
std::string Previous(const DateRangeSpec& spec, Interval interval, const ProjectClock& clock) {
  DateRange current = Resolve(spec, interval, clock);
  auto previous = DateRange::PreviousPeriod(current, spec);
  EXPECT_TRUE(previous.ok()) << previous.status().ToString();
  return Local(previous->from_local_us()) + " .. " + Local(previous->to_local_us()) + " (" +
         std::to_string(previous->bucket_starts().size()) + ")";
}

TEST(DateRange, ThePreviousPeriodOfLastSevenDaysLinesUpItsWeekdays) {
  ProjectClock clock = Clock("2024-01-10T15:30:00Z");
  // Current: 3..10 January, eight days. Previous: one day later than "as long, just before".
  EXPECT_EQ(Previous(Span("-7d"), Interval::kDay, clock),
            "2023-12-27 00:00:00.000000 .. 2024-01-03 23:59:59.999999 (8)");
  EXPECT_EQ(Previous(Span(std::nullopt), Interval::kDay, clock),
            "2023-12-27 00:00:00.000000 .. 2024-01-03 23:59:59.999999 (8)");
  EXPECT_EQ(Previous(Span("-30d"), Interval::kDay, clock),
            "2023-11-10 00:00:00.000000 .. 2023-12-10 23:59:59.999999 (31)");
  // No shift with a relative date_to, nor for absolute dates.
  EXPECT_EQ(Previous(Span("-7d", "-1d"), Interval::kDay, clock),
            "2023-12-27 00:00:00.000000 .. 2024-01-02 23:59:59.999999 (7)");
  EXPECT_EQ(Previous(Span("2024-01-01", "2024-01-07"), Interval::kDay, clock),
            "2023-12-25 00:00:00.000000 .. 2023-12-31 23:59:59.999999 (7)");
}

TEST(DateRange, ThePreviousPeriodOfHoursIsAlignedToTheHour) {
  EXPECT_EQ(Previous(Span("-24h"), Interval::kHour, Clock("2024-01-10T15:30:00Z")),
            "2024-01-08 14:00:00.000000 .. 2024-01-09 14:59:59.999999 (25)");
}

TEST(DateRange, ThePreviousPeriodOfAllTimeEndsBeforeTheFirstEvent) {
  ProjectClock clock = Clock("2024-01-10T15:30:00Z");
  clock.first_event_us = At("2024-01-05T10:00:00Z");
  EXPECT_EQ(Previous(Span("all"), Interval::kDay, clock),
            "2023-12-30 20:00:00.000000 .. 2024-01-05 09:59:59.999999 (7)");
}

TEST(DateRange, CompareToMovesTheRangeBackByARelativeDelta) {
  DateRange current = Resolve(Span("-7d"), Interval::kDay, Clock("2024-01-10T15:30:00Z"));
  auto week = DateRange::ShiftedBack(current, "-1w");
  ASSERT_TRUE(week.ok()) << week.status().ToString();
  EXPECT_EQ(Local(week->from_local_us()), "2023-12-27 00:00:00.000000");
  EXPECT_EQ(Local(week->to_local_us()), "2024-01-03 23:59:59.999999");
  EXPECT_EQ(week->bucket_starts().size(), 8u);
  auto absolute = DateRange::ShiftedBack(current, "2023-01-01");
  ASSERT_FALSE(absolute.ok());
  // Named as every other field of the query is: from `query.`.
  EXPECT_EQ(absolute.status().message().rfind("query.compareFilter.compare_to '2023-01-01'", 0), 0u)
      << absolute.status().message();
  auto garbage = DateRange::ShiftedBack(current, "-1x");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().message().rfind("query.compareFilter.compare_to '-1x'", 0), 0u)
      << garbage.status().message();
}

TEST(QueryDate, RelativeDatesFollowPostHogsRules) {
  const int64_t now = CivilTime{2024, 3, 31, 15, 45, 10, 0}.ToMicros();
  auto parse = [&](const char* text, bool truncate = false) {
    auto date = ParseQueryDate(text, "date_from", now, TimeZone::Utc(), truncate);
    EXPECT_TRUE(date.ok()) << text;
    return Local(date->local_us);
  };
  EXPECT_EQ(parse("-1m"), "2024-02-29 15:45:10.000000");
  EXPECT_EQ(parse("-1mStart"), "2024-02-01 15:45:10.000000");
  EXPECT_EQ(parse("-1mStart", true), "2024-02-01 00:00:00.000000");
  EXPECT_EQ(parse("mStart", true), "2024-03-01 00:00:00.000000");
  EXPECT_EQ(parse("-1mEnd"), "2024-02-29 15:45:10.000000");
  EXPECT_EQ(parse("-1dEnd"), "2024-03-30 23:59:59.999999");
  EXPECT_EQ(parse("dStart"), "2024-03-31 00:00:00.000000");
  EXPECT_EQ(parse("-24h", true), "2024-03-30 15:00:00.000000");
  EXPECT_EQ(parse("-2w"), "2024-03-17 15:45:10.000000");
  EXPECT_EQ(parse("-1q"), "2023-12-31 15:45:10.000000");
  EXPECT_EQ(parse("-1y"), "2023-03-31 15:45:10.000000");
  EXPECT_EQ(parse("yStart", true), "2024-01-01 00:00:00.000000");
  EXPECT_EQ(parse("-30M"), "2024-03-31 15:15:10.000000");
  EXPECT_EQ(parse("-10s"), "2024-03-31 15:45:00.000000");
  EXPECT_EQ(parse("-1D"), "2024-03-31 15:45:10.000000");  // PostHog: "now"
  EXPECT_FALSE(ParseQueryDate("-99999999d", "date_from", now, TimeZone::Utc(), true).ok());
}

TEST(QueryDate, AbsoluteDatesReadInTheProjectsZoneUnlessTheyHaveAnOffset) {
  TimeZone berlin = *TimeZone::Load("Europe/Berlin");
  auto parse = [&](const char* text) {
    auto date = ParseQueryDate(text, "date_to", 0, berlin, true);
    EXPECT_TRUE(date.ok()) << text;
    EXPECT_FALSE(date->relative);
    return Local(date->local_us);
  };
  EXPECT_EQ(parse("2024-01-31"), "2024-01-31 00:00:00.000000");
  EXPECT_EQ(parse("2024-1-5"), "2024-01-05 00:00:00.000000");
  EXPECT_EQ(parse("2024-01-31T10:00"), "2024-01-31 10:00:00.000000");
  EXPECT_EQ(parse("2024-01-31 10:00:00.25"), "2024-01-31 10:00:00.250000");
  EXPECT_EQ(parse("2024-01-31T10:00:00Z"), "2024-01-31 11:00:00.000000");
  EXPECT_EQ(parse("2024-07-31T10:00:00+02:00"), "2024-07-31 10:00:00.000000");
  EXPECT_FALSE(ParseQueryDate("2024-02-30", "date_to", 0, berlin, true).ok());
}

}  // namespace
}  // namespace hoglet::query
