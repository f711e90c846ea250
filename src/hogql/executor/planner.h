// Planning a HogQL SELECT for the embedded engine: the syntax tree (hogql/ast.h) resolved against
// the events table into compiled expressions (expression.h), the aggregates and groups, the
// order and the limits, and what the scan can skip (the event names and the time range the
// WHERE clause allows).
//
// What plans: one SELECT over `events` (with an optional alias), or without FROM; the columns
// event, timestamp, distinct_id, uuid, person_id, `properties.x` / `properties['x']`,
// `person.properties.x`, `person.id`, `$session_id`, `$window_id`, `$group_0`…`$group_4`,
// created_at, team_id, person_mode, elements_chain;
// WHERE / PREWHERE, GROUP BY, HAVING, ORDER BY, LIMIT / OFFSET, DISTINCT; the functions of
// functions.h. Everything else — other tables, JOINs, subqueries, CTEs, UNION, ARRAY JOIN,
// window functions, LIMIT BY, unknown functions — is refused with kInvalidArgument
// "line L, column C: …" (reason "hogql_unsupported"), as is what PostHog itself refuses here
// (a column neither grouped nor aggregated, an aggregate in WHERE, arithmetic on strings).
//
// Thread safety: pure; a PlannedQuery is immutable and may be shared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time_zone.h"
#include "hogql/executor/expression.h"
#include "hogql/executor/functions.h"

namespace hoglet::hogql {

// PostHog's row limits for HogQL queries (analytics §3.8).
inline constexpr int64_t kDefaultRowLimit = 100;
inline constexpr int64_t kMaxRowLimit = 50'000;
// The rows skipped by OFFSET are kept while the scan sorts them: a bound on that memory.
inline constexpr int64_t kMaxOffset = 1'000'000;

struct PlannedAggregate {
  const AggregateFunction* function = nullptr;
  bool distinct = false;
  std::optional<Node> arg;        // absent for count()
  std::optional<Node> condition;  // the -If condition
};

struct OrderKey {
  Node expr;
  bool descending = false;
  bool nulls_first = false;
};

struct PlannedQuery {
  bool from_events = false;  // false: one row, without a table
  std::vector<std::string> column_names;
  std::vector<ColumnType> column_types;
  // Row expressions when !aggregating; group expressions (over keys and aggregates) otherwise.
  std::vector<Node> select;
  std::optional<Node> where;  // a row expression
  bool aggregating = false;
  std::vector<Node> group_keys;  // row expressions
  std::vector<PlannedAggregate> aggregates;
  std::optional<Node> having;   // a group expression
  std::vector<OrderKey> order;  // in the scope of `select`
  int64_t limit = kDefaultRowLimit;
  int64_t offset = 0;
  bool limit_given = false;  // LIMIT was in the query (so no more rows are hinted at)
  bool distinct = false;     // SELECT DISTINCT: equal output rows are kept once

  // What the scan may skip: only these event names (empty: every event), only timestamps in
  // [from_us, to_us].
  std::vector<std::string> event_names;
  int64_t from_us = INT64_MIN;
  int64_t to_us = INT64_MAX;
  // The keys of the property slots the expressions read.
  std::vector<std::string> property_keys;
  std::vector<std::string> person_property_keys;
  bool reads_persons = false;  // person_id or person properties: resolve persons per block

  std::string hogql;  // the query as HogQL prints it, with the limit applied
};

struct PlanContext {
  TimeZone zone;
  int64_t now_us = 0;
  int week_mode = 0;  // toStartOfWeek's mode without one: 0 (Sunday) or 3 (Monday)
};

// kInvalidArgument "line L, column C: …" for a syntax error or what the engine does not run.
StatusOr<PlannedQuery> PlanHogQL(std::string_view text, const PlanContext& context);

}  // namespace hoglet::hogql
