#include "query/funnel_actor.h"

#include <algorithm>
#include <array>
#include <bit>
#include <deque>
#include <numeric>
#include <set>

namespace hoglet::query {
namespace {

// The chain that reached a step: when it started (its step-0 event) and each step's timestamp.
// The timestamps are kept inline: chains are copied as they extend, once per step an event
// takes, and a copy moves only the timestamps filled.
struct Chain {
  bool reached = false;
  int64_t start_us = 0;
  uint32_t steps = 0;   // bit k: the chain went through step k
  uint32_t filled = 0;  // timestamps_us[0, filled): those of its required steps
  std::array<int64_t, kMaxFunnelSteps> timestamps_us;

  Chain() = default;
  Chain(bool reached, int64_t start_us) : reached(reached), start_us(start_us) {}
  Chain(const Chain& other) { *this = other; }
  Chain& operator=(const Chain& other) {
    reached = other.reached;
    start_us = other.start_us;
    steps = other.steps;
    filled = other.filled;
    std::copy_n(other.timestamps_us.begin(), filled, timestamps_us.begin());
    return *this;
  }
  void Push(int64_t timestamp_us) { timestamps_us[filled++] = timestamp_us; }
};

// chains[0] stands for the event being applied (a chain starting now); chains[k] for k ≥ 1 is
// the chain that reached step k−1.
using Chains = std::vector<Chain>;

class ActorFunnel {
 public:
  // `chains` is storage for the chains, kept by the caller from actor to actor.
  ActorFunnel(const FunnelActorSpec& spec, const std::string& value, Chains* chains)
      : spec_(spec), value_(value), chains_(*chains) {
    chains_.assign(spec.steps + 1, Chain());
  }

  // Runs over `events` (already narrowed to this value's); false when an exclusion removed the
  // actor.
  bool Run(std::span<const FunnelEvent* const> events) {
    size_t i = 0;
    while (i < events.size()) {
      size_t end = i + 1;
      while (end < events.size() && events[end]->timestamp_us == events[i]->timestamp_us) ++end;
      chains_[0] = Chain(true, events[i]->timestamp_us);
      if (!ApplyGroup(events.subspan(i, end - i))) return false;
      if (chains_[spec_.steps].reached) break;  // the whole funnel: nothing can go further
      i = end;
    }
    return true;
  }

  // The furthest step reached and its chain; nullopt when the funnel never started.
  std::optional<FunnelActorResult> Result() const {
    if (furthest_ == 0) return std::nullopt;
    // PostHog counts the optional steps up to the furthest one out of step_reached, done or not.
    const uint32_t before_furthest = furthest_ >= 32 ? ~0u : (1u << furthest_) - 1;
    const auto optional =
        static_cast<size_t>(std::popcount(spec_.optional_steps & before_furthest));
    FunnelActorResult result;
    result.step_reached = furthest_ - 1 - optional;
    result.breakdown = value_;
    result.step_timestamps_us.assign(
        furthest_chain_.timestamps_us.begin(),
        furthest_chain_.timestamps_us.begin() +
            std::min<size_t>(furthest_chain_.filled, result.step_reached + 1));
    result.step_timestamps_us.resize(result.step_reached + 1);
    result.steps_reached = furthest_chain_.steps;
    return result;
  }

 private:
  // Events with one timestamp: every order of them from the same state, the furthest chains
  // kept.
  bool ApplyGroup(std::span<const FunnelEvent* const> group) {
    if (group.size() == 1 || group.size() > kMaxPermutedEvents) {
      for (const FunnelEvent* event : group) {
        if (!Apply(*event, &chains_)) return false;
      }
      return true;
    }
    std::vector<size_t> order(group.size());
    std::iota(order.begin(), order.end(), 0);
    const Chains before = chains_;
    std::optional<Chains> best;
    do {
      Chains trial = before;
      for (size_t index : order) {
        if (!Apply(*group[index], &trial)) return false;
      }
      if (!best) {
        best = std::move(trial);
        continue;
      }
      for (size_t k = 0; k < best->size(); ++k) {
        if (Later(trial[k], (*best)[k])) (*best)[k] = std::move(trial[k]);
      }
    } while (std::next_permutation(order.begin(), order.end()));
    chains_ = *std::move(best);
    return true;
  }

  // Whether chain `a` started later than `b` (an unreached chain starts at −∞).
  static bool Later(const Chain& a, const Chain& b) {
    if (!a.reached) return false;
    return !b.reached || a.start_us > b.start_us;
  }

  // Applies one event to `chains`; false when it is an exclusion that removes the actor.
  // Exclusions first, then steps, each from the last down: one event advances a chain at most
  // one step.
  bool Apply(const FunnelEvent& event, Chains* chains) {
    for (size_t s = spec_.steps; s >= 2; --s) {
      if ((event.exclusions >> (s - 1) & 1u) != 0 &&
          Advances(event, s, Previous(event, s, *chains), *chains)) {
        return false;
      }
    }
    for (size_t s = spec_.steps; s >= 1; --s) {
      const size_t step = s - 1;
      if ((event.steps >> step & 1u) == 0) continue;
      const size_t previous = Previous(event, s, *chains);
      if (!Advances(event, s, previous, *chains)) continue;
      const bool attributed_elsewhere = spec_.attribution == FunnelAttribution::kStep &&
                                        step == spec_.attribution_step &&
                                        event.breakdown.value_or("") != value_;
      if (attributed_elsewhere) continue;
      Chain extended = (*chains)[previous];
      if ((spec_.optional_steps >> step & 1u) == 0) {
        extended.Push(event.timestamp_us);
      }
      extended.steps |= 1u << step;
      (*chains)[s] = std::move(extended);
      if (s > furthest_) {
        furthest_ = s;
        furthest_chain_ = (*chains)[s];
      }
    }
    if (spec_.order == FunnelOrder::kStrict) {
      // Any event breaks every chain it does not extend (and starts none after it at this
      // timestamp).
      for (size_t s = 0; s < chains->size(); ++s) {
        if (s == 0 || (event.steps >> (s - 1) & 1u) == 0) (*chains)[s] = Chain();
      }
    }
    return true;
  }

  // Whether `chain` exists and the event is within the window of its start.
  bool InWindow(const FunnelEvent& event, const Chain& chain) const {
    return chain.reached && event.timestamp_us - chain.start_us <= spec_.window_us;
  }

  // The chain an event read as (1-based) step `s` would extend: the one at step s−1, or, while
  // that step is optional and its chain is missing or out of the window, the one before it.
  size_t Previous(const FunnelEvent& event, size_t s, const Chains& chains) const {
    size_t previous = s - 1;
    while (previous > 0 && !InWindow(event, chains[previous]) &&
           (spec_.optional_steps >> (previous - 1) & 1u) != 0) {
      --previous;
    }
    return previous;
  }

  // Whether the event, read as (1-based) step `s`, extends the chain at `previous` (see
  // Previous): that chain exists, the event is within the window of its start, and no chain
  // from the same start reached step s already.
  bool Advances(const FunnelEvent& event, size_t s, size_t previous, const Chains& chains) const {
    const Chain& current = chains[s];
    return InWindow(event, chains[previous]) &&
           !(current.reached && current.start_us == chains[previous].start_us);
  }

  const FunnelActorSpec& spec_;
  const std::string& value_;
  Chains& chains_;
  size_t furthest_ = 0;  // the number of steps of the furthest chain
  Chain furthest_chain_;
};

// An unordered funnel (PostHog's aggregate_funnel for funnelOrderType "unordered"): the steps in
// any order, each by its oldest event still within the window of the newest one. An event that
// matches several steps fills the one whose newest event is oldest; an event that only excludes
// clears every step (it does not remove the actor); the furthest count of filled steps is kept,
// with the steps' oldest timestamps in time order.
class UnorderedFunnel {
 public:
  UnorderedFunnel(const FunnelActorSpec& spec, const std::string& value)
      : spec_(spec), value_(value), by_step_(spec.steps) {}

  void Run(std::span<const FunnelEvent* const> events) {
    for (size_t i = 0; i < events.size(); ++i) {
      Apply(*events[i]);
      if (best_ == spec_.steps) return;
      if (i + 1 == events.size()) Record();
    }
  }

  std::optional<FunnelActorResult> Result() const {
    if (best_ == 0) return std::nullopt;
    const uint32_t steps = best_ >= 32 ? ~0u : (1u << best_) - 1;
    return FunnelActorResult{best_ - 1, value_, best_timestamps_us_, steps};
  }

 private:
  void Apply(const FunnelEvent& event) {
    // Evict the oldest events out of the window of this one (all of them once the funnel is
    // complete), recording how far the actor got before each eviction.
    while (true) {
      size_t oldest = by_step_.size();
      for (size_t s = 0; s < by_step_.size(); ++s) {
        if (by_step_[s].empty()) continue;
        if (oldest == by_step_.size() || by_step_[s].front() < by_step_[oldest].front()) {
          oldest = s;
        }
      }
      if (oldest == by_step_.size()) break;
      const bool complete = filled_ >= spec_.steps;
      if (!complete && by_step_[oldest].front() + spec_.window_us >= event.timestamp_us) break;
      Record();
      by_step_[oldest].pop_front();
      if (by_step_[oldest].empty()) --filled_;
    }
    if (event.steps == 0) {
      if (event.exclusions != 0) {
        for (auto& step : by_step_) step.clear();
        filled_ = 0;
      }
      return;
    }
    size_t chosen = by_step_.size();
    int64_t chosen_newest = 0;
    for (size_t s = 0; s < by_step_.size(); ++s) {
      if ((event.steps >> s & 1u) == 0) continue;
      const int64_t newest = by_step_[s].empty() ? 0 : by_step_[s].back();
      if (chosen == by_step_.size() || newest < chosen_newest) {
        chosen = s;
        chosen_newest = newest;
      }
    }
    if (spec_.attribution == FunnelAttribution::kStep && spec_.breakdown &&
        filled_ == spec_.attribution_step && event.breakdown.value_or("") != value_) {
      return;  // the attribution step's event carries another value
    }
    if (by_step_[chosen].empty()) ++filled_;
    by_step_[chosen].push_back(event.timestamp_us);
  }

  void Record() {
    if (filled_ <= best_) return;
    best_ = filled_;
    best_timestamps_us_.clear();
    for (const auto& step : by_step_) {
      if (!step.empty()) best_timestamps_us_.push_back(step.front());
    }
    std::sort(best_timestamps_us_.begin(), best_timestamps_us_.end());
  }

  const FunnelActorSpec& spec_;
  const std::string& value_;
  std::vector<std::deque<int64_t>> by_step_;  // per step, its events' timestamps, oldest first
  size_t filled_ = 0;                         // steps with an event in by_step_
  size_t best_ = 0;
  std::vector<int64_t> best_timestamps_us_;
};

// Each distinct value the events carry (no value reads as "").
std::vector<std::string> EveryValue(std::span<const FunnelEvent> events) {
  std::set<std::string> values;
  for (const FunnelEvent& e : events) values.insert(std::string(e.breakdown.value_or("")));
  return {values.begin(), values.end()};
}

// The values the actor is counted under.
std::vector<std::string> ValuesOf(const FunnelActorSpec& spec,
                                  std::span<const FunnelEvent> events) {
  if (!spec.breakdown) return {""};
  switch (spec.attribution) {
    case FunnelAttribution::kFirstTouch:
      for (const FunnelEvent& e : events) {
        if (e.breakdown) return {std::string(*e.breakdown)};
      }
      return {""};
    case FunnelAttribution::kLastTouch:
      for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (it->breakdown) return {std::string(*it->breakdown)};
      }
      return {""};
    case FunnelAttribution::kAllEvents:
      return EveryValue(events);
    case FunnelAttribution::kStep: {
      // Unordered funnels try each value any event carries (the attribution step is the first
      // one completed, whichever it is).
      if (spec.order == FunnelOrder::kUnordered) return EveryValue(events);
      std::set<std::string> values;
      for (const FunnelEvent& e : events) {
        if ((e.steps >> spec.attribution_step & 1u) != 0 && e.breakdown) {
          values.insert(std::string(*e.breakdown));
        }
      }
      return {values.begin(), values.end()};
    }
  }
  return {""};
}

}  // namespace

void RunActorFunnel(const FunnelActorSpec& spec, std::span<const FunnelEvent> events,
                    std::vector<FunnelActorResult>* out) {
  // Kept from actor to actor on the thread: a funnel runs many actors one after another.
  thread_local std::vector<const FunnelEvent*> selected;
  thread_local Chains chains;
  auto run = [&](const std::string& value) {
    selected.clear();
    for (const FunnelEvent& e : events) {
      if (spec.attribution == FunnelAttribution::kAllEvents && spec.breakdown &&
          e.breakdown.value_or("") != value) {
        continue;
      }
      selected.push_back(&e);
    }
    std::optional<FunnelActorResult> result;
    if (spec.order == FunnelOrder::kUnordered) {
      UnorderedFunnel funnel(spec, value);
      funnel.Run(selected);
      result = funnel.Result();
    } else {
      ActorFunnel funnel(spec, value, &chains);
      if (!funnel.Run(selected)) return;
      result = funnel.Result();
    }
    if (result) out->push_back(*std::move(result));
  };
  if (!spec.breakdown) {
    run("");
    return;
  }
  for (const std::string& value : ValuesOf(spec, events)) run(value);
}

}  // namespace hoglet::query
