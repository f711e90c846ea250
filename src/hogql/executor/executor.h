// Runs a HogQLQuery (analytics §4) on the embedded engine: plans the query (planner.h), scans the
// project's parts (store/scan_source.h) — skipping the parts and blocks outside the time range
// and the event names the WHERE clause allows — evaluates each row, folds the rows into
// mergeable aggregate states per group, and sorts and limits the answer.
//
// Other sources (plan.h) — the person store's tables, subqueries, CTEs, UNION ALL and joins —
// are read into rows first (relation.h, join.h); the query then runs over those rows as over
// events. Every such set of rows holds at most `max_rows` rows: past it the query is refused
// with kInvalidArgument (reason "hogql_too_many_rows") naming the bound.
//
// Persons are resolved at query time as trends resolve them (query/event_persons.h): person_id is
// the person the event's distinct id belongs to now, person.properties that person's current
// properties.
//
// Bounds: at most `max_groups` groups (GROUP BY values, DISTINCT rows) while scanning, and
// LIMIT at most 50,000 rows (100 when the query gives none), as PostHog; past the group bound
// the query is refused with kInvalidArgument (reason "hogql_too_many_groups"), and likewise past
// `max_distinct_values` values held for distinct counts ("hogql_too_many_distinct_values").
// `check` runs
// between blocks: its error (deadline, cancellation) ends the query.
//
// Thread safety: RunHogQL may be called from any thread; the context's objects are used by the
// calling thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time_zone.h"
#include "hogql/executor/person_tables.h"
#include "hogql/executor/plan.h"
#include "hogql/executor/planner.h"
#include "hogql/executor/value.h"
#include "query/event_persons.h"
#include "store/block_reader.h"
#include "store/scan_source.h"

namespace hoglet::hogql {

struct HogQLRunContext {
  TimeZone zone;  // the project's: time functions and date-time results read it
  int64_t now_us = 0;
  int week_mode = 0;  // the project's first day of the week: 0 (Sunday) or 3 (Monday)
  const query::PersonOverrides* overrides = nullptr;     // null: stored persons
  query::PersonProperties* person_properties = nullptr;  // null: persons have no properties
  std::function<Status()> check;                         // may be empty
  // When set, narrows each block's rows before WHERE runs (the property filters, action and
  // person of an EventsQuery, which the filter engine applies on the typed columns); its error
  // ends the query.
  std::function<Status(store::BlockReader*, store::RowSelection*)> narrow;
  size_t max_groups = 100'000;
  // Distinct values held by uniq / count(DISTINCT …) states, over all groups.
  size_t max_distinct_values = 10'000'000;
  // The persons, person_distinct_ids and groups tables; null: querying them is kUnavailable.
  PersonTableReader* person_tables = nullptr;
  // Rows held by one table read, subquery, UNION ALL or join (and by one IN subquery).
  size_t max_rows = 500'000;
  const Placeholders* placeholders = nullptr;  // the values of {…}; null: none has one
};

struct HogQLResult {
  std::vector<std::string> columns;
  std::vector<std::string> types;  // ClickHouse type names
  std::vector<std::vector<Value>> rows;
  bool has_more = false;
  int64_t limit = 0;
  int64_t offset = 0;
  std::string hogql;  // the query as printed, with its limit
};

// kInvalidArgument "line L, column C: …" for a query the engine does not run (planner.h) and for
// the bounds above; the store's errors otherwise. `source` may be null for a query without FROM.
StatusOr<HogQLResult> RunHogQL(std::string_view text, const HogQLRunContext& context,
                               const store::ScanSource* source, int64_t team_id);

// What a planned query reads: the context above, the event store (may be null) and the project.
struct RunInputs {
  const HogQLRunContext* context = nullptr;
  const store::ScanSource* source = nullptr;
  int64_t team_id = 0;
};

// Runs a planned query (the outermost one or a subquery). A subquery without LIMIT keeps every
// row, up to `max_rows` (past it: kInvalidArgument, "hogql_too_many_rows").
StatusOr<HogQLResult> RunPlannedQuery(const PlannedQuery& plan, const RunInputs& inputs);

}  // namespace hoglet::hogql
