// The HogQL functions the embedded engine computes, registered in one table each: scalar
// functions (toDate, lower, coalesce, dateDiff, …) and aggregates (count, uniq, sum, …, and
// their -If forms). A name not in these tables is refused by the planner.
//
// Time functions read date-times in the project's zone, as PostHog prints them
// (`toStartOfDay(toTimeZone(timestamp, '<zone>'))`, analytics §4.5, §5).
//
// Thread safety: the tables are immutable; aggregate states are used by one thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "hogql/ast.h"
#include "hogql/executor/expression.h"
#include "hogql/executor/value.h"

namespace hoglet::hogql {

struct ScalarFunction {
  std::string_view name;
  size_t min_args = 0;
  size_t max_args = 0;
  // NULL in any argument gives NULL without calling `eval` (false for coalesce, if, …).
  bool null_in_null_out = true;
  ColumnType (*result)(const std::vector<ColumnType>& args) = nullptr;
  ScalarEval eval = nullptr;
};

// The function called `name` (case-sensitive, as HogQL's names are; a few, such as `COALESCE`,
// also in capitals); null when the engine does not compute it.
const ScalarFunction* FindScalarFunction(std::string_view name);

// A mergeable aggregate state: Add takes the value of the argument of one row (not NULL: the
// caller skips NULLs, as ClickHouse does) and says how many more values the state now holds (a
// new distinct value for uniq: the memory a query bounds), Merge another state of the same
// function.
class AggregateState {
 public:
  virtual ~AggregateState() = default;
  virtual size_t Add(const Value& value) = 0;
  // Add(value) `times` times (count() adds a tally at once).
  virtual size_t AddRepeated(const Value& value, int64_t times) {
    size_t held = 0;
    for (int64_t i = 0; i < times; ++i) held += Add(value);
    return held;
  }
  virtual void Merge(const AggregateState& other) = 0;
  virtual Value Finalize() const = 0;
};

struct AggregateFunction {
  std::string_view name;
  size_t args = 0;           // without the -If condition
  bool conditional = false;  // countIf, sumIf, …: the last argument is the condition
  ColumnType (*result)(const std::vector<ColumnType>& args) = nullptr;
  // A new state; `distinct` for count(DISTINCT x), which counts as uniqExact does; `level` for
  // quantile(level)(x) (0.5 for median and quantile(x)).
  std::unique_ptr<AggregateState> (*make)(bool distinct, double level) = nullptr;
};

// The aggregate called `name`; null when it is none.
const AggregateFunction* FindAggregateFunction(std::string_view name);

// Whether `name` is an aggregate ClickHouse knows that the engine does not compute (so the
// planner can say so instead of "unknown function").
bool IsOtherAggregateName(std::string_view name);

// Whether `expr` calls an aggregate function outside a subquery (window calls aside): a query
// selecting it aggregates.
bool ContainsAggregate(const Expr& expr);

}  // namespace hoglet::hogql
