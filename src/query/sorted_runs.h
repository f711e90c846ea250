// Items read in mostly sorted order, visited in sorted order without sorting them all: a
// per-actor insight reads each part's events in (person, time) order, as the store keeps them, so
// what it keeps is a few long ascending runs (one per part, broken where a merged person's events
// come under the person they belong to now). Add starts a new run where an item sorts before the
// one added before it (AddStray keeps an item known to be out of place apart); ForEachInOrder
// merges the runs with a heap of their heads, O(n log runs) comparisons instead of a sort's
// O(n log n) (an item equal to the one before it in its run, the same actor's next event, costs
// one), and moves or copies no item of a run.
//
// Example:
//   SortedRuns<ActorEvent, EventBefore> events;
//   for (...) events.Add(std::move(event));
//   HOGLET_RETURN_IF_ERROR(events.ForEachInOrder([&](ActorEvent& e) -> Status { ... }));
//   HOGLET_RETURN_IF_ERROR(events.ForEachGroup([&](std::vector<ActorEvent>& one_actors) {…}));
//
// Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "base/status.h"

namespace hoglet::query {

// `Less` is a strict weak order over T, default-constructible.
template <typename T, typename Less>
class SortedRuns {
 public:
  void Clear() {
    items_.clear();
    starts_.clear();
    strays_.clear();
  }
  size_t size() const { return items_.size() + strays_.size(); }
  size_t runs() const { return starts_.size() + (strays_.empty() ? 0 : 1); }

  void Add(T item) {
    if (items_.empty() || less_(item, items_.back())) starts_.push_back(items_.size());
    items_.push_back(std::move(item));
  }

  // Adds an item the caller knows to be out of its run's order (an event of a merged person):
  // such items are sorted apart, into one more run, rather than breaking the run they come in.
  void AddStray(T item) { strays_.push_back(std::move(item)); }

  // Calls `visit(T&)` with every item, in `Less` order (items that compare equal in the order
  // they were added, the strays after the others); stops at its first error.
  template <typename Visit>
  Status ForEachInOrder(Visit visit) {
    // Runs too short to be worth a heap: one sort.
    if (starts_.size() > kMaxShortRuns && starts_.size() * kShortRunItems > items_.size()) {
      std::stable_sort(items_.begin(), items_.end(), less_);
      starts_.assign(1, 0);
    }
    // The runs' heads, the strays' one run last (they stay where they are: no copy of the
    // items), in a min-heap: a head comes after another when its item sorts after, or when
    // equal and its run is later.
    struct Head {
      T* at;
      T* end;
      size_t run;
    };
    std::vector<Head> heap;
    heap.reserve(starts_.size() + 1);
    for (size_t r = 0; r < starts_.size(); ++r) {
      const size_t end = r + 1 < starts_.size() ? starts_[r + 1] : items_.size();
      heap.push_back({items_.data() + starts_[r], items_.data() + end, r});
    }
    if (!strays_.empty()) {
      std::stable_sort(strays_.begin(), strays_.end(), less_);
      heap.push_back({strays_.data(), strays_.data() + strays_.size(), starts_.size()});
    }
    auto after = [this](const Head& a, const Head& b) {
      if (less_(*b.at, *a.at)) return true;
      if (less_(*a.at, *b.at)) return false;
      return a.run > b.run;
    };
    auto sift_down = [&](size_t i) {
      const size_t n = heap.size();
      while (true) {
        size_t smallest = i;
        const size_t left = 2 * i + 1;
        const size_t right = left + 1;
        if (left < n && after(heap[smallest], heap[left])) smallest = left;
        if (right < n && after(heap[smallest], heap[right])) smallest = right;
        if (smallest == i) return;
        std::swap(heap[i], heap[smallest]);
        i = smallest;
      }
    };
    for (size_t i = heap.size() / 2; i-- > 0;) sift_down(i);
    while (!heap.empty()) {
      Head& top = heap.front();
      // An item equal to the one before it in its run (the same actor's next event) still
      // comes first: the other heads sort after that one, or equal to it from a later run.
      const bool next_equal = top.at + 1 != top.end && !less_(*top.at, *(top.at + 1));
      HOGLET_RETURN_IF_ERROR(visit(*top.at));
      if (++top.at == top.end) {
        top = heap.back();
        heap.pop_back();
      } else if (next_equal) {
        continue;
      }
      if (!heap.empty()) sift_down(0);
    }
    return Status::Ok();
  }

  // Calls `visit(group)` with each run of items that compare equal (one actor's), in order,
  // moved out of the runs into `group` (a std::vector<T>&, reused); stops at its first error.
  template <typename Visit>
  Status ForEachGroup(Visit visit) {
    std::vector<T> group;
    HOGLET_RETURN_IF_ERROR(ForEachInOrder([&](T& item) -> Status {
      if (!group.empty() && less_(group.back(), item)) {
        HOGLET_RETURN_IF_ERROR(visit(group));
        group.clear();
      }
      group.push_back(std::move(item));
      return Status::Ok();
    }));
    return group.empty() ? Status::Ok() : visit(group);
  }

 private:
  // More runs than this, of fewer than kShortRunItems items on average, are sorted instead.
  static constexpr size_t kMaxShortRuns = 64;
  static constexpr size_t kShortRunItems = 32;

  Less less_;
  std::vector<T> items_;
  std::vector<size_t> starts_;  // where each run starts
  std::vector<T> strays_;
};

}  // namespace hoglet::query
