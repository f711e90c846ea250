// A compiled HogQL expression: the syntax tree (hogql/ast.h) resolved against the events table by
// the planner (planner.h), evaluated row by row by the executor (executor.h).
//
// Null semantics are HogQL's (analytics §4.3): a comparison is never NULL — `=`, `<`, `>`, `<=`,
// `>=`, LIKE, ILIKE, IN and `=~` are false when an operand is NULL, `!=`, NOT LIKE, NOT ILIKE,
// NOT IN and `!~` are true; `x = NULL` is `isNull(x)`. Arithmetic and most functions give NULL
// for a NULL operand; AND, OR and NOT are three-valued.
//
// Thread safety: a Node is immutable once planned; evaluate it from any thread with that
// thread's EvalContext.
#pragma once

#include <re2/re2.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "hogql/ast.h"
#include "hogql/executor/value.h"

namespace hoglet::hogql {

// The columns of the events table.
enum class EventColumn {
  kEvent,
  kTimestamp,
  kDistinctId,
  kUuid,
  kPersonId,
  kProperties,
  kCreatedAt,   // when ingestion stored the event
  kTeamId,      // the project's id
  kPersonMode,  // "full", "propertyless" or "force_upgrade"
};

// How a property reads: as HogQL's `properties.x` (Nullable(String): missing, JSON null and ""
// are NULL), as a String column such as `$session_id` ("" when missing), or as
// JSONExtractString (a string value itself, "" for anything else).
enum class PropertyRead { kNullable, kEmptyWhenMissing, kExtractString };

// What the executor serves the expressions of one row.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual Value Column(EventColumn column) = 0;
  // The event property of the planner's slot `slot` (PlannedQuery::property_keys).
  virtual Value Property(size_t slot, PropertyRead read) = 0;
  // The current property of the event's person (PlannedQuery::person_property_keys).
  virtual Value PersonProperty(size_t slot) = 0;
  // Column `index` of a row of a Source (plan.h); NULL for the events table.
  virtual Value Slot(size_t /*index*/) { return Value::Null(); }
};

// The values of an `IN (SELECT …)` subquery, as AppendMatchKey writes them.
struct ValueSet {
  std::unordered_set<std::string> keys;
  bool has_null = false;
};

struct EvalContext {
  const TimeZone* zone = nullptr;
  int64_t now_us = 0;
  RowSource* row = nullptr;                        // null after aggregation
  const std::vector<Value>* keys = nullptr;        // a group's GROUP BY values
  const std::vector<Value>* aggregates = nullptr;  // a group's finalized aggregates
  const std::vector<ValueSet>* sets = nullptr;     // the values of the IN subqueries
};

struct EvalContext;
using ScalarEval = Value (*)(const std::vector<Value>& args, const EvalContext& context);

struct Node {
  enum class Op {
    kConstant,
    kColumn,
    kProperty,
    kPersonProperty,
    kKey,        // a GROUP BY value of the group
    kAggregate,  // an aggregate of the group
    kCall,
    kAnd,
    kOr,
    kNot,
    kCompare,  // args[0] <compare> args[1]
    kIn,       // args[0] IN args[1..]
    kIsNull,
    kArithmetic,
    kMatch,  // args[0] against `regex` (LIKE, ILIKE, =~, =~*)
    kSlot,   // column `index` of a Source's row
    kInSet,  // args[0] IN the values of subquery `index` (negated: NOT IN)
  };
  Op op = Op::kConstant;
  ColumnType type;
  Value constant;
  EventColumn column = EventColumn::kEvent;
  PropertyRead read = PropertyRead::kNullable;
  size_t index = 0;  // the slot, key or aggregate
  CompareOp compare = CompareOp::kEq;
  bool negated = false;  // kIn, kIsNull, kMatch
  ArithmeticOp arithmetic = ArithmeticOp::kAdd;
  ScalarEval eval = nullptr;     // kCall
  bool null_in_null_out = true;  // kCall: NULL in any argument gives NULL without calling eval
  std::shared_ptr<const RE2> regex;
  std::vector<Node> args;
};

Value Evaluate(const Node& node, const EvalContext& context);

// Whether the node reads nothing of a row or a group, so it can be computed once.
bool IsConstantNode(const Node& node);

// A LIKE pattern (`%`, `_`, `\` escapes) as an RE2 pattern matching the whole text.
std::string LikeToRegex(std::string_view pattern);

// `value` moved by `interval` (a calendar step in `zone` for days and longer).
Value AddInterval(const Value& value, const Value& interval, int sign, const TimeZone& zone);

}  // namespace hoglet::hogql
