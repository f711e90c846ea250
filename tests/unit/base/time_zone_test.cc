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
