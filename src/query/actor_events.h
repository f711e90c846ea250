// The events a per-actor insight (funnels, retention, paths) keeps until it has them all, then
// visits actor by actor. Each event is kept with its actor's number (query/actor_numbers.h: the
// persons' numbers are kept with each block, groups are numbered by the query), and a counting
// sort over the numbers brings each actor's events together, in the order they were added,
// without comparing events or actors: one pass to count, one to place. Numbers are dense, so the
// sort's counts take 4 bytes per number up to the largest one met.
//
// Several keepers (one per thread scanning its share of the parts) are visited as one, each
// actor's events in the keepers' order, then in the order each keeper added them.
//
// Example:
//   ActorEvents<KeptEvent> events;
//   events.Add(number, event);  // per kept row
//   HOGLET_RETURN_IF_ERROR(events.ForEachActor([&](uint32_t number, std::span<KeptEvent> own) {
//     …
//   }));
//
// Not thread-safe; different keepers may be filled by different threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "base/status.h"

namespace hoglet::query {

template <typename Event>
class ActorEvents {
 public:
  // The memory a kept event takes at most: its record and its actor's number, then its place
  // among the events brought together (ForEachActor).
  static constexpr size_t kBytesPerEvent = 2 * sizeof(Event) + sizeof(uint32_t);

  void Add(uint32_t number, const Event& event) {
    numbers_.push_back(number);
    events_.push_back(event);
  }
  size_t size() const { return events_.size(); }
  // The events kept, in the order added (to be rewritten in place).
  std::span<Event> events() { return events_; }
  void Clear() {
    numbers_ = {};
    events_ = {};
  }

  // Calls `visit(uint32_t number, std::span<Event> events)` for each actor with events, by
  // number ascending, with its events in the order added (the span may be reordered); stops at
  // the first error. The keeper is empty after.
  template <typename Visit>
  Status ForEachActor(Visit visit) {
    ActorEvents* self = this;
    return ForEachActorOf(std::span<ActorEvents* const>(&self, 1), visit);
  }

  // ForEachActor over the events of every keeper of `keepers` as though one had kept them all,
  // those of keepers[0] first. Every keeper is empty after.
  template <typename Visit>
  static Status ForEachActorOf(std::span<ActorEvents* const> keepers, Visit visit) {
    size_t total = 0;
    uint32_t limit = 0;
    for (const ActorEvents* keeper : keepers) {
      total += keeper->size();
      for (uint32_t number : keeper->numbers_) limit = std::max(limit, number + 1);
    }
    // ends[n]: where actor n's events start, then, once they are placed, where they end (the
    // next actor's start). 4 bytes a number: a pass keeps far fewer than 2^32 events.
    std::vector<uint32_t> ends(limit, 0);
    for (const ActorEvents* keeper : keepers) {
      for (uint32_t number : keeper->numbers_) ++ends[number];
    }
    uint32_t start = 0;
    for (uint32_t& end : ends) start += std::exchange(end, start);
    std::vector<Event> placed(total);
    for (ActorEvents* keeper : keepers) {
      const std::vector<uint32_t>& numbers = keeper->numbers_;
      for (size_t i = 0; i < numbers.size(); ++i) {
        // The places of the events a few ahead, fetched while this one is placed.
        if (i + kAhead < numbers.size()) __builtin_prefetch(&ends[numbers[i + kAhead]], 1);
        placed[ends[numbers[i]]++] = keeper->events_[i];
      }
      keeper->Clear();
    }
    uint32_t begin = 0;
    for (uint32_t number = 0; number < limit; ++number) {
      const uint32_t end = ends[number];
      if (begin == end) continue;
      HOGLET_RETURN_IF_ERROR(
          visit(number, std::span<Event>(placed.data() + begin, placed.data() + end)));
      begin = end;
    }
    return Status::Ok();
  }

 private:
  static constexpr size_t kAhead = 8;

  std::vector<uint32_t> numbers_;  // numbers_[i]: the actor of events_[i]
  std::vector<Event> events_;
};

}  // namespace hoglet::query
