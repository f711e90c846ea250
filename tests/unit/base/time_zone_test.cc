#include "base/time_zone.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "base/time_format.h"

namespace hoglet {
namespace {

constexpr int64_t kHour = 3'600'000'000;
constexpr int64_t kMinute = 60'000'000;

// A wall-clock reading written without a zone, as a local microsecond count.
int64_t Local(std::string_view text) { return ParseIsoMicros(text).value(); }
// An instant written in RFC 3339 with an explicit offset.
int64_t Instant(std::string_view text) { return ParseIsoMicros(text).value(); }

TimeZone Zone(std::string_view name) {
  StatusOr<TimeZone> zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << name << ": " << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

TEST(TimeZone, UtcIsTheIdentity) {
  TimeZone utc = TimeZone::Utc();
  EXPECT_TRUE(utc.is_utc());
  EXPECT_EQ(utc.name(), "UTC");
  int64_t t = Local("2024-07-01T12:34:56.789");
  EXPECT_EQ(utc.LocalToUtcMicros(t), t);
  EXPECT_EQ(utc.UtcOffsetMicros(t), 0);
  EXPECT_EQ(Zone("UTC"), utc);
  EXPECT_EQ(Zone("Etc/UTC"), utc);
  EXPECT_EQ(TimeZone(), utc);
}

TEST(TimeZone, BerlinSummerAndWinter) {
  TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_FALSE(berlin.is_utc());
  EXPECT_EQ(berlin.name(), "Europe/Berlin");
  EXPECT_EQ(berlin.LocalToUtcMicros(Local("2024-07-01T12:00:00")), Instant("2024-07-01T10:00:00Z"));
  EXPECT_EQ(berlin.LocalToUtcMicros(Local("2024-01-15T12:00:00")), Instant("2024-01-15T11:00:00Z"));
  EXPECT_EQ(berlin.UtcOffsetMicros(Instant("2024-07-01T10:00:00Z")), 2 * kHour);
  EXPECT_EQ(berlin.UtcOffsetMicros(Instant("2024-01-15T11:00:00Z")), 1 * kHour);
  // Before 1970 and with a sub-second part: whole seconds are floored to find the offset.
  EXPECT_EQ(berlin.LocalToUtcMicros(Local("1969-12-31T23:59:59.5")),
            Instant("1969-12-31T22:59:59.5Z"));
}

TEST(TimeZone, NewYorkSpringForwardGapUsesTheOffsetBeforeTheChange) {
  TimeZone new_york = Zone("America/New_York");
  // 2024-03-10: clocks jump from 02:00 EST to 03:00 EDT.
  EXPECT_EQ(new_york.LocalToUtcMicros(Local("2024-03-10T01:59:59")),
            Instant("2024-03-10T06:59:59Z"));
  EXPECT_EQ(new_york.LocalToUtcMicros(Local("2024-03-10T02:30:00")),
            Instant("2024-03-10T07:30:00Z"));  // read as EST: the clocks show 03:30 EDT then
  EXPECT_EQ(new_york.LocalToUtcMicros(Local("2024-03-10T03:00:00")),
            Instant("2024-03-10T07:00:00Z"));
  EXPECT_EQ(new_york.UtcOffsetMicros(Instant("2024-03-10T06:59:59Z")), -5 * kHour);
  EXPECT_EQ(new_york.UtcOffsetMicros(Instant("2024-03-10T07:00:00Z")), -4 * kHour);
}

TEST(TimeZone, NewYorkFallBackOverlapPicksTheEarlierInstant) {
  TimeZone new_york = Zone("America/New_York");
  // 2024-11-03: clocks go from 02:00 EDT back to 01:00 EST; 01:30 happens twice.
  EXPECT_EQ(new_york.LocalToUtcMicros(Local("2024-11-03T01:30:00")),
            Instant("2024-11-03T05:30:00Z"));
  EXPECT_EQ(new_york.LocalToUtcMicros(Local("2024-11-03T00:59:00")),
            Instant("2024-11-03T04:59:00Z"));
  EXPECT_EQ(new_york.LocalToUtcMicros(Local("2024-11-03T02:00:00")),
            Instant("2024-11-03T07:00:00Z"));
  EXPECT_EQ(new_york.UtcOffsetMicros(Instant("2024-11-03T05:30:00Z")), -4 * kHour);
  EXPECT_EQ(new_york.UtcOffsetMicros(Instant("2024-11-03T06:30:00Z")), -5 * kHour);
}

TEST(TimeZone, KolkataHalfHourOffset) {
  TimeZone kolkata = Zone("Asia/Kolkata");
  EXPECT_EQ(kolkata.LocalToUtcMicros(Local("2024-01-01T00:00:00")),
            Instant("2023-12-31T18:30:00Z"));
  EXPECT_EQ(kolkata.UtcOffsetMicros(Instant("2024-06-01T00:00:00Z")), 5 * kHour + 30 * kMinute);
}

TEST(TimeZone, SouthernHemisphereSummer) {
  TimeZone auckland = Zone("Pacific/Auckland");
  EXPECT_EQ(auckland.LocalToUtcMicros(Local("2024-01-01T00:00:00")),
            Instant("2023-12-31T11:00:00Z"));
  EXPECT_EQ(auckland.LocalToUtcMicros(Local("2024-07-01T00:00:00")),
            Instant("2024-06-30T12:00:00Z"));
}

// The local wall-clock reading of an instant, as a local microsecond count.
int64_t Reading(const TimeZone& zone, int64_t utc_us) {
  return utc_us + zone.UtcOffsetMicros(utc_us);
}

// The starts of the hours of the local day beginning at `day_start_us`, each found from an
// instant half an hour after the previous start.
std::vector<int64_t> HoursOfDay(const TimeZone& zone, int64_t day_start_us) {
  std::vector<int64_t> starts;
  for (int64_t t = day_start_us; zone.StartOfLocalDayMicros(t) == day_start_us; t += kHour) {
    int64_t start = zone.StartOfElapsedSpanMicros(t + 30 * kMinute, kHour);
    if (starts.empty() || starts.back() != start) starts.push_back(start);
  }
  return starts;
}

// The start of the local day and of the hour holding the instant `at`.
void ExpectDayAndHour(const TimeZone& zone, std::string_view at, std::string_view day,
                      std::string_view hour) {
  EXPECT_EQ(zone.StartOfLocalDayMicros(Instant(at)), Instant(day)) << zone.name() << " " << at;
  EXPECT_EQ(zone.StartOfElapsedSpanMicros(Instant(at), kHour), Instant(hour))
      << zone.name() << " " << at;
}

TEST(TimeZone, UtcDaysAndHoursAreFloors) {
  TimeZone utc = TimeZone::Utc();
  ExpectDayAndHour(utc, "2024-07-01T12:34:56Z", "2024-07-01T00:00:00Z", "2024-07-01T12:00:00Z");
  ExpectDayAndHour(utc, "1969-12-31T23:59:30Z", "1969-12-31T00:00:00Z", "1969-12-31T23:00:00Z");
  EXPECT_EQ(utc.StartOfElapsedSpanMicros(Instant("1969-12-31T23:59:30Z"), kMinute),
            Instant("1969-12-31T23:59:00Z"));
}

TEST(TimeZone, NewYorkFallBackDayHasTwentyFiveHoursTwoOfThemAtOne) {
  TimeZone new_york = Zone("America/New_York");
  // 2024-11-03: 02:00 EDT (06:00Z) becomes 01:00 EST.
  const char* day = "2024-11-03T04:00:00Z";
  ExpectDayAndHour(new_york, "2024-11-03T05:30:00Z", day, "2024-11-03T05:00:00Z");  // 01:30 EDT
  ExpectDayAndHour(new_york, "2024-11-03T06:30:00Z", day, "2024-11-03T06:00:00Z");  // 01:30 EST
  ExpectDayAndHour(new_york, "2024-11-04T04:59:59Z", day, "2024-11-04T04:00:00Z");  // 23:59:59
  ExpectDayAndHour(new_york, "2024-11-04T05:00:00Z", "2024-11-04T05:00:00Z",
                   "2024-11-04T05:00:00Z");
  EXPECT_EQ(Reading(new_york, Instant("2024-11-03T05:00:00Z")), Local("2024-11-03T01:00:00"));
  EXPECT_EQ(Reading(new_york, Instant("2024-11-03T06:00:00Z")), Local("2024-11-03T01:00:00"));
  std::vector<int64_t> hours = HoursOfDay(new_york, Instant(day));
  ASSERT_EQ(hours.size(), 25u);
  for (size_t i = 0; i < hours.size(); ++i) {
    EXPECT_EQ(hours[i], Instant(day) + static_cast<int64_t>(i) * kHour);
  }
  // Minutes step by elapsed time too: the repeated 01:59 is two minutes.
  EXPECT_EQ(new_york.StartOfElapsedSpanMicros(Instant("2024-11-03T06:59:30Z"), kMinute),
            Instant("2024-11-03T06:59:00Z"));
}

TEST(TimeZone, NewYorkSpringForwardDayHasTwentyThreeHours) {
  TimeZone new_york = Zone("America/New_York");
  // 2024-03-10: 02:00 EST (07:00Z) becomes 03:00 EDT.
  const char* day = "2024-03-10T05:00:00Z";
  ExpectDayAndHour(new_york, "2024-03-10T07:30:00Z", day, "2024-03-10T07:00:00Z");  // 03:30 EDT
  std::vector<int64_t> hours = HoursOfDay(new_york, Instant(day));
  ASSERT_EQ(hours.size(), 23u);
  EXPECT_EQ(Reading(new_york, hours[1]), Local("2024-03-10T01:00:00"));
  EXPECT_EQ(Reading(new_york, hours[2]), Local("2024-03-10T03:00:00"));
}

TEST(TimeZone, LondonFallBackAndSpringForward) {
  TimeZone london = Zone("Europe/London");
  // 2024-10-27: 02:00 BST (01:00Z) becomes 01:00 GMT; the day starts at 00:00 BST.
  const char* autumn = "2024-10-26T23:00:00Z";
  ExpectDayAndHour(london, "2024-10-27T00:30:00Z", autumn, "2024-10-27T00:00:00Z");  // 01:30 BST
  ExpectDayAndHour(london, "2024-10-27T01:30:00Z", autumn, "2024-10-27T01:00:00Z");  // 01:30 GMT
  EXPECT_EQ(HoursOfDay(london, Instant(autumn)).size(), 25u);
  // 2024-03-31: 01:00 GMT (01:00Z) becomes 02:00 BST.
  const char* spring = "2024-03-31T00:00:00Z";
  ExpectDayAndHour(london, "2024-03-31T01:10:00Z", spring, "2024-03-31T01:00:00Z");  // 02:10 BST
  ExpectDayAndHour(london, "2024-03-31T23:00:00Z", "2024-03-31T23:00:00Z",
                   "2024-03-31T23:00:00Z");  // 00:00 BST on 1 April
  EXPECT_EQ(Reading(london, Instant("2024-03-31T01:00:00Z")), Local("2024-03-31T02:00:00"));
  EXPECT_EQ(HoursOfDay(london, Instant(spring)).size(), 23u);
}

TEST(TimeZone, HoursOfAHalfHourZoneStartAtItsMidnight) {
  TimeZone kolkata = Zone("Asia/Kolkata");
  // 00:15 and 01:59:59 on 2024-01-02 in Kolkata.
  ExpectDayAndHour(kolkata, "2024-01-01T18:45:00Z", "2024-01-01T18:30:00Z", "2024-01-01T18:30:00Z");
  ExpectDayAndHour(kolkata, "2024-01-01T20:29:59Z", "2024-01-01T18:30:00Z", "2024-01-01T19:30:00Z");
}

TEST(TimeZone, ADayWhoseMidnightIsSkippedStartsWhenTheClocksJump) {
  TimeZone havana = Zone("America/Havana");
  // 2024-03-10: 00:00 CST (05:00Z) becomes 01:00 CDT.
  ExpectDayAndHour(havana, "2024-03-10T05:30:00Z", "2024-03-10T05:00:00Z", "2024-03-10T05:00:00Z");
  // 2024-11-03: 01:00 CDT (05:00Z) becomes 00:00 CST; the day starts at the first midnight.
  ExpectDayAndHour(havana, "2024-11-03T12:10:00Z", "2024-11-03T04:00:00Z", "2024-11-03T12:00:00Z");
}

TEST(TimeZone, LinksLoad) {
  TimeZone eastern = Zone("US/Eastern");
  EXPECT_EQ(eastern.LocalToUtcMicros(Local("2024-07-01T12:00:00")),
            Instant("2024-07-01T16:00:00Z"));
}

TEST(TimeZone, UnknownNamesAreInvalidArguments) {
  for (std::string_view name : {"Mars/Olympus_Mons", "", "Europe/", "europe/berlin",
                                "../../etc/passwd", "Europe/Berlin\n"}) {
    StatusOr<TimeZone> zone = TimeZone::Load(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument) << name;
  }
}

TEST(TimeZone, ExtremeInstantsDoNotCrash) {
  TimeZone berlin = Zone("Europe/Berlin");
  for (int64_t t : {INT64_MIN / 2, INT64_MAX / 2, int64_t{0}, int64_t{-1}}) {
    int64_t offset = berlin.UtcOffsetMicros(t);
    EXPECT_LE(offset, 2 * kHour);
    EXPECT_GE(offset, 0);
    EXPECT_EQ(berlin.LocalToUtcMicros(t), t - berlin.UtcOffsetMicros(t - offset));
  }
}

TEST(TimeZone, ConcurrentLoadsAndConversionsAgree) {
  const std::vector<std::string> names = {"Asia/Tokyo", "America/Sao_Paulo", "Europe/Lisbon",
                                          "Australia/Adelaide"};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&names, &failures] {
      for (int round = 0; round < 200; ++round) {
        for (const std::string& name : names) {
          StatusOr<TimeZone> zone = TimeZone::Load(name);
          if (!zone.ok() || zone->name() != name) {
            ++failures;
            continue;
          }
          int64_t utc = zone->LocalToUtcMicros(0);
          if (utc + zone->UtcOffsetMicros(utc) != 0) ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace hoglet
