// Items added in ascending runs come out in order, equal items in the order they were added
// (strays after the others): as std::stable_sort would put them, whatever the runs.
#include "query/sorted_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

namespace hoglet::query {
namespace {

// (key, position added): ordered by key only.
using Item = std::pair<int, int>;
struct ByKey {
  bool operator()(const Item& a, const Item& b) const { return a.first < b.first; }
};

std::vector<Item> InOrder(SortedRuns<Item, ByKey>& runs) {
  std::vector<Item> out;
  EXPECT_TRUE(runs.ForEachInOrder([&](Item& item) {
                    out.push_back(item);
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

TEST(SortedRuns, AscendingRunsMergeAsAStableSort) {
  std::mt19937 random(7);
  for (int trial = 0; trial < 50; ++trial) {
    SortedRuns<Item, ByKey> runs;
    std::vector<Item> added;
    std::vector<Item> strays;
    const int parts = 1 + trial % 9;
    for (int part = 0; part < parts; ++part) {
      // A sorted part, with a few items out of place (a merged person's events).
      std::vector<int> keys(random() % 40);
      for (int& key : keys) key = static_cast<int>(random() % 30);
      std::sort(keys.begin(), keys.end());
      for (int key : keys) {
        const Item item(key, static_cast<int>(added.size() + strays.size()));
        if (random() % 10 == 0) {
          strays.emplace_back(static_cast<int>(random() % 30), item.second);
          runs.AddStray(strays.back());
        } else if (random() % 10 == 0) {  // out of place, not said: breaks the run
          added.emplace_back(static_cast<int>(random() % 30), item.second);
          runs.Add(added.back());
        } else {
          added.push_back(item);
          runs.Add(item);
        }
      }
    }
    std::vector<Item> expected = added;
    expected.insert(expected.end(), strays.begin(), strays.end());
    std::stable_sort(expected.begin(), expected.end(), ByKey());
    EXPECT_EQ(InOrder(runs), expected) << "trial " << trial;
  }
}

TEST(SortedRuns, ARunStartsWhereAnItemSortsBeforeTheLast) {
  SortedRuns<Item, ByKey> runs;
  for (int key : {1, 2, 2, 5, 3, 4, 4, 0}) runs.Add({key, 0});
  EXPECT_EQ(runs.runs(), 3u);  // 1 2 2 5 | 3 4 4 | 0
  EXPECT_EQ(runs.size(), 8u);
  runs.Clear();
  EXPECT_EQ(runs.runs(), 0u);
  EXPECT_TRUE(InOrder(runs).empty());
}

TEST(SortedRuns, ManyShortRunsAreSortedAtOnce) {
  SortedRuns<Item, ByKey> runs;
  std::vector<Item> added;
  for (int i = 0; i < 1000; ++i) {
    added.emplace_back((i * 7919) % 101, i);  // runs of a few items
    runs.Add(added.back());
  }
  ASSERT_GT(runs.runs(), 64u);
  std::stable_sort(added.begin(), added.end(), ByKey());
  EXPECT_EQ(InOrder(runs), added);
}

TEST(SortedRuns, GroupsHoldTheItemsThatCompareEqual) {
  SortedRuns<Item, ByKey> runs;
  for (int key : {1, 3, 3, 2, 1, 3}) runs.Add({key, static_cast<int>(runs.size())});
  std::vector<std::vector<Item>> groups;
  ASSERT_TRUE(runs.ForEachGroup([&](std::vector<Item>& group) {
                    groups.push_back(group);
                    return Status::Ok();
                  })
                  .ok());
  const std::vector<std::vector<Item>> expected = {
      {{1, 0}, {1, 4}}, {{2, 3}}, {{3, 1}, {3, 2}, {3, 5}}};
  EXPECT_EQ(groups, expected);
}

TEST(SortedRuns, TheVisitorsErrorStopsTheWalk) {
  SortedRuns<Item, ByKey> runs;
  for (int key : {3, 1, 2}) runs.Add({key, 0});
  int visited = 0;
  Status status = runs.ForEachInOrder([&](Item& item) {
    ++visited;
    return item.first == 2 ? UnavailableError("stop") : Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(visited, 2);
}

}  // namespace
}  // namespace hoglet::query
