// ActorBuckets: each bucket's actors turned round into each actor's buckets, ascending, whatever
// the order the buckets come in; buckets past the range and empty ones left out; the actors given
// back from their numbers, also once the numbering is gone. Checked against a map over random
// inputs.
#include "query/actor_buckets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

namespace hoglet::query {
namespace {

Uuid Actor(uint32_t n) {
  Uuid uuid;
  uuid.bytes[2] = static_cast<uint8_t>(n >> 16);
  uuid.bytes[9] = static_cast<uint8_t>(n >> 8);
  uuid.bytes[14] = static_cast<uint8_t>(n);
  return uuid;
}

TEST(ActorBuckets, GivesEachActorItsBucketsInOrder) {
  std::mt19937 random(5);
  for (size_t trial = 0; trial < 10; ++trial) {
    const size_t buckets = 1 + random() % 40;
    ActorNumbers numbering;
    std::vector<uint32_t> numbers(500);
    std::vector<Uuid> everyone;
    for (uint32_t i = 0; i < numbers.size(); ++i) everyone.push_back(Actor(i * 7 + 1));
    ASSERT_TRUE(numbering.Number(everyone.data(), everyone.size(), numbers.data()).ok());

    std::map<uint32_t, std::vector<uint32_t>> expected;  // number → buckets
    std::vector<size_t> order(buckets + 2);              // two buckets past the range
    for (size_t b = 0; b < order.size(); ++b) order[b] = b;
    std::shuffle(order.begin(), order.end(), random);
    ActorBuckets active(buckets);
    for (size_t bucket : order) {
      std::set<uint32_t> members;
      for (size_t i = random() % 200; i-- > 0;) members.insert(random() % numbers.size());
      const std::vector<uint32_t> sorted(members.begin(), members.end());
      ASSERT_TRUE(active.Add(bucket, sorted, numbering).ok());
      if (bucket >= buckets) continue;
      for (uint32_t number : sorted) expected[number].push_back(static_cast<uint32_t>(bucket));
    }
    active.Finish();
    for (auto& [number, list] : expected) std::sort(list.begin(), list.end());

    ASSERT_EQ(active.size(), expected.size()) << "trial " << trial;
    const std::vector<Uuid> actors = active.Actors();
    size_t i = 0;
    for (const auto& [number, list] : expected) {
      EXPECT_EQ(active.NumberOf(i), number);
      EXPECT_EQ(actors[i], everyone[number]);
      const std::span<const uint32_t> got = active.BucketsOf(i);
      EXPECT_EQ(std::vector<uint32_t>(got.begin(), got.end()), list);
      ++i;
    }
  }
}

TEST(ActorBuckets, KeepsTheActorsWhenTheirNumberingIsGone) {
  ActorBuckets active(2);
  {
    ActorNumbers numbering;
    const std::vector<Uuid> actors = {Actor(4), Actor(8)};
    std::vector<uint32_t> numbers(2);
    ASSERT_TRUE(numbering.Number(actors.data(), actors.size(), numbers.data()).ok());
    ASSERT_TRUE(active.Add(1, {1}, numbering).ok());
    ASSERT_TRUE(active.Add(0, {0, 1}, numbering).ok());
  }
  active.Finish();
  EXPECT_EQ(active.Actors(), (std::vector<Uuid>{Actor(4), Actor(8)}));
  const std::span<const uint32_t> second = active.BucketsOf(1);
  EXPECT_EQ(std::vector<uint32_t>(second.begin(), second.end()), (std::vector<uint32_t>{0, 1}));
}

TEST(ActorBuckets, NothingAddedIsNoActor) {
  ActorNumbers numbering;
  ActorBuckets active(3);
  ASSERT_TRUE(active.Add(1, {}, numbering).ok());
  active.Finish();
  EXPECT_EQ(active.size(), 0u);
  EXPECT_TRUE(active.Actors().empty());
}

TEST(ActorBuckets, RefusesASecondNumbering) {
  ActorNumbers one;
  ActorNumbers two;
  ASSERT_TRUE(one.Number(Actor(1)).ok());
  ASSERT_TRUE(two.Number(Actor(2)).ok());
  ActorBuckets active(3);
  ASSERT_TRUE(active.Add(0, {0}, one).ok());
  EXPECT_EQ(active.Add(1, {0}, two).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hoglet::query
