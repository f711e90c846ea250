// The funnel of one actor (analytics §3.3): PostHog's per-actor algorithm (its aggregate_funnel
// function) over the actor's events in time order. A chain starts at an event of step 0; an event
// of step k extends the chain that reached step k−1 when it falls within the conversion window
// measured from the chain's first step; an event that matches several steps is applied to them
// from the last down, so one event never advances a chain two steps; events with the same
// timestamp are tried in every order and the furthest chains kept. An optional step may be
// skipped: the step after it extends the chain of the last step reached before it. Strict funnels
// drop every chain an event does not extend; an exclusion event while a chain waits for the step it
// guards removes the actor from the funnel. Unordered funnels count the steps done in any order
// within one window (the oldest events leave it as newer ones come); there an exclusion event
// starts the actor afresh instead of removing it, and the step timestamps are those of the steps'
// events in time order.
//
// Pure: no I/O, no clock. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hoglet::query {

enum class FunnelOrder { kOrdered, kStrict, kUnordered };

// How an actor's breakdown value is chosen (breakdownAttributionType).
enum class FunnelAttribution { kFirstTouch, kLastTouch, kAllEvents, kStep };

// Funnels have at most this many steps (the bits of FunnelEvent::steps).
inline constexpr size_t kMaxFunnelSteps = 30;

// Events with one timestamp are tried in every order up to this many; a larger group is
// applied in the order given (its permutations would cost more than the query is worth).
inline constexpr size_t kMaxPermutedEvents = 6;

struct FunnelActorSpec {
  size_t steps = 0;        // 2 … kMaxFunnelSteps
  bool breakdown = false;  // whether the query breaks down (FunnelEvent::breakdown is read)
  int64_t window_us = 0;   // the conversion window, from the first step, inclusive
  FunnelOrder order = FunnelOrder::kOrdered;
  FunnelAttribution attribution = FunnelAttribution::kFirstTouch;
  size_t attribution_step = 0;  // for kStep: the step whose event gives the value
  // Bit k: step k is optional (optionalInFunnel; never step 0, not for unordered funnels). An
  // event of the step after an optional one extends the chain of the optional step when that
  // chain is within the window, else the chain of the step before it (and so on over a run of
  // optional steps).
  uint32_t optional_steps = 0;
};

// One event of the actor, as the funnel reads it.
struct FunnelEvent {
  int64_t timestamp_us = 0;
  // The breakdown value on the event; nullopt when the event has none (or without breakdown).
  // Points into storage the caller keeps while the funnel runs.
  std::optional<std::string_view> breakdown;
  uint32_t steps = 0;       // bit k: the event matches step k
  uint32_t exclusions = 0;  // bit k (k ≥ 1): an exclusion guarding step k (from step k−1)
};

// What the actor reached, for one breakdown value.
struct FunnelActorResult {
  // The furthest step reached (0: the first only), counting required steps only: with optional
  // steps, PostHog's step_reached is the furthest step's index less the optional steps before it
  // (done or skipped).
  size_t step_reached = 0;
  std::string breakdown;  // "" without breakdown or without a value
  // The chain's timestamps of its required steps, step_reached + 1 of them: conversion times are
  // the differences of consecutive ones.
  std::vector<int64_t> step_timestamps_us;
  // Bit k: the furthest chain went through step k (without optional steps: steps 0…step_reached).
  uint32_t steps_reached = 0;
};

// Appends the actor's results to `out`, one per breakdown value the actor is counted under:
// without breakdown, "" (every event counts); first_touch / last_touch, the value of the
// earliest / latest event that has one ("" when none has); all_events, each distinct value
// (no value reads as ""), the funnel run over the events with that value only; step, each
// distinct value on events of the attribution step, the funnel run with only the events of
// that value allowed at that step. An actor who never starts the funnel, or whom an exclusion
// removed, adds nothing for that value. `events` must be sorted by timestamp.
void RunActorFunnel(const FunnelActorSpec& spec, std::span<const FunnelEvent> events,
                    std::vector<FunnelActorResult>* out);

}  // namespace hoglet::query
