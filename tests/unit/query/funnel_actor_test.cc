#include "query/funnel_actor.h"

#include <gtest/gtest.h>

#include <vector>

namespace hoglet::query {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kDay = 86'400 * kSecond;
constexpr int64_t kT0 = 1'700'000'000 * kSecond;

FunnelEvent Step(int64_t at, uint32_t steps,
                 std::optional<std::string_view> breakdown = std::nullopt) {
  return FunnelEvent{kT0 + at, breakdown, steps, 0};
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

// Steps a, b (optional), c, d (optional), e: PostHog's own example journeys, one per actor.
FunnelActorSpec OptionalSpec(FunnelOrder order = FunnelOrder::kOrdered) {
  FunnelActorSpec spec = Spec(5, order);
  spec.optional_steps = 0b01010;
  return spec;
}

TEST(FunnelActorTest, OptionalStepsMayBeSkipped) {
  const int64_t m = 60 * kSecond;
  // a, c: c extends the chain of a (b was skipped). step_reached counts required steps only:
  // furthest step c (index 2) less the one optional step before it = 1.
  auto ac = Funnel(OptionalSpec(), {Step(0, 0b00001), Step(2 * m, 0b00100)});
  ASSERT_EQ(ac.size(), 1u);
  EXPECT_EQ(ac[0].steps_reached, 0b00101u);
  EXPECT_EQ(ac[0].step_reached, 1u);
  EXPECT_EQ(ac[0].step_timestamps_us, (std::vector<int64_t>{kT0, kT0 + 2 * m}));

  // a, b, c, e: every required step, b's timestamp not among them. Furthest e (4) less b and d.
  auto abce = Funnel(OptionalSpec(), {Step(0, 0b00001), Step(m, 0b00010), Step(2 * m, 0b00100),
                                      Step(4 * m, 0b10000)});
  ASSERT_EQ(abce.size(), 1u);
  EXPECT_EQ(abce[0].steps_reached, 0b10111u);
  EXPECT_EQ(abce[0].step_reached, 2u);
  EXPECT_EQ(abce[0].step_timestamps_us, (std::vector<int64_t>{kT0, kT0 + 2 * m, kT0 + 4 * m}));

  // a, c, d: stops at the optional d; furthest d (3) less b and d = 1.
  auto acd = Funnel(OptionalSpec(), {Step(0, 0b00001), Step(2 * m, 0b00100), Step(3 * m, 0b01000)});
  ASSERT_EQ(acd.size(), 1u);
  EXPECT_EQ(acd[0].steps_reached, 0b01101u);
  EXPECT_EQ(acd[0].step_reached, 1u);

  // A required step cannot be skipped: a, e reaches a only.
  auto ae = Funnel(OptionalSpec(), {Step(0, 0b00001), Step(4 * m, 0b10000)});
  ASSERT_EQ(ae.size(), 1u);
  EXPECT_EQ(ae[0].steps_reached, 0b00001u);
  EXPECT_EQ(ae[0].step_reached, 0u);
}

TEST(FunnelActorTest, AnOptionalStepOutOfTheWindowIsSkipped) {
  // Two chains: a at day 0, b at day 1 (chain from day 0), a again at day 10, c at day 15.
  // The chain of b started at day 0 and is out of c's window (15 > 14 days), so c extends the
  // chain of the a at day 10 instead: steps a and c, b not among them.
  FunnelActorSpec spec = Spec(3);
  spec.optional_steps = 0b010;
  auto results = Funnel(
      spec, {Step(0, 0b001), Step(kDay, 0b010), Step(10 * kDay, 0b001), Step(15 * kDay, 0b100)});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].steps_reached, 0b101u);
  EXPECT_EQ(results[0].step_reached, 1u);
  EXPECT_EQ(results[0].step_timestamps_us,
            (std::vector<int64_t>{kT0 + 10 * kDay, kT0 + 15 * kDay}));
}

TEST(FunnelActorTest, StrictFunnelsBreakOnAnyEventEvenWithOptionalSteps) {
  // a, x, c: the event x between matches no step and breaks every chain.
  auto broken = Funnel(OptionalSpec(FunnelOrder::kStrict),
                       {Step(0, 0b00001), Step(kSecond, 0), Step(2 * kSecond, 0b00100)});
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].steps_reached, 0b00001u);
  // a, c directly after it: b may be skipped in a strict funnel too.
  auto direct =
      Funnel(OptionalSpec(FunnelOrder::kStrict), {Step(0, 0b00001), Step(kSecond, 0b00100)});
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0].steps_reached, 0b00101u);
}

TEST(FunnelActorTest, AnExclusionAfterASkippedOptionalStepStillRemovesTheActor) {
  // Steps a, b (optional), c; an exclusion guarding c (from b): bit 2. For a, x, c the exclusion
  // x finds no chain at b and falls back to a's, as c itself would: the actor is removed.
  FunnelActorSpec spec = Spec(3);
  spec.optional_steps = 0b010;
  EXPECT_TRUE(
      Funnel(spec, {Step(0, 0b001), Exclusion(kSecond, 0b100), Step(2 * kSecond, 0b100)}).empty());
  // Without the exclusion, a then c.
  auto kept = Funnel(spec, {Step(0, 0b001), Step(2 * kSecond, 0b100)});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].steps_reached, 0b101u);
}

}  // namespace
}  // namespace hoglet::query
