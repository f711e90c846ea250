// ActorEvents: the events kept with their actors' numbers come back actor by actor, by number
// ascending, each actor's in the order added, over one keeper or several (the first keeper's
// first); the keepers are empty after, and a visit's error stops the walk. Checked against a map
// over random inputs.
#include "query/actor_events.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <utility>
#include <vector>

namespace hoglet::query {
namespace {

struct Event {
  int id = 0;
};

TEST(ActorEvents, BringsEachActorsEventsTogetherInTheOrderAdded) {
  std::mt19937 random(3);
  for (size_t keepers : {1, 2, 3}) {
    std::vector<ActorEvents<Event>> kept(keepers);
    std::vector<std::map<uint32_t, std::vector<int>>> by_keeper(keepers);
    int id = 0;
    for (int i = 0; i < 5000; ++i) {
      const size_t k = random() % keepers;
      const uint32_t number = random() % 700 * (random() % 2 == 0 ? 1 : 13);
      kept[k].Add(number, {id});
      by_keeper[k][number].push_back(id);
      ++id;
    }
    std::map<uint32_t, std::vector<int>> expected;
    for (const auto& one : by_keeper) {
      for (const auto& [number, ids] : one) {
        expected[number].insert(expected[number].end(), ids.begin(), ids.end());
      }
    }
    std::vector<ActorEvents<Event>*> all;
    for (auto& keeper : kept) all.push_back(&keeper);
    std::map<uint32_t, std::vector<int>> got;
    uint32_t last = 0;
    bool first = true;
    ASSERT_TRUE(
        ActorEvents<Event>::ForEachActorOf(all, [&](uint32_t number, std::span<Event> events) {
          EXPECT_TRUE(first || number > last) << "numbers ascending";
          first = false;
          last = number;
          for (const Event& event : events) got[number].push_back(event.id);
          return Status::Ok();
        }).ok());
    EXPECT_EQ(got, expected) << keepers << " keepers";
    for (const auto& keeper : kept) EXPECT_EQ(keeper.size(), 0u);
  }
}

TEST(ActorEvents, StopsAtTheFirstError) {
  ActorEvents<Event> kept;
  for (uint32_t number : {5u, 1u, 9u, 1u}) kept.Add(number, {static_cast<int>(number)});
  std::vector<uint32_t> visited;
  Status status = kept.ForEachActor([&](uint32_t number, std::span<Event>) {
    visited.push_back(number);
    return number == 5 ? InvalidArgumentError("stop") : Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(visited, (std::vector<uint32_t>{1, 5}));
}

TEST(ActorEvents, NothingKeptVisitsNobody) {
  ActorEvents<Event> kept;
  int visits = 0;
  ASSERT_TRUE(kept.ForEachActor([&](uint32_t, std::span<Event>) {
                    ++visits;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(visits, 0);
}

}  // namespace
}  // namespace hoglet::query
