// ActorNumbers: each actor one number, for good, the numbers 0, 1, 2 … in the order actors are
// first met, repeats answered without a lookup, threads numbering at once agreeing, and each
// number's actor given back.
#include "query/actor_numbers.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace hoglet::query {
namespace {

Uuid Actor(uint32_t n) {
  Uuid uuid;
  uuid.bytes[3] = static_cast<uint8_t>(n >> 16);
  uuid.bytes[8] = static_cast<uint8_t>(n >> 8);
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

TEST(ActorNumbers, NumbersActorsInTheOrderFirstMetAndKeepsThem) {
  ActorNumbers numbers;
  const std::vector<Uuid> actors = {Actor(7), Actor(7), Actor(3), Actor(7), Actor(5), Actor(5)};
  std::vector<uint32_t> out(actors.size());
  ASSERT_TRUE(numbers.Number(actors.data(), actors.size(), out.data()).ok());
  EXPECT_EQ(out, (std::vector<uint32_t>{0, 0, 1, 0, 2, 2}));
  EXPECT_EQ(numbers.size(), 3u);
  EXPECT_EQ(*numbers.Number(Actor(5)), 2u);
  EXPECT_EQ(*numbers.Number(Actor(9)), 3u);
  EXPECT_EQ(*numbers.Number(Actor(3)), 1u);
  EXPECT_EQ(numbers.size(), 4u);
}

TEST(ActorNumbers, GivesTheActorOfANumberBack) {
  ActorNumbers numbers;
  const std::vector<Uuid> actors = {Actor(7), Actor(3), Actor(7), Actor(5)};
  std::vector<uint32_t> out(actors.size());
  ASSERT_TRUE(numbers.Number(actors.data(), actors.size(), out.data()).ok());
  const std::vector<uint32_t> asked = {2, 0, 1, 0};
  std::vector<Uuid> back(asked.size());
  numbers.ActorsOf(asked.data(), asked.size(), back.data());
  EXPECT_EQ(back, (std::vector<Uuid>{Actor(5), Actor(7), Actor(3), Actor(7)}));
}

TEST(ActorNumbers, ThreadsNumberingAtOnceAgree) {
  ActorNumbers numbers;
  constexpr uint32_t kActors = 20000;
  std::vector<std::vector<uint32_t>> seen(2, std::vector<uint32_t>(kActors));
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      // In batches, one thread forwards and the other backwards, each actor twice in a row.
      for (uint32_t start = 0; start < kActors; start += 500) {
        std::vector<Uuid> batch;
        for (uint32_t i = start; i < start + 500; ++i) {
          const uint32_t actor = t == 0 ? i : kActors - 1 - i;
          batch.push_back(Actor(actor));
          batch.push_back(Actor(actor));
        }
        std::vector<uint32_t> out(batch.size());
        ASSERT_TRUE(numbers.Number(batch.data(), batch.size(), out.data()).ok());
        for (size_t i = 0; i < out.size(); i += 2) {
          ASSERT_EQ(out[i], out[i + 1]);
          const uint32_t actor = t == 0 ? start + i / 2 : kActors - 1 - start - i / 2;
          seen[t][actor] = out[i];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(std::set<uint32_t>(seen[0].begin(), seen[0].end()).size(), kActors);
  EXPECT_EQ(numbers.size(), kActors);
  for (uint32_t number : seen[0]) EXPECT_LT(number, kActors);
  for (uint32_t actor = 0; actor < kActors; actor += 997) {
    Uuid back;
    numbers.ActorsOf(&seen[0][actor], 1, &back);
    EXPECT_EQ(back, Actor(actor));
  }
}

}  // namespace
}  // namespace hoglet::query
