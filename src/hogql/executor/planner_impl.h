// The planner's state, shared by planner.cc (the SELECT and its expressions), source_planner.cc
// (FROM: tables, subqueries, CTEs, UNION ALL, joins) and scan_bounds.cc (what the events scan
// may skip). Not part of the module's interface: use planner.h.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hogql/ast.h"
#include "hogql/executor/planner.h"
#include "hogql/lexer.h"

namespace hoglet::hogql::internal {

// Where an expression is compiled: over the rows of the table, over the groups after
// aggregation (GROUP BY values and aggregates only), or with neither (LIMIT, scan bounds).
enum class Scope { kRow, kGroup };

Node ConstantNode(Value value, ColumnType type);
Node Operation(Node::Op op, ColumnType type, std::vector<Node> args);
bool AnyNullable(const std::vector<Node>& nodes);
bool IsTime(ColumnType type);

// The subquery CTEs in scope (WITH name AS (SELECT …)), by name.
using CteMap = std::map<std::string, const Cte*, std::less<>>;

class Planner {
 public:
  // `outermost`: the query the answer shows (a default LIMIT, the printed query); otherwise a
  // subquery.
  Planner(std::string_view text, const PlanContext& context, CteMap ctes, bool outermost)
      : text_(text), context_(context), ctes_(std::move(ctes)), outermost_(outermost) {}

  // A SELECT or a UNION ALL of SELECTs.
  StatusOr<PlannedQuery> PlanAny(Expr& query);

  // Expressions over given columns only (join keys).
  void UseColumns(std::vector<SourceColumn> columns) {
    columns_ = std::move(columns);
    from_source_ = true;
  }
  StatusOr<Node> CompileRow(const Expr& expr) { return Compile(expr, Scope::kRow); }

 private:
  Status Refuse(const Expr& at, const std::string& message) const {
    return InvalidArgumentError(DescribePosition(text_, at.start) + ": " + message,
                                "hogql_unsupported");
  }

  StatusOr<PlannedQuery> Plan(SelectQuery& query);
  StatusOr<PlannedQuery> PlanUnion(SelectSetQuery& set);
  Status CheckClauses(const SelectQuery& query);
  Status PlanSelectList(const SelectQuery& query);
  Status PlanLimits(SelectQuery& query);

  // source_planner.cc
  Status PlanFrom(const SelectQuery& query);
  // `filter`: an events table here may be narrowed by WHERE before the joins.
  StatusOr<std::shared_ptr<const Source>> PlanFromItem(const JoinExpr& item, bool filter);
  StatusOr<std::shared_ptr<const Source>> PlanJoin(std::shared_ptr<const Source> left,
                                                   const JoinExpr& item, bool filter);
  // A subquery, planned with the CTEs `ctes` in scope.
  StatusOr<PlannedQuery> PlanSubquery(const Expr& query, const CteMap& ctes) const;
  StatusOr<Node> CompileSourceField(const Expr& at, const std::vector<std::string>& chain);
  StatusOr<Node> CompileInSubquery(Node left, const Expr& subquery, bool negated);
  // events_source_planner.cc: the events table as a source read through `alias`; `filter`: its
  // rows may be narrowed by the conjuncts of WHERE that read only it.
  StatusOr<PlannedQuery> PlanEventsSource(const std::string& alias, bool filter) const;
  StatusOr<PlannedQuery> PlanEventsColumns(const std::string& alias,
                                           const std::set<std::string>& used,
                                           const std::vector<const Expr*>& conjuncts);
  // The columns a `*` or `t.*` in the SELECT list stands for; nullopt when `item` is neither.
  StatusOr<std::optional<std::vector<size_t>>> ExpandStar(const Expr& item) const;

  const Expr& Resolve(const Expr& expr, std::vector<std::string>* via = nullptr) const;
  StatusOr<Node> Compile(const Expr& expr, Scope scope);
  StatusOr<Node> CompileResolved(const Expr& expr, Scope scope);
  StatusOr<Node> CompileField(const Expr& at, const std::vector<std::string>& chain);
  StatusOr<Node> CompileCall(const Call& call, Scope scope);
  // `level`: quantile(level)(x)'s.
  StatusOr<Node> CompileAggregate(const Call& call, const AggregateFunction& function, Scope scope,
                                  double level = 0.5);
  StatusOr<Node> CompileCompare(const Expr& at, CompareOp op, const Expr& left_expr,
                                const Expr& right_expr, Scope scope);
  StatusOr<Node> CompileArithmetic(const ArithmeticOperation& arithmetic, Scope scope);
  StatusOr<Node> ReadProperty(const Expr& at, const std::string& key, PropertyRead read);
  StatusOr<const Expr*> SelectItem(const Expr& at, int64_t position) const;
  StatusOr<int64_t> ConstantCount(const Expr* expr, const char* clause) const;
  // placeholder_planner.cc
  StatusOr<Node> CompilePlaceholder(const Placeholder& placeholder);
  bool IsUnsetDateBound(const Expr& expr) const;
  // scan_bounds.cc
  void FindScanBounds();

  const std::string_view text_;
  const PlanContext& context_;
  CteMap ctes_;
  const bool outermost_;
  PlannedQuery plan_;
  std::string table_alias_;
  // The columns of the Source the query reads (from_source_), which expressions read by slot.
  std::vector<SourceColumn> columns_;
  bool from_source_ = false;
  const SelectQuery* query_ = nullptr;
  std::map<std::string, const Expr*, std::less<>> aliases_;
  std::vector<std::string> group_texts_;           // the GROUP BY expressions, printed
  std::map<std::string, size_t> aggregate_index_;  // printed aggregate → its index
  bool in_aggregate_ = false;
  // The aliases being compiled: inside its own expression a name is the column, not the alias
  // (`toString(event) AS event`).
  std::set<std::string> expanding_;
};

}  // namespace hoglet::hogql::internal
