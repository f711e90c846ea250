// The two orders of events in the store.
//
// Storage order, inside a part: (person_id, timestamp_us, uuid) ascending, so one person's
// events are contiguous and time-ordered. Result order, of ListEvents: (timestamp_us, uuid)
// descending, newest first.
#pragma once

#include <tuple>

#include "store/event.h"

namespace hoglet::store {

inline bool StorageOrderLess(const Event& a, const Event& b) {
  return std::tie(a.person_id, a.timestamp_us, a.uuid) <
         std::tie(b.person_id, b.timestamp_us, b.uuid);
}

// True when `a` comes before `b` in ListEvents results (a is newer, or as new with a larger uuid).
inline bool NewerFirst(const Event& a, const Event& b) {
  return std::tie(b.timestamp_us, b.uuid) < std::tie(a.timestamp_us, a.uuid);
}

// UTC day (days since 1970-01-01) of a timestamp in microseconds.
inline int64_t DayOf(int64_t timestamp_us) {
  constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;
  int64_t day = timestamp_us / kMicrosPerDay;
  if (timestamp_us % kMicrosPerDay < 0) --day;
  return day;
}

}  // namespace hoglet::store
