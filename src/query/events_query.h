// PostHog's EventsQuery (analytics §3.8: the events table of the web app) as a typed value,
// parsed once from its JSON (events_query_parser.h). It runs as a HogQL SELECT over `events`
// (hogql/executor/events_select.h), as PostHog's runner composes one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "filters/filter_tree.h"

namespace hoglet::query {

// PostHog's limits for the rows of an EventsQuery (its HogQLHasMorePaginator).
inline constexpr int64_t kEventsDefaultLimit = 100;
inline constexpr int64_t kEventsMaxLimit = 50'000;
// The rows an OFFSET may skip (the HogQL executor keeps them while it orders the rows).
inline constexpr int64_t kEventsMaxOffset = 1'000'000;
// Entries a list of the query (select, where, orderBy) may hold.
inline constexpr size_t kMaxEventsQueryEntries = 200;

struct EventsQuery {
  // HogQL expressions, each optionally labelled with a trailing `-- comment`; "*" is the whole
  // event, "person" the event's person. Empty means ["*"].
  std::vector<std::string> select;
  std::vector<std::string> where;  // HogQL conditions, AND-ed (those with aggregates: HAVING)
  filters::FilterNode properties;
  filters::FilterNode fixed_properties;
  std::optional<std::string> event;
  std::optional<int64_t> action_id;
  std::optional<std::string> person_id;  // a person's UUID
  std::optional<std::string> after;      // a date; absent: "-24h"; "all": no lower bound
  std::optional<std::string> before;     // a date; absent: now + 5 s
  std::vector<std::string> order_by;     // "timestamp DESC", …
  bool filter_test_accounts = false;
  int64_t limit = kEventsDefaultLimit;  // 1 .. kEventsMaxLimit
  int64_t offset = 0;
};

}  // namespace hoglet::query
