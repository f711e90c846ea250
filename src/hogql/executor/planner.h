// Planning a HogQL SELECT for the embedded engine: the syntax tree (hogql/ast.h) resolved against
// the events table into compiled expressions (expression.h), the aggregates and groups, the
// order and the limits, and what the scan can skip (the event names and the time range the
// WHERE clause allows).
//
// What plans: a SELECT over `events` (with an optional alias), or without FROM; the columns
// event, timestamp, distinct_id, uuid, person_id, `properties.x` / `properties['x']`,
// `person.properties.x`, `person.id`, `$session_id`, `$window_id`, `$group_0`…`$group_4`,
// created_at, team_id, person_mode, elements_chain;
// the tables persons, person_distinct_ids and groups; subqueries in FROM, CTEs (WITH), UNION
// ALL, INNER / LEFT JOIN on equalities and CROSS JOIN (plan.h's Source); `IN (SELECT …)`;
// WHERE / PREWHERE, GROUP BY, HAVING, ORDER BY, LIMIT BY, LIMIT / OFFSET, DISTINCT; the
// functions of functions.h. Everything else — other tables, other set operations, ARRAY JOIN,
// window functions, unknown functions — is refused with kInvalidArgument
// "line L, column C: …" (reason "hogql_unsupported"), as is what PostHog itself refuses here
// (a column neither grouped nor aggregated, an aggregate in WHERE, arithmetic on strings).
//
// Thread safety: pure; a PlannedQuery is immutable and may be shared.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time_zone.h"
#include "hogql/executor/plan.h"

namespace hoglet::hogql {

// The values of a query's placeholders (PostHog's HogQLQuery `values`, `variables`, `filters`):
//   {name}                    `values[name]`, a constant
//   {variables.code_name}     the value of the variable of that code name, a constant
//   {filters}                 `timestamp >= from AND timestamp < to` of the date range (groups:
//                             `created_at`), each part only when given; `true` without any
//   {filters.dateRange.from}  the bound as a date-time; without one, the comparison it is in
//   {filters.dateRange.to}    holds (PostHog's reading)
// A placeholder without a value is refused with its position.
struct Placeholders {
  std::map<std::string, Value, std::less<>> values;  // "name", "variables.code_name"
  std::optional<int64_t> date_from_us;               // UTC microseconds
  std::optional<int64_t> date_to_us;
};

struct PlanContext {
  TimeZone zone;
  int64_t now_us = 0;
  int week_mode = 0;  // toStartOfWeek's mode without one: 0 (Sunday) or 3 (Monday)
  const Placeholders* placeholders = nullptr;  // null: none has a value
};

// kInvalidArgument "line L, column C: …" for a syntax error or what the engine does not run.
StatusOr<PlannedQuery> PlanHogQL(std::string_view text, const PlanContext& context);

}  // namespace hoglet::hogql
