// The distinct-actor states (dau, weekly/monthly active, unique groups) over actors' numbers:
// whatever the order the actors come in (runs in person order, repeats, strays), however the rows
// are split between states merged afterwards, whether a state keeps its numbers as a list or as
// bits, and whether more rows come after a count, the count is the number of distinct actors
// and the actors given back are those.
// Checked against std::set over random inputs.
#include "query/aggregate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <vector>

namespace hoglet::query {
namespace {

// Rows as a scan meets them: a few runs in person order (one per part), each person's rows
// together, and some persons out of place (merged-away ids). Actors' numbers are `spread` apart:
// far apart, a state keeps them as a list; close together, as bits.
std::vector<uint32_t> ScanLikeRows(std::mt19937& random, size_t runs, size_t persons,
                                   uint32_t spread = 1) {
  std::vector<uint32_t> rows;
  for (size_t run = 0; run < runs; ++run) {
    std::vector<uint32_t> members;
    for (size_t i = 0; i < persons; ++i) members.push_back(random() % (4 * persons));
    std::sort(members.begin(), members.end());
    for (uint32_t member : members) {
      const uint32_t person = random() % 20 == 0 ? random() % (4 * persons) : member;
      for (uint32_t repeat = random() % 3; repeat-- > 0;) rows.push_back(person * spread);
    }
  }
  return rows;
}

double Count(const std::vector<uint32_t>& rows) {
  return static_cast<double>(std::set<uint32_t>(rows.begin(), rows.end()).size());
}

// The distinct numbers, ascending.
std::vector<uint32_t> Distinct(const std::vector<uint32_t>& rows) {
  std::set<uint32_t> set(rows.begin(), rows.end());
  return {set.begin(), set.end()};
}

TEST(DistinctActors, CountsEachActorOnceWhateverTheOrder) {
  std::mt19937 random(11);
  for (size_t runs : {1, 2, 7}) {
    for (size_t persons : {10, 1000, 5000}) {
      for (uint32_t spread : {1u, 1000u}) {
        std::vector<uint32_t> rows = ScanLikeRows(random, runs, persons, spread);
        std::unique_ptr<Aggregate> state = NewAggregate(Math::kDau);
        for (uint32_t row : rows) state->Add({row, std::nullopt, {}});
        EXPECT_EQ(state->Finalize(), Count(rows)) << runs << " runs of " << persons;
        // More rows after a count: the count goes on from there.
        std::vector<uint32_t> more = ScanLikeRows(random, 1, persons, spread);
        for (uint32_t row : more) state->Add({row, std::nullopt, {}});
        rows.insert(rows.end(), more.begin(), more.end());
        EXPECT_EQ(state->Finalize(), Count(rows)) << runs << " runs of " << persons;
        std::vector<uint32_t> actors;
        ASSERT_TRUE(state->Actors(&actors));
        EXPECT_EQ(actors, Distinct(rows)) << runs << " runs of " << persons;
      }
    }
  }
}

TEST(DistinctActors, MergedStatesCountTheUnion) {
  std::mt19937 random(12);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<uint32_t> rows = ScanLikeRows(random, 1 + trial % 4, 200 + 300 * trial);
    const size_t shares = 1 + random() % 5;
    std::vector<std::unique_ptr<Aggregate>> states;
    for (size_t i = 0; i < shares; ++i) states.push_back(NewAggregate(Math::kWeeklyActive));
    // Shares of different sizes, some kept as bits and some as lists, merged in any order.
    for (uint32_t row : rows)
      states[random() % (random() % shares + 1)]->Add({row, std::nullopt, {}});
    // Far-apart numbers, a list whatever its share.
    for (uint32_t row : ScanLikeRows(random, 1, 50, 100000)) {
      rows.push_back(row);
      states[random() % shares]->Add({row, std::nullopt, {}});
    }
    // Into an empty state, then one by one, some counted before they are merged.
    std::unique_ptr<Aggregate> all = states.front()->NewEmpty();
    for (const auto& state : states) {
      if (random() % 2) state->Finalize();
      all->Merge(*state);
    }
    all->Merge(*states.front()->NewEmpty());  // an empty one changes nothing
    EXPECT_EQ(all->Finalize(), Count(rows)) << "trial " << trial;
    std::vector<uint32_t> actors;
    ASSERT_TRUE(all->Actors(&actors));
    EXPECT_EQ(actors, Distinct(rows)) << "trial " << trial;
  }
}

TEST(Aggregate, OnlyDistinctCountsGiveTheirActors) {
  std::vector<uint32_t> actors = {9};
  for (Math math : {Math::kTotal, Math::kSum, Math::kAvgCountPerActor}) {
    std::unique_ptr<Aggregate> state = NewAggregate(math);
    state->Add({3, 1.0, {}});
    EXPECT_FALSE(state->Actors(&actors));
  }
  EXPECT_EQ(actors, (std::vector<uint32_t>{9}));
  std::unique_ptr<Aggregate> none = NewAggregate(Math::kUniqueGroup);
  ASSERT_TRUE(none->Actors(&actors));
  EXPECT_TRUE(actors.empty());
}

}  // namespace
}  // namespace hoglet::query
