// The remembered bucket lookup of scans answers as DateRange::BucketIndex, whatever the order of
// the timestamps, across daylight-saving changes and in zones with odd offsets.
#include "query/bucket_lookup.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "base/time_format.h"
#include "query/date_range.h"

namespace hoglet::query {
namespace {

int64_t At(const char* iso) { return *ParseIsoMicros(iso); }

DateRange Range(const char* zone, Interval interval, WeekStart week_start) {
  ProjectClock clock;
  clock.now_us = At("2024-11-20T12:00:00Z");
  clock.zone = *TimeZone::Load(zone);
  clock.week_start = week_start;
  DateRangeSpec spec;
  spec.date_from = "2024-01-01";
  spec.date_to = "2024-11-10";
  StatusOr<DateRange> range = DateRange::Resolve(spec, interval, clock);
  EXPECT_TRUE(range.ok()) << range.status().ToString();
  return *range;
}

TEST(BucketLookup, AnswersAsBucketIndexInOrderAndOutOfOrder) {
  const int64_t hour = int64_t{3600} * 1'000'000;
  const int64_t first = At("2023-12-25T00:00:00Z");
  const int64_t last = At("2024-11-16T00:00:00Z");
  size_t checked = 0;
  for (const char* zone : {"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
                           "America/Havana", "Pacific/Chatham"}) {
    for (Interval interval : {Interval::kDay, Interval::kWeek, Interval::kMonth, Interval::kHour}) {
      for (WeekStart week_start : {WeekStart::kSunday, WeekStart::kMonday}) {
        const DateRange range = Range(zone, interval, week_start);
        // Every quarter hour in order, then random instants (some a microsecond either side of a
        // whole hour, where local midnights and offset changes fall).
        BucketLookup in_order(range);
        for (int64_t t = first; t < last; t += hour / 4) {
          ASSERT_EQ(in_order.IndexOf(t), range.BucketIndex(t)) << zone << " " << t;
          ++checked;
        }
        BucketLookup shuffled(range);
        std::mt19937_64 random(7);
        for (int i = 0; i < 20000; ++i) {
          int64_t t = first + static_cast<int64_t>(random() % static_cast<uint64_t>(last - first));
          if (i % 3 == 0) t = t / hour * hour + static_cast<int64_t>(random() % 3) - 1;
          ASSERT_EQ(shuffled.IndexOf(t), range.BucketIndex(t)) << zone << " " << t;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 1'000'000u);
}

}  // namespace
}  // namespace hoglet::query
