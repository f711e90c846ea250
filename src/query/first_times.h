// The first time each actor did a series' event, for the trends maths `first_time_for_user`
// and `first_matching_event_for_user` (analytics §3.2). PostHog's rule, over every event of the
// series' event or action up to the end of the range (no lower bound):
//   first          = the actor's earliest such event (first_time_for_user), or its earliest one
//                    that passes the series' and the query's filters (first_matching_event…);
//   first_in_range = its earliest one that passes the filters and is at or after the range's
//                    first bucket;
// and the actor counts once, in the bucket of `first`, when both exist and are the same instant.
// With first_time_for_user, an actor whose first event fails the filters never counts.
//
// Events are added in any order; the answer does not depend on it (ties in time keep the
// breakdown label of the event added first).
//
// Not thread-safe; one per scan of a series.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>

#include "base/uuid.h"
#include "query/aggregate.h"  // UuidHash

namespace hoglet::query {

class FirstTimes {
 public:
  // `first_matching`: first_matching_event_for_user. `from_us`: the start of the range's first
  // bucket.
  FirstTimes(bool first_matching, int64_t from_us)
      : first_matching_(first_matching), from_us_(from_us) {}

  // Whether an event of `actor` at `timestamp_us` that `matches` the filters would become its
  // first: the caller then computes the event's breakdown label for Add.
  bool WouldBeFirst(const Uuid& actor, int64_t timestamp_us, bool matches) const;

  // An event of the series' event or action; `label` is its breakdown label ("" without one).
  void Add(const Uuid& actor, int64_t timestamp_us, bool matches, const std::string& label);

  // Each actor that counts: its first event's instant and breakdown label.
  void ForEachCounted(const std::function<void(const Uuid& actor, int64_t first_us,
                                               const std::string& label)>& fn) const;

  size_t actors() const { return actors_.size(); }

 private:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  struct First {
    int64_t first_us = kNever;
    int64_t first_in_range_us = kNever;
    std::string label;
  };

  bool first_matching_;
  int64_t from_us_;
  std::unordered_map<Uuid, First, UuidHash> actors_;
};

}  // namespace hoglet::query
