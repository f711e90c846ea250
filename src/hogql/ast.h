// The HogQL syntax tree: what the parser (parser.h) builds from query text and the printer
// (printer.h) turns back into canonical text. Later stages (name resolution, the ClickHouse-SQL
// or in-process executors) read it; they never see the text again.
//
// Every node is an `Expr` with a `kind` and the byte offsets [start, end) of the text it came
// from, so an error found later can point at it. A node owns its children (`ExprPtr`); a tree is
// plain data, safe to read from any thread once built and never shared mutably.
//
// The tree follows PostHog's own HogQL AST, including its desugarings, so that a query means the
// same thing here as there:
//   -x                       → 0 - x                 (ArithmeticOperation)
//   a ? b : c                → if(a, b, c)           (Call)
//   a ?? b                   → ifNull(a, b)
//   a || b || c              → concat(a, b, c)
//   INTERVAL 1 DAY           → toIntervalDay(1)      (also INTERVAL '1 day')
//   CASE WHEN … END          → if(…) / multiIf(…); CASE x WHEN … → _caseWithExpression(x, …)
//   TRIM(LEADING 'x' FROM y) → trimLeft(y, 'x')
//   a AND (b AND c)          → And[a, b, c]          (AND and OR are n-ary and flattened)
//   x IS NULL                → x == NULL              (Compare, is_null_style)
//   true / false / null      → Constant
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(ExprPtr select, ParseSelect("SELECT event FROM events LIMIT 10"));
//   const auto& query = select->As<SelectQuery>();
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace hoglet::hogql {

enum class ExprKind {
  kConstant,
  kField,
  kPlaceholder,
  kPositionalRef,
  kArrayAccess,
  kArraySlice,
  kTupleAccess,
  kCall,
  kExprCall,
  kLambda,
  kNamedArgument,
  kArithmetic,
  kCompare,
  kAnd,
  kOr,
  kNot,
  kBetween,
  kIsDistinctFrom,
  kTypeCast,
  kAlias,
  kArray,
  kTuple,
  kDict,
  kOrderExpr,
  kWindowFrameExpr,
  kWindowExpr,
  kRatioExpr,
  kSampleExpr,
  kJoinConstraint,
  kJoinExpr,
  kLimitBy,
  kCte,
  kSelectQuery,
  kSelectSetQuery,
};

// "SelectQuery", "Field", …: PostHog's node names.
const char* ExprKindName(ExprKind kind);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
using ExprList = std::vector<ExprPtr>;

struct Expr {
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  template <typename T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T* TryAs() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }

  const ExprKind kind;
  uint32_t start = 0;   // byte offset of the first character in the query text
  uint32_t end = 0;     // byte offset one past the last character
  uint32_t height = 1;  // 1 + the largest height of a child: the parser bounds it
};

template <ExprKind K>
struct ExprOf : Expr {
  static constexpr ExprKind kKind = K;
  ExprOf() : Expr(K) {}
};

// --- Values and names --------------------------------------------------------------------------

// A number that does not fit an int64 keeps its digits (PostHog does the same).
struct BigNumber {
  std::string digits;
  friend bool operator==(const BigNumber&, const BigNumber&) = default;
};
using ConstantValue =
    std::variant<std::monostate /* NULL */, bool, int64_t, double, std::string, BigNumber>;

struct Constant : ExprOf<ExprKind::kConstant> {
  ConstantValue value;
};

// `event`, `properties.$browser`, `person.properties.email`, `e.*`, `*`.
struct Field : ExprOf<ExprKind::kField> {
  std::vector<std::string> chain;
};

// `{name}`, `{variables.x}`: filled in before the query runs.
struct Placeholder : ExprOf<ExprKind::kPlaceholder> {
  ExprPtr expr;
};

// `#2`: the second column of the select list.
struct PositionalRef : ExprOf<ExprKind::kPositionalRef> {
  int64_t index = 0;
};

// `a[1]`, `properties['x']`, `f(x).y` (property "y"), `a?.[1]` (nullish).
struct ArrayAccess : ExprOf<ExprKind::kArrayAccess> {
  ExprPtr array;
  ExprPtr property;
  bool nullish = false;
};

// `a[1:2]`, `a[:2]`, `a[1:]`.
struct ArraySlice : ExprOf<ExprKind::kArraySlice> {
  ExprPtr array;
  ExprPtr start_expr;  // may be null
  ExprPtr end_expr;    // may be null
};

// `t.1`, `t?.2`.
struct TupleAccess : ExprOf<ExprKind::kTupleAccess> {
  ExprPtr tuple;
  int64_t index = 0;
  bool nullish = false;
};

struct OrderExpr;
struct WindowExpr;

// `count()`, `count(DISTINCT x)`, `quantile(0.9)(x)` (params [0.9], args [x]),
// `sum(x) FILTER (WHERE y)`, `groupArray(x ORDER BY y)`, `f(x) OVER (…)` / `OVER w`.
struct Call : ExprOf<ExprKind::kCall> {
  std::string name;
  ExprList args;
  std::optional<ExprList> params;
  bool distinct = false;
  ExprPtr filter_expr;                               // FILTER (WHERE …); may be null
  std::vector<std::unique_ptr<OrderExpr>> order_by;  // f(x ORDER BY y)
  std::optional<std::vector<std::unique_ptr<OrderExpr>>> within_group;
  std::unique_ptr<WindowExpr> over_expr;  // f() OVER (…)
  std::string over_identifier;            // f() OVER w
  bool is_window() const { return over_expr != nullptr || !over_identifier.empty(); }
};

// A call of something that is not a function name: `(x -> x + 1)(2)`.
struct ExprCall : ExprOf<ExprKind::kExprCall> {
  ExprPtr expr;
  ExprList args;
};

// `x -> x + 1`, `(x, y) -> x + y`, `() -> 1`, `lambda x: x`.
struct Lambda : ExprOf<ExprKind::kLambda> {
  std::vector<std::string> args;
  ExprPtr expr;
};

// `name := value` in a call's arguments.
struct NamedArgument : ExprOf<ExprKind::kNamedArgument> {
  std::string name;
  ExprPtr value;
};

// --- Operators ---------------------------------------------------------------------------------

enum class ArithmeticOp { kAdd, kSub, kMult, kDiv, kMod };
const char* ArithmeticOpText(ArithmeticOp op);  // "+", "-", "*", "/", "%"

struct ArithmeticOperation : ExprOf<ExprKind::kArithmetic> {
  ArithmeticOp op = ArithmeticOp::kAdd;
  ExprPtr left;
  ExprPtr right;
};

enum class CompareOp {
  kEq,
  kNotEq,
  kLt,
  kLtEq,
  kGt,
  kGtEq,
  kLike,
  kILike,
  kNotLike,
  kNotILike,
  kIn,
  kNotIn,
  kInCohort,
  kNotInCohort,
  kRegex,      // =~ (also ~)
  kIRegex,     // =~* (also ~*)
  kNotRegex,   // !~
  kNotIRegex,  // !~*
};
// The operator as HogQL spells it: "==", "!=", "like", "not in cohort", "=~*", …
const char* CompareOpText(CompareOp op);

// `a = b`, `a IN (…)`, `person_id IN COHORT 5`, `x IS NULL` (kEq against NULL, is_null_style).
struct CompareOperation : ExprOf<ExprKind::kCompare> {
  CompareOp op = CompareOp::kEq;
  ExprPtr left;
  ExprPtr right;
  bool is_null_style = false;  // written `IS [NOT] NULL`
};

struct And : ExprOf<ExprKind::kAnd> {
  ExprList exprs;
};
struct Or : ExprOf<ExprKind::kOr> {
  ExprList exprs;
};
struct Not : ExprOf<ExprKind::kNot> {
  ExprPtr expr;
};

struct BetweenExpr : ExprOf<ExprKind::kBetween> {
  ExprPtr expr;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
};

struct IsDistinctFrom : ExprOf<ExprKind::kIsDistinctFrom> {
  ExprPtr left;
  ExprPtr right;
  bool negated = false;  // IS NOT DISTINCT FROM
};

// `CAST(x AS String)`, `x::Int`, `TRY_CAST(x AS Int)`. The type is kept as text, lower-cased
// and spaced canonically: "nullable(string)", "decimal(10, 2)", "datetime with time zone".
struct TypeCast : ExprOf<ExprKind::kTypeCast> {
  ExprPtr expr;
  std::string type_name;
  bool try_cast = false;
};

// `expr AS name`, `expr name` (in a select list), `name: expr`.
struct Alias : ExprOf<ExprKind::kAlias> {
  std::string alias;
  ExprPtr expr;
};

struct Array : ExprOf<ExprKind::kArray> {
  ExprList exprs;
};
struct Tuple : ExprOf<ExprKind::kTuple> {
  ExprList exprs;
};
// `{'a': 1, 'b': x}`.
struct Dict : ExprOf<ExprKind::kDict> {
  std::vector<std::pair<ExprPtr, ExprPtr>> items;
};

// --- Clauses -----------------------------------------------------------------------------------

enum class NullsOrder { kDefault, kFirst, kLast };

struct OrderExpr : ExprOf<ExprKind::kOrderExpr> {
  ExprPtr expr;
  bool descending = false;
  NullsOrder nulls = NullsOrder::kDefault;
  std::optional<std::string> collate;
};

// One end of a window frame: CURRENT ROW, UNBOUNDED/n PRECEDING, UNBOUNDED/n FOLLOWING.
enum class FrameBound { kCurrentRow, kPreceding, kFollowing };
struct WindowFrameExpr : ExprOf<ExprKind::kWindowFrameExpr> {
  FrameBound type = FrameBound::kCurrentRow;
  ExprPtr value;  // null for CURRENT ROW and UNBOUNDED
};

// `(PARTITION BY … ORDER BY … ROWS BETWEEN … AND …)`.
struct WindowExpr : ExprOf<ExprKind::kWindowExpr> {
  ExprList partition_by;
  std::vector<std::unique_ptr<OrderExpr>> order_by;
  std::string frame_method;  // "ROWS", "RANGE" or empty
  std::unique_ptr<WindowFrameExpr> frame_start;
  std::unique_ptr<WindowFrameExpr> frame_end;  // only with BETWEEN
};

// `1/10` or `0.1` in SAMPLE.
struct RatioExpr : ExprOf<ExprKind::kRatioExpr> {
  ExprPtr left;
  ExprPtr right;  // may be null
};

struct SampleExpr : ExprOf<ExprKind::kSampleExpr> {
  std::unique_ptr<Expr> sample_value;  // RatioExpr or Placeholder
  std::unique_ptr<Expr> offset_value;  // may be null
};

struct JoinConstraint : ExprOf<ExprKind::kJoinConstraint> {
  ExprPtr expr;
  bool using_ = false;  // USING (the expr is a Tuple of the columns) rather than ON
};

// One table of a FROM clause and the join to the next one: FROM is a linked list.
// `table` is a Field (a table name, or a table function with `table_args`), a SelectQuery /
// SelectSetQuery (a subquery) or a Placeholder.
struct JoinExpr : ExprOf<ExprKind::kJoinExpr> {
  std::string join_type;  // how this table joins the previous one: "LEFT JOIN", "CROSS JOIN", …
  ExprPtr table;
  std::optional<ExprList> table_args;
  std::string alias;
  std::vector<std::string> column_aliases;
  bool table_final = false;
  std::unique_ptr<SampleExpr> sample;
  std::unique_ptr<JoinConstraint> constraint;
  std::unique_ptr<JoinExpr> next_join;
};

// `LIMIT n [OFFSET m] BY exprs`.
struct LimitBy : ExprOf<ExprKind::kLimitBy> {
  ExprPtr n;
  ExprPtr offset_value;  // may be null
  ExprList exprs;
};

// `WITH name AS (SELECT …)` (subquery) or `WITH expr AS name` (column).
struct Cte : ExprOf<ExprKind::kCte> {
  std::string name;
  ExprPtr expr;
  bool is_subquery = false;
  std::optional<std::vector<std::string>> columns;  // WITH name (a, b) AS (…)
  std::optional<bool> materialized;                 // AS [NOT] MATERIALIZED (…)
  bool recursive = false;                           // WITH RECURSIVE
};

struct SelectQuery : ExprOf<ExprKind::kSelectQuery> {
  std::vector<std::unique_ptr<Cte>> ctes;  // in the order written
  bool distinct = false;
  ExprList select;
  std::unique_ptr<JoinExpr> select_from;
  std::string array_join_op;  // "ARRAY JOIN", "LEFT ARRAY JOIN", "INNER ARRAY JOIN" or empty
  ExprList array_join_list;   // each an Alias
  ExprPtr prewhere;
  ExprPtr where;
  std::optional<ExprList> group_by;
  std::string group_by_mode;  // "", "all", "rollup" or "cube"
  ExprPtr having;
  ExprPtr qualify;
  std::vector<std::pair<std::string, std::unique_ptr<WindowExpr>>> window_exprs;  // in order
  std::vector<std::unique_ptr<OrderExpr>> order_by;
  std::unique_ptr<LimitBy> limit_by;
  ExprPtr limit;
  ExprPtr offset;
  bool limit_with_ties = false;
};

// `a UNION ALL b EXCEPT c`: applied left to right, as ClickHouse does. The optional ORDER BY /
// LIMIT / OFFSET after parenthesised members apply to the whole set.
struct SelectSetQuery : ExprOf<ExprKind::kSelectSetQuery> {
  struct Member {
    std::string set_operator;  // "UNION ALL", "UNION DISTINCT", "INTERSECT", "EXCEPT", …
    ExprPtr select_query;      // SelectQuery, SelectSetQuery or Placeholder
  };
  ExprPtr initial_select_query;
  std::vector<Member> subsequent_select_queries;
  std::vector<std::unique_ptr<OrderExpr>> order_by;
  ExprPtr limit;
  ExprPtr offset;
  bool limit_with_ties = false;
};

// --- Walking -----------------------------------------------------------------------------------

// Calls `visit` on each direct child of `expr`, in source order.
void ForEachChild(const Expr& expr, const std::function<void(const Expr&)>& visit);

// A structural dump of every field but the positions, e.g.
// `(And (Compare == (Field a) (Constant 1)) (Field b))`. Two trees are the same query exactly when
// their dumps are equal; tests use it.
std::string DebugString(const Expr& expr);

}  // namespace hoglet::hogql
