#include "query/funnel_actor.h"

#include <gtest/gtest.h>

#include <vector>

namespace hoglet::query {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kDay = 86'400 * kSecond;
constexpr int64_t kT0 = 1'700'000'000 * kSecond;

FunnelEvent Step(int64_t at, uint32_t steps, std::optional<std::string> breakdown = std::nullopt) {
  return FunnelEvent{kT0 + at, std::move(breakdown), steps, 0};
}

FunnelEvent Exclusion(int64_t at, uint32_t exclusions) {
  return FunnelEvent{kT0 + at, std::nullopt, 0, exclusions};
}

FunnelActorSpec Spec(size_t steps, FunnelOrder order = FunnelOrder::kOrdered) {
  FunnelActorSpec spec;
  spec.steps = steps;
  spec.window_us = 14 * kDay;
  spec.order = order;
  return spec;
}

std::vector<FunnelActorResult> Funnel(const FunnelActorSpec& spec,
                                      std::vector<FunnelEvent> events) {
  std::vector<FunnelActorResult> out;
  RunActorFunnel(spec, events, &out);
  return out;
}

// The furthest step of a single result, -1 for none.
int Reached(const std::vector<FunnelActorResult>& results) {
  if (results.empty()) return -1;
  EXPECT_EQ(results.size(), 1u);
  return static_cast<int>(results[0].step_reached);
}

TEST(FunnelActorTest, OrderedStepsWithinTheWindow) {
  auto results = Funnel(Spec(3), {Step(0, 0b001), Step(kDay, 0b010), Step(2 * kDay, 0b100)});
  ASSERT_EQ(Reached(results), 2);
  EXPECT_EQ(results[0].step_timestamps_us, (std::vector<int64_t>{kT0, kT0 + kDay, kT0 + 2 * kDay}));
}

TEST(FunnelActorTest, TheWindowCountsFromTheFirstStepInclusive) {
  EXPECT_EQ(Reached(Funnel(Spec(3),
                           {Step(0, 0b001), Step(10 * kDay, 0b010), Step(14 * kDay + 1, 0b100)})),
            1);
  EXPECT_EQ(Reached(Funnel(Spec(2), {Step(0, 0b01), Step(14 * kDay, 0b10)})), 1);
}

TEST(FunnelActorTest, StepsOutOfOrderDoNotCountAndNoFirstStepMeansNoResult) {
  EXPECT_EQ(Reached(Funnel(Spec(2), {Step(0, 0b10), Step(kDay, 0b01)})), 0);
  EXPECT_TRUE(Funnel(Spec(2), {Step(0, 0b10), Step(kDay, 0b10)}).empty());
}

TEST(FunnelActorTest, OneEventNeverSatisfiesTwoSteps) {
  // A funnel A → A: one A is the first step only; a second A completes it.
  EXPECT_EQ(Reached(Funnel(Spec(2), {Step(0, 0b11)})), 0);
  EXPECT_EQ(Reached(Funnel(Spec(2), {Step(0, 0b11), Step(kSecond, 0b11)})), 1);
}

TEST(FunnelActorTest, ALaterFirstStepStartsAFreshChain) {
  auto results = Funnel(Spec(2), {Step(0, 0b01), Step(20 * kDay, 0b01), Step(21 * kDay, 0b10)});
  ASSERT_EQ(Reached(results), 1);
  EXPECT_EQ(results[0].step_timestamps_us,
            (std::vector<int64_t>{kT0 + 20 * kDay, kT0 + 21 * kDay}));
}

TEST(FunnelActorTest, StrictFunnelsBreakOnAnyOtherEvent) {
  const FunnelActorSpec strict = Spec(3, FunnelOrder::kStrict);
  EXPECT_EQ(Reached(Funnel(strict, {Step(0, 0b001), Step(1, 0), Step(2, 0b010)})), 0);
  EXPECT_EQ(Reached(Funnel(strict, {Step(0, 0b001), Step(1, 0b010), Step(2, 0), Step(3, 0b100)})),
            1);
  EXPECT_EQ(Reached(Funnel(strict, {Step(0, 0b001), Step(1, 0b010), Step(2, 0b100)})), 2);
  EXPECT_EQ(Reached(Funnel(Spec(3), {Step(0, 0b001), Step(1, 0), Step(2, 0b010)})), 1);
}

TEST(FunnelActorTest, AnExclusionWhileTheChainWaitsRemovesTheActor) {
  // The exclusion guards step 1 (between steps 0 and 1).
  EXPECT_TRUE(Funnel(Spec(2), {Step(0, 0b01), Exclusion(1, 0b10), Step(2, 0b10)}).empty());
  // Before the funnel starts, or once the step it guards is reached, it does not.
  EXPECT_EQ(Reached(Funnel(Spec(2), {Exclusion(0, 0b10), Step(1, 0b01), Step(2, 0b10)})), 1);
  EXPECT_EQ(Reached(Funnel(Spec(3), {Step(0, 0b001), Step(1, 0b010), Exclusion(2, 0b010)})), 1);
  // Outside the window of the waiting chain it does not either.
  EXPECT_EQ(Reached(Funnel(Spec(2), {Step(0, 0b01), Exclusion(15 * kDay, 0b10)})), 0);
}

TEST(FunnelActorTest, EventsWithOneTimestampAreTriedInEveryOrder) {
  // B listed before A at the same instant still completes A → B.
  EXPECT_EQ(Reached(Funnel(Spec(2), {Step(0, 0b10), Step(0, 0b01)})), 1);
  EXPECT_EQ(Reached(Funnel(Spec(3), {Step(0, 0b100), Step(0, 0b010), Step(0, 0b001)})), 2);
}

TEST(FunnelActorTest, ACompletedFunnelIgnoresWhatFollows) {
  EXPECT_EQ(Reached(Funnel(Spec(2), {Step(0, 0b01), Step(1, 0b10), Exclusion(2, 0b10)})), 1);
}

TEST(FunnelActorTest, BreakdownAttribution) {
  std::vector<FunnelEvent> events = {Step(0, 0b01), Step(1, 0b01, "Chrome"),
                                     Step(2, 0b10, "Safari"), Step(3, 0b01, "Firefox")};
  FunnelActorSpec spec = Spec(2);
  spec.breakdown = true;

  spec.attribution = FunnelAttribution::kFirstTouch;
  auto first = Funnel(spec, events);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].breakdown, "Chrome");
  EXPECT_EQ(first[0].step_reached, 1u);

  spec.attribution = FunnelAttribution::kLastTouch;
  auto last = Funnel(spec, events);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].breakdown, "Firefox");

  // All events: the funnel runs per value over that value's events only.
  spec.attribution = FunnelAttribution::kAllEvents;
  auto all = Funnel(spec, events);
  ASSERT_EQ(all.size(), 3u);  // "", "Chrome", "Firefox" start it; "Safari" has no first step
  for (const FunnelActorResult& r : all) EXPECT_EQ(r.step_reached, 0u) << r.breakdown;

  // Step 1's value: only Safari's event may be step 1.
  spec.attribution = FunnelAttribution::kStep;
  spec.attribution_step = 1;
  auto step = Funnel(spec, events);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].breakdown, "Safari");
  EXPECT_EQ(step[0].step_reached, 1u);

  // No value anywhere: first touch counts the actor under "".
  spec.attribution = FunnelAttribution::kFirstTouch;
  auto none = Funnel(spec, {Step(0, 0b01), Step(1, 0b10)});
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].breakdown, "");
}

TEST(FunnelActorTest, UnorderedStepsCountInAnyOrderWithinOneWindow) {
  const FunnelActorSpec spec = Spec(3, FunnelOrder::kUnordered);
  auto results = Funnel(spec, {Step(0, 0b100), Step(kDay, 0b001), Step(3 * kDay, 0b010)});
  ASSERT_EQ(Reached(results), 2);
  EXPECT_EQ(results[0].step_timestamps_us, (std::vector<int64_t>{kT0, kT0 + kDay, kT0 + 3 * kDay}));
  // Any step starts it: one step alone is "completed 1 step".
  EXPECT_EQ(Reached(Funnel(spec, {Step(0, 0b010)})), 0);
  // The oldest step leaves the window before the third arrives.
  EXPECT_EQ(Reached(Funnel(spec, {Step(0, 0b001), Step(kDay, 0b010), Step(15 * kDay, 0b100)})), 1);
}

TEST(FunnelActorTest, UnorderedEventsMatchingSeveralStepsFillTheStalestOne) {
  const FunnelActorSpec spec = Spec(2, FunnelOrder::kUnordered);
  // Two events that each match both steps complete the funnel.
  EXPECT_EQ(Reached(Funnel(spec, {Step(0, 0b11), Step(kDay, 0b11)})), 1);
  EXPECT_EQ(Reached(Funnel(spec, {Step(0, 0b11)})), 0);
}

TEST(FunnelActorTest, UnorderedExclusionsStartTheActorAfresh) {
  const FunnelActorSpec spec = Spec(2, FunnelOrder::kUnordered);
  // The exclusion clears the step before it; the one after counts alone (one step), the actor
  // is not removed.
  EXPECT_EQ(Reached(Funnel(spec, {Step(0, 0b01), Exclusion(1, 0b10), Step(2, 0b10)})), 0);
  EXPECT_EQ(Reached(Funnel(spec, {Exclusion(0, 0b10), Step(1, 0b01), Step(2, 0b10)})), 1);
}

}  // namespace
}  // namespace hoglet::query
