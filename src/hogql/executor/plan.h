// A planned HogQL query: what the planner (planner.h) makes of a SELECT and the executor
// (executor.h) runs. A query reads the events table by scanning it (the scan bounds say what it
// may skip), reads one row without FROM, or reads the rows of a Source: a table of the person
// store, a subquery, a UNION ALL of queries, or a join of two sources.
//
// Expressions over a Source's rows read its columns by position (Node::Op::kSlot); the columns
// are named after the table alias they came from, so `p.id` and `id` both find them.
//
// Thread safety: plain data, immutable once planned; share it freely.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
  double level = 0.5;             // quantile(level)(x)
};

struct OrderKey {
  Node expr;
  bool descending = false;
  bool nulls_first = false;
};

struct Source;

struct PlannedQuery {
  bool from_events = false;  // false (and no source): one row, without a table
  // Set: the rows come from this source instead of the events table.
  std::shared_ptr<const Source> source;
  // A subquery: no default limit (only the bound on rows held), and the limit is not capped.
  bool subquery = false;
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
  // LIMIT n BY exprs: at most `limit_by_count` rows (after `limit_by_offset`) per value of
  // `limit_by` (in the scope of `select`), applied after ORDER BY and before LIMIT.
  std::vector<Node> limit_by;
  int64_t limit_by_count = 0;
  int64_t limit_by_offset = 0;
  // The subqueries of `x IN (SELECT …)`, each of one column: Node::Op::kInSet reads the values
  // of subquery `index`, computed before the query runs.
  std::vector<PlannedQuery> in_subqueries;

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

// A column of a Source. `table` is the alias it is read through (`e`, `persons`; empty for the
// columns of a UNION ALL); `json` marks a JSON object text whose keys read as `properties.x`.
struct SourceColumn {
  std::string table;
  std::string name;
  ColumnType type;
  bool json = false;
};

// The tables of the person store a query can read, in the project's scope.
enum class PersonTable { kPersons, kDistinctIds, kGroups };

struct Source {
  enum class Kind { kTable, kQuery, kUnion, kJoin };
  Kind kind = Kind::kTable;
  std::vector<SourceColumn> columns;
  PersonTable table = PersonTable::kPersons;  // kTable
  std::vector<PlannedQuery> queries;          // kQuery: one; kUnion: the members, in order
  // kJoin: the rows of `left` with those of `right` whose keys are equal (hash join);
  // `left_keys` read the left rows, `right_keys` the right ones. A LEFT JOIN keeps the left rows
  // without a match, with the right columns' defaults ("" , 0, NULL for Nullable columns).
  std::shared_ptr<const Source> left;
  std::shared_ptr<const Source> right;
  bool left_join = false;
  std::vector<Node> left_keys;
  std::vector<Node> right_keys;
};

}  // namespace hoglet::hogql
