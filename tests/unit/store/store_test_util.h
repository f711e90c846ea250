// Helpers for tests that open a ColumnarStore.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "filters/filter_tree.h"
#include "store/columnar_store.h"
#include "store/event_query.h"

namespace hoglet::store::testing {

inline ColumnarStoreOptions TestOptions(const std::string& dir) {
  ColumnarStoreOptions options;
  options.dir = dir;
  options.fsync = false;
  options.merge_threads = 0;
  return options;
}

inline std::unique_ptr<EventStore> OpenOrDie(const ColumnarStoreOptions& options) {
  StatusOr<std::unique_ptr<EventStore>> store = OpenColumnarStore(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? *std::move(store) : nullptr;
}

inline std::vector<Event> List(const EventStore& store, EventQuery query) {
  StatusOr<std::vector<Event>> events = store.ListEvents(query);
  EXPECT_TRUE(events.ok()) << events.status().ToString();
  return events.ok() ? *std::move(events) : std::vector<Event>();
}

inline EventQuery AllOf(int64_t team, size_t limit = 1000000) {
  EventQuery q;
  q.team_id = team;
  q.limit = limit;
  return q;
}

// Names of the entries of `dir` starting with `prefix`.
// Event property filters from their JSON (a list or a group), as the events list reads them.
inline filters::FilterNode EventFilters(std::string_view json) {
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  options.filter.strict = true;
  StatusOr<filters::FilterNode> tree = filters::ParseFilterTree(json, options);
  EXPECT_TRUE(tree.ok()) << json << ": " << tree.status().ToString();
  return tree.ok() ? *std::move(tree) : filters::FilterNode();
}

inline std::set<std::string> EntriesWithPrefix(const std::string& dir, const std::string& prefix) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.insert(name);
  }
  return out;
}

}  // namespace hoglet::store::testing
