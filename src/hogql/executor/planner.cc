#include "hogql/executor/planner.h"

#include <algorithm>
#include <map>
#include <set>

#include "hogql/executor/planner_impl.h"
#include "hogql/lexer.h"
#include "hogql/parser.h"
#include "hogql/printer.h"

namespace hoglet::hogql::internal {

Node ConstantNode(Value value, ColumnType type) {
  Node node;
  node.op = Node::Op::kConstant;
  node.constant = std::move(value);
  node.type = type;
  return node;
}

Node Operation(Node::Op op, ColumnType type, std::vector<Node> args) {
  Node node;
  node.op = op;
  node.type = type;
  node.args = std::move(args);
  return node;
}

bool AnyNullable(const std::vector<Node>& nodes) {
  for (const Node& node : nodes) {
    if (node.type.nullable || node.type.base == BaseType::kNothing) return true;
  }
  return false;
}

bool IsTime(ColumnType type) {
  return type.base == BaseType::kDateTime || type.base == BaseType::kDate;
}

Status Planner::CheckClauses(const SelectQuery& query) {
  // WITH name AS (SELECT …) is a table for FROM; WITH expr AS name an alias.
  for (const std::unique_ptr<Cte>& cte : query.ctes) {
    if (cte->recursive) return Refuse(*cte, "WITH RECURSIVE is not supported");
    if (cte->columns) return Refuse(*cte, "column names of a CTE are not supported yet");
    if (cte->is_subquery) {
      ctes_[cte->name] = cte.get();
    } else {
      aliases_.emplace(cte->name, cte->expr.get());
    }
  }
  if (!query.array_join_op.empty()) {
    const Expr& at = query.array_join_list.empty() ? static_cast<const Expr&>(query)
                                                   : *query.array_join_list.front();
    return Refuse(at, query.array_join_op + " is not supported yet");
  }
  if (!query.window_exprs.empty()) {
    return Refuse(*query.window_exprs.front().second,
                  "WINDOW (window functions) is not supported yet");
  }
  if (query.qualify) return Refuse(*query.qualify, "QUALIFY is not supported yet");
  if (query.limit_with_ties) {
    return Refuse(query.limit ? *query.limit : static_cast<const Expr&>(query),
                  "LIMIT … WITH TIES is not supported yet");
  }
  if (!query.group_by_mode.empty()) {
    return Refuse(query, "GROUP BY " + query.group_by_mode + " is not supported yet");
  }
  return Status::Ok();
}

// A name that is a select alias stands for the aliased expression (ClickHouse prefers aliases
// to columns); an alias that names itself (`event AS event`) is the column.
const Expr& Planner::Resolve(const Expr& expr, std::vector<std::string>* via) const {
  const Expr* current = &expr;
  std::set<std::string> seen;
  for (;;) {
    if (const Alias* alias = current->TryAs<Alias>()) {
      current = alias->expr.get();
      continue;
    }
    const Field* field = current->TryAs<Field>();
    if (field == nullptr || field->chain.size() != 1) return *current;
    const std::string& name = field->chain[0];
    auto found = aliases_.find(name);
    if (found == aliases_.end() || expanding_.contains(name) || !seen.insert(name).second) {
      return *current;
    }
    if (via != nullptr) via->push_back(name);
    const Expr* target = found->second;
    if (const Field* same = target->TryAs<Field>();
        same != nullptr && same->chain == field->chain) {
      return *current;
    }
    current = target;
  }
}

StatusOr<Node> Planner::ReadProperty(const Expr& at, const std::string& key, PropertyRead read) {
  if (!plan_.from_events) return Refuse(at, "properties need FROM events");
  auto found = std::find(plan_.property_keys.begin(), plan_.property_keys.end(), key);
  Node node;
  node.op = Node::Op::kProperty;
  node.index = static_cast<size_t>(found - plan_.property_keys.begin());
  if (found == plan_.property_keys.end()) plan_.property_keys.push_back(key);
  node.read = read;
  node.type = {BaseType::kString, read == PropertyRead::kNullable};
  return node;
}

StatusOr<Node> Planner::CompileField(const Expr& at, const std::vector<std::string>& full) {
  if (from_source_) return CompileSourceField(at, full);
  std::vector<std::string> chain = full;
  if (chain.size() > 1 &&
      (chain[0] == "events" || (!table_alias_.empty() && chain[0] == table_alias_))) {
    chain.erase(chain.begin());
  }
  if (chain.size() == 1 && chain[0] == "*") {
    return Refuse(at, "SELECT * is not supported yet: name the columns (event, timestamp, …)");
  }
  if (!plan_.from_events) {
    return Refuse(at, "column '" + chain[0] + "' needs a table: add FROM events");
  }
  auto column = [&](EventColumn c, BaseType base) {
    Node node;
    node.op = Node::Op::kColumn;
    node.column = c;
    node.type = {base, false};
    if (c == EventColumn::kPersonId) plan_.reads_persons = true;
    return node;
  };
  const std::string& head = chain[0];
  if (chain.size() == 1) {
    if (head == "event") return column(EventColumn::kEvent, BaseType::kString);
    if (head == "timestamp") return column(EventColumn::kTimestamp, BaseType::kDateTime);
    if (head == "distinct_id") return column(EventColumn::kDistinctId, BaseType::kString);
    if (head == "uuid") return column(EventColumn::kUuid, BaseType::kUuid);
    if (head == "person_id") return column(EventColumn::kPersonId, BaseType::kUuid);
    if (head == "$session_id" || head == "$window_id" ||
        (head.size() == 8 && head.starts_with("$group_") && head[7] >= '0' && head[7] <= '4')) {
      return ReadProperty(at, head, PropertyRead::kEmptyWhenMissing);
    }
    if (head == "properties") return column(EventColumn::kProperties, BaseType::kString);
    if (head == "created_at") return column(EventColumn::kCreatedAt, BaseType::kDateTime);
    if (head == "team_id") return column(EventColumn::kTeamId, BaseType::kInt64);
    if (head == "person_mode") return column(EventColumn::kPersonMode, BaseType::kString);
    // The autocapture chain as the SDK sent it ($elements_chain), "" without one.
    if (head == "elements_chain") {
      return ReadProperty(at, "$elements_chain", PropertyRead::kEmptyWhenMissing);
    }
    if (head == "person") {
      return Refuse(at,
                    "the whole person is not served yet: read person.id or "
                    "person.properties.<key>");
    }
    static const std::set<std::string, std::less<>> kKnown = {"person_properties",
                                                              "pdi",
                                                              "session",
                                                              "poe",
                                                              "elements_chain_href",
                                                              "elements_chain_texts",
                                                              "elements_chain_ids",
                                                              "elements_chain_elements",
                                                              "group_0",
                                                              "group_1",
                                                              "group_2",
                                                              "group_3",
                                                              "group_4"};
    if (kKnown.contains(head)) {
      return Refuse(at, "column '" + head + "' of events is not served by this server yet");
    }
    return Refuse(at, "unknown column '" + head +
                          "' (events has event, timestamp, distinct_id, "
                          "uuid, person_id, properties, person, $session_id, …)");
  }
  if (head == "properties") {
    if (chain.size() > 2) {
      return Refuse(at, "nested property access (properties.a.b) is not supported yet");
    }
    return ReadProperty(at, chain[1], PropertyRead::kNullable);
  }
  if (head == "person" || head == "pdi") {
    if (head == "person" && chain.size() == 2 && chain[1] == "id") {
      return column(EventColumn::kPersonId, BaseType::kUuid);
    }
    if (head == "person" && chain.size() == 3 && chain[1] == "properties") {
      auto found =
          std::find(plan_.person_property_keys.begin(), plan_.person_property_keys.end(), chain[2]);
      Node node;
      node.op = Node::Op::kPersonProperty;
      node.index = static_cast<size_t>(found - plan_.person_property_keys.begin());
      if (found == plan_.person_property_keys.end()) plan_.person_property_keys.push_back(chain[2]);
      node.type = {BaseType::kString, true};
      plan_.reads_persons = true;
      return node;
    }
    return Refuse(at, "of the person, this server serves person.id and person.properties.<key>");
  }
  std::string name;
  for (const std::string& part : full) name += (name.empty() ? "" : ".") + part;
  return Refuse(at, "unknown field '" + name + "'");
}

StatusOr<Node> Planner::CompileArithmetic(const ArithmeticOperation& arithmetic, Scope scope) {
  HOGLET_ASSIGN_OR_RETURN(Node left, Compile(*arithmetic.left, scope));
  HOGLET_ASSIGN_OR_RETURN(Node right, Compile(*arithmetic.right, scope));
  for (const auto& [side, expr] :
       {std::pair{&left, arithmetic.left.get()}, std::pair{&right, arithmetic.right.get()}}) {
    if (side->type.base == BaseType::kString || side->type.base == BaseType::kUuid) {
      return Refuse(*expr, "arithmetic needs numbers, and '" + PrintHogQL(*expr) +
                               "' is a string: wrap it in toFloat(…) or toInt(…)");
    }
  }
  ColumnType type;
  const ArithmeticOp op = arithmetic.op;
  if (IsTime(left.type) || IsTime(right.type)) {
    type.base = left.type.base == BaseType::kDate && right.type.base != BaseType::kInterval
                    ? BaseType::kDate
                    : BaseType::kDateTime;
    if (left.type.base == BaseType::kDate && right.type.base == BaseType::kInterval) {
      type.base = BaseType::kDate;  // a date moved by days, weeks, months or years
    }
  } else if (op == ArithmeticOp::kDiv || left.type.base == BaseType::kFloat64 ||
             right.type.base == BaseType::kFloat64) {
    type.base = BaseType::kFloat64;
  } else if (left.type.base == BaseType::kInterval || right.type.base == BaseType::kInterval) {
    type.base = BaseType::kInterval;
  } else if (op != ArithmeticOp::kSub && left.type.base != BaseType::kInt64 &&
             right.type.base != BaseType::kInt64) {
    type.base = BaseType::kUInt64;
  } else {
    type.base = BaseType::kInt64;
  }
  std::vector<Node> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  type.nullable = AnyNullable(args) || op == ArithmeticOp::kMod;
  Node node = Operation(Node::Op::kArithmetic, type, std::move(args));
  node.arithmetic = op;
  return node;
}

StatusOr<Node> Planner::CompileCompare(const Expr& at, CompareOp op, const Expr& left_expr,
                                       const Expr& right_expr, Scope scope) {
  if (op == CompareOp::kInCohort || op == CompareOp::kNotInCohort) {
    return Refuse(at, "IN COHORT is not supported yet");
  }
  // A comparison with an unset bound of the date range holds.
  if (IsUnsetDateBound(left_expr) || IsUnsetDateBound(right_expr)) {
    return ConstantNode(Value::Bool(true), {BaseType::kUInt8, false});
  }
  HOGLET_ASSIGN_OR_RETURN(Node left, Compile(left_expr, scope));
  const ColumnType condition{BaseType::kUInt8, false};
  if (op == CompareOp::kIn || op == CompareOp::kNotIn) {
    const Expr& right = right_expr;
    if (right.kind == ExprKind::kSelectQuery || right.kind == ExprKind::kSelectSetQuery) {
      return CompileInSubquery(std::move(left), right, op == CompareOp::kNotIn);
    }
    std::vector<const Expr*> items;
    if (const Tuple* tuple = right.TryAs<Tuple>()) {
      for (const ExprPtr& item : tuple->exprs) items.push_back(item.get());
    } else if (const Array* array = right.TryAs<Array>()) {
      for (const ExprPtr& item : array->exprs) items.push_back(item.get());
    } else {
      items.push_back(&right);
    }
    std::vector<Node> args;
    args.push_back(std::move(left));
    for (const Expr* item : items) {
      HOGLET_ASSIGN_OR_RETURN(Node node, Compile(*item, scope));
      args.push_back(std::move(node));
    }
    Node node = Operation(Node::Op::kIn, condition, std::move(args));
    node.negated = op == CompareOp::kNotIn;
    return node;
  }
  const bool like = op == CompareOp::kLike || op == CompareOp::kILike ||
                    op == CompareOp::kNotLike || op == CompareOp::kNotILike;
  const bool regex = op == CompareOp::kRegex || op == CompareOp::kIRegex ||
                     op == CompareOp::kNotRegex || op == CompareOp::kNotIRegex;
  if (like || regex) {
    const Constant* pattern = right_expr.TryAs<Constant>();
    if (pattern == nullptr || !std::holds_alternative<std::string>(pattern->value)) {
      return Refuse(right_expr, std::string("the pattern of ") + CompareOpText(op) +
                                    " must be a string literal here");
    }
    const std::string& text = std::get<std::string>(pattern->value);
    const bool insensitive = op == CompareOp::kILike || op == CompareOp::kNotILike ||
                             op == CompareOp::kIRegex || op == CompareOp::kNotIRegex;
    std::string expression = like ? LikeToRegex(text) : text;
    if (insensitive) expression = "(?i)" + expression;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);
    auto compiled = std::make_shared<RE2>(expression, options);
    if (!compiled->ok()) {
      return Refuse(right_expr, "invalid regular expression: " + compiled->error());
    }
    std::vector<Node> args;
    args.push_back(std::move(left));
    Node node = Operation(Node::Op::kMatch, condition, std::move(args));
    node.regex = std::move(compiled);
    node.negated = op == CompareOp::kNotLike || op == CompareOp::kNotILike ||
                   op == CompareOp::kNotRegex || op == CompareOp::kNotIRegex;
    return node;
  }
  HOGLET_ASSIGN_OR_RETURN(Node right, Compile(right_expr, scope));
  // `x = NULL` is isNull(x), `x != NULL` isNotNull(x); other comparisons with NULL are false.
  const bool left_null = left.op == Node::Op::kConstant && left.constant.is_null();
  const bool right_null = right.op == Node::Op::kConstant && right.constant.is_null();
  if ((left_null || right_null) && (op == CompareOp::kEq || op == CompareOp::kNotEq)) {
    std::vector<Node> args;
    args.push_back(right_null ? std::move(left) : std::move(right));
    Node node = Operation(Node::Op::kIsNull, condition, std::move(args));
    node.negated = op == CompareOp::kNotEq;
    return node;
  }
  // A string literal against a date or date-time is read as one, in the project's zone.
  for (auto [time, other, expr] :
       {std::tuple{&left, &right, &right_expr}, std::tuple{&right, &left, &left_expr}}) {
    if (!IsTime(time->type) || other->op != Node::Op::kConstant ||
        other->constant.kind != Value::Kind::kString) {
      continue;
    }
    std::optional<int64_t> instant = ParseDateTimeText(other->constant.s, context_.zone);
    if (!instant) {
      return Refuse(*expr, "'" + other->constant.s +
                               "' is not a date or date-time (write "
                               "'2024-01-31' or '2024-01-31 13:45:00')");
    }
    *other = ConstantNode(Value::DateTime(*instant), {BaseType::kDateTime, false});
  }
  std::vector<Node> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  Node node = Operation(Node::Op::kCompare, condition, std::move(args));
  node.compare = op;
  return node;
}

StatusOr<Node> Planner::Compile(const Expr& original, Scope scope) {
  std::vector<std::string> via;
  const Expr& expr = Resolve(original, &via);
  std::vector<std::string> added;
  for (const std::string& name : via) {
    if (expanding_.insert(name).second) added.push_back(name);
  }
  StatusOr<Node> node = CompileResolved(expr, scope);
  for (const std::string& name : added) expanding_.erase(name);
  return node;
}

StatusOr<Node> Planner::CompileResolved(const Expr& expr, Scope scope) {
  if (scope == Scope::kGroup && !group_texts_.empty() && expr.kind != ExprKind::kConstant) {
    std::string printed = PrintHogQL(expr);
    for (size_t i = 0; i < group_texts_.size(); ++i) {
      if (group_texts_[i] != printed) continue;
      Node node;
      node.op = Node::Op::kKey;
      node.index = i;
      node.type = plan_.group_keys[i].type;
      return node;
    }
  }
  switch (expr.kind) {
    case ExprKind::kConstant: {
      const ConstantValue& value = expr.As<Constant>().value;
      if (std::holds_alternative<std::monostate>(value)) return ConstantNode(Value::Null(), {});
      if (const bool* b = std::get_if<bool>(&value)) {
        return ConstantNode(Value::Bool(*b), {BaseType::kUInt8, false});
      }
      if (const int64_t* i = std::get_if<int64_t>(&value)) {
        return ConstantNode(Value::Int(*i), {*i < 0 ? BaseType::kInt64 : BaseType::kUInt64, false});
      }
      if (const double* d = std::get_if<double>(&value)) {
        return ConstantNode(Value::Float(*d), {BaseType::kFloat64, false});
      }
      if (const std::string* s = std::get_if<std::string>(&value)) {
        return ConstantNode(Value::String(*s), {BaseType::kString, false});
      }
      return Refuse(expr, "numbers this large are not supported");
    }
    case ExprKind::kField: {
      if (scope == Scope::kGroup && !in_aggregate_) {
        const Field& field = expr.As<Field>();
        std::string name;
        for (const std::string& part : field.chain) name += (name.empty() ? "" : ".") + part;
        if (!(field.chain.size() == 1 && field.chain[0] == "*")) {
          return Refuse(expr, "'" + name +
                                  "' is neither in GROUP BY nor inside an aggregate "
                                  "function");
        }
      }
      return CompileField(expr, expr.As<Field>().chain);
    }
    case ExprKind::kArrayAccess: {
      const ArrayAccess& access = expr.As<ArrayAccess>();
      const Field* base = access.array->TryAs<Field>();
      const Constant* key = access.property->TryAs<Constant>();
      if (base != nullptr && key != nullptr && std::holds_alternative<std::string>(key->value)) {
        std::vector<std::string> chain = base->chain;
        chain.push_back(std::get<std::string>(key->value));
        if (scope == Scope::kGroup && !in_aggregate_) {
          return Refuse(expr, "'" + PrintHogQL(expr) +
                                  "' is neither in GROUP BY nor inside an aggregate function");
        }
        return CompileField(expr, chain);
      }
      return Refuse(expr, "array and map access is served for properties['key'] only");
    }
    case ExprKind::kCall:
      return CompileCall(expr.As<Call>(), scope);
    case ExprKind::kArithmetic:
      return CompileArithmetic(expr.As<ArithmeticOperation>(), scope);
    case ExprKind::kCompare: {
      const CompareOperation& compare = expr.As<CompareOperation>();
      return CompileCompare(expr, compare.op, *compare.left, *compare.right, scope);
    }
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const ExprList& items =
          expr.kind == ExprKind::kAnd ? expr.As<And>().exprs : expr.As<Or>().exprs;
      std::vector<Node> args;
      for (const ExprPtr& item : items) {
        HOGLET_ASSIGN_OR_RETURN(Node node, Compile(*item, scope));
        if (node.type.base == BaseType::kString) {
          return Refuse(*item, "a condition is needed here, and this is a string: compare it");
        }
        args.push_back(std::move(node));
      }
      ColumnType type{BaseType::kUInt8, AnyNullable(args)};
      return Operation(expr.kind == ExprKind::kAnd ? Node::Op::kAnd : Node::Op::kOr, type,
                       std::move(args));
    }
    case ExprKind::kNot: {
      HOGLET_ASSIGN_OR_RETURN(Node inner, Compile(*expr.As<Not>().expr, scope));
      std::vector<Node> args;
      ColumnType type{BaseType::kUInt8, inner.type.nullable};
      args.push_back(std::move(inner));
      return Operation(Node::Op::kNot, type, std::move(args));
    }
    case ExprKind::kBetween: {
      const BetweenExpr& between = expr.As<BetweenExpr>();
      // a BETWEEN b AND c is a >= b AND a <= c.
      HOGLET_ASSIGN_OR_RETURN(
          Node first, CompileCompare(expr, CompareOp::kGtEq, *between.expr, *between.low, scope));
      HOGLET_ASSIGN_OR_RETURN(
          Node second, CompileCompare(expr, CompareOp::kLtEq, *between.expr, *between.high, scope));
      std::vector<Node> args;
      args.push_back(std::move(first));
      args.push_back(std::move(second));
      Node both = Operation(Node::Op::kAnd, {BaseType::kUInt8, false}, std::move(args));
      if (!between.negated) return both;
      std::vector<Node> negated;
      negated.push_back(std::move(both));
      return Operation(Node::Op::kNot, {BaseType::kUInt8, false}, std::move(negated));
    }
    case ExprKind::kSelectQuery:
    case ExprKind::kSelectSetQuery:
      return Refuse(expr, "subqueries are not supported yet");
    case ExprKind::kPlaceholder:
      return CompilePlaceholder(expr.As<Placeholder>());
    case ExprKind::kLambda:
      return Refuse(expr, "lambdas are not supported yet");
    case ExprKind::kTuple:
    case ExprKind::kArray:
      return Refuse(expr, "arrays and tuples are supported only as the list of IN (…)");
    case ExprKind::kPositionalRef:
      return Refuse(expr, "positional references (#n) are supported only in GROUP BY and ORDER BY");
    case ExprKind::kTypeCast:
      return Refuse(expr,
                    "casts are not supported yet: use toString, toInt, toFloat, toDate or "
                    "toDateTime");
    default:
      return Refuse(expr, std::string(ExprKindName(expr.kind)) + " is not supported yet");
  }
}

StatusOr<const Expr*> Planner::SelectItem(const Expr& at, int64_t position) const {
  if (position < 1 || static_cast<size_t>(position) > query_->select.size()) {
    return Refuse(at, "position " + std::to_string(position) +
                          " is not a column of the SELECT "
                          "list (it has " +
                          std::to_string(query_->select.size()) + ")");
  }
  return &Resolve(*query_->select[static_cast<size_t>(position - 1)]);
}

StatusOr<int64_t> Planner::ConstantCount(const Expr* expr, const char* clause) const {
  const Constant* constant = expr->TryAs<Constant>();
  if (constant == nullptr || !std::holds_alternative<int64_t>(constant->value) ||
      std::get<int64_t>(constant->value) < 0) {
    return Refuse(*expr, std::string(clause) + " must be a non-negative whole number here");
  }
  return std::get<int64_t>(constant->value);
}

StatusOr<PlannedQuery> Planner::PlanAny(Expr& query) {
  if (query.kind == ExprKind::kSelectQuery) return Plan(query.As<SelectQuery>());
  if (query.kind == ExprKind::kSelectSetQuery) return PlanUnion(query.As<SelectSetQuery>());
  return Refuse(query, "the query must be a SELECT");
}

StatusOr<PlannedQuery> Planner::Plan(SelectQuery& query) {
  query_ = &query;
  HOGLET_RETURN_IF_ERROR(CheckClauses(query));
  HOGLET_RETURN_IF_ERROR(PlanFrom(query));
  for (const ExprPtr& item : query.select) {
    if (const Alias* alias = item->TryAs<Alias>())
      aliases_.emplace(alias->alias, alias->expr.get());
  }

  bool aggregating = query.group_by.has_value() || query.having != nullptr;
  for (const ExprPtr& item : query.select) aggregating = aggregating || ContainsAggregate(*item);
  for (const auto& order : query.order_by) aggregating = aggregating || ContainsAggregate(*order);
  plan_.aggregating = aggregating || query.distinct;
  plan_.distinct = query.distinct;

  // WHERE (and PREWHERE, which ClickHouse only reads earlier).
  std::vector<Node> conditions;
  for (const Expr* clause : {query.prewhere.get(), query.where.get()}) {
    if (clause == nullptr) continue;
    if (ContainsAggregate(*clause)) {
      return Refuse(*clause, "aggregate functions are not allowed in WHERE: use HAVING");
    }
    HOGLET_ASSIGN_OR_RETURN(Node condition, Compile(*clause, Scope::kRow));
    if (condition.type.base == BaseType::kString) {
      return Refuse(*clause, "WHERE needs a condition, and this is a string: compare it");
    }
    conditions.push_back(std::move(condition));
  }
  if (conditions.size() == 1) {
    plan_.where = std::move(conditions.front());
  } else if (conditions.size() == 2) {
    plan_.where = Operation(Node::Op::kAnd, {BaseType::kUInt8, true}, std::move(conditions));
  }

  // GROUP BY (DISTINCT without aggregates groups by the whole SELECT list).
  std::vector<const Expr*> group_exprs;
  if (query.group_by) {
    for (const ExprPtr& item : *query.group_by) {
      const Expr* expr = &Resolve(*item);
      if (const PositionalRef* ref = item->TryAs<PositionalRef>()) {
        HOGLET_ASSIGN_OR_RETURN(expr, SelectItem(*item, ref->index));
      } else if (const Constant* c = item->TryAs<Constant>();
                 c != nullptr && std::holds_alternative<int64_t>(c->value)) {
        HOGLET_ASSIGN_OR_RETURN(expr, SelectItem(*item, std::get<int64_t>(c->value)));
      }
      if (ContainsAggregate(*expr)) {
        return Refuse(*item, "aggregate functions are not allowed in GROUP BY");
      }
      group_exprs.push_back(expr);
    }
  } else if (query.distinct && !aggregating) {
    for (const ExprPtr& item : query.select) group_exprs.push_back(&Resolve(*item));
  }
  for (const Expr* expr : group_exprs) {
    HOGLET_ASSIGN_OR_RETURN(std::optional<std::vector<size_t>> star, ExpandStar(*expr));
    if (star) return Refuse(*expr, "* is not supported with GROUP BY or DISTINCT yet");
    HOGLET_ASSIGN_OR_RETURN(Node key, Compile(*expr, Scope::kRow));
    plan_.group_keys.push_back(std::move(key));
    group_texts_.push_back(PrintHogQL(*expr));
  }

  HOGLET_RETURN_IF_ERROR(PlanSelectList(query));
  const Scope output = plan_.aggregating ? Scope::kGroup : Scope::kRow;
  if (query.having) {
    HOGLET_ASSIGN_OR_RETURN(Node having, Compile(*query.having, Scope::kGroup));
    plan_.having = std::move(having);
  }
  for (const auto& order : query.order_by) {
    OrderKey key;
    key.descending = order->descending;
    key.nulls_first = order->nulls == NullsOrder::kFirst;
    if (order->collate) return Refuse(*order, "COLLATE is not supported");
    const Expr& expr = *order->expr;
    std::optional<int64_t> position;
    if (const PositionalRef* ref = expr.TryAs<PositionalRef>()) position = ref->index;
    if (const Constant* c = expr.TryAs<Constant>();
        c != nullptr && std::holds_alternative<int64_t>(c->value)) {
      position = std::get<int64_t>(c->value);
    }
    if (position) {
      HOGLET_RETURN_IF_ERROR(SelectItem(expr, *position).status());
      key.expr = plan_.select[static_cast<size_t>(*position - 1)];
    } else {
      HOGLET_ASSIGN_OR_RETURN(key.expr, Compile(expr, output));
    }
    plan_.order.push_back(std::move(key));
  }
  if (query.limit_by) {
    const LimitBy& limit_by = *query.limit_by;
    HOGLET_ASSIGN_OR_RETURN(plan_.limit_by_count, ConstantCount(limit_by.n.get(), "LIMIT … BY"));
    if (limit_by.offset_value) {
      HOGLET_ASSIGN_OR_RETURN(plan_.limit_by_offset,
                              ConstantCount(limit_by.offset_value.get(), "OFFSET … BY"));
    }
    for (const ExprPtr& expr : limit_by.exprs) {
      HOGLET_ASSIGN_OR_RETURN(Node node, Compile(*expr, output));
      plan_.limit_by.push_back(std::move(node));
    }
  }
  HOGLET_RETURN_IF_ERROR(PlanLimits(query));
  FindScanBounds();
  if (outermost_) {
    // The printed query shows the limit that applied.
    auto limit = std::make_unique<Constant>();
    limit->value = plan_.limit;
    query.limit = std::move(limit);
    plan_.hogql = PrintHogQL(query);
  }
  return std::move(plan_);
}

Status Planner::PlanSelectList(const SelectQuery& query) {
  const Scope output = plan_.aggregating ? Scope::kGroup : Scope::kRow;
  for (const ExprPtr& item : query.select) {
    HOGLET_ASSIGN_OR_RETURN(std::optional<std::vector<size_t>> star, ExpandStar(*item));
    if (star) {
      if (plan_.aggregating) return Refuse(*item, "* is not supported with aggregation yet");
      for (size_t index : *star) {
        Node node;
        node.op = Node::Op::kSlot;
        node.index = index;
        node.type = columns_[index].type;
        plan_.column_names.push_back(columns_[index].name);
        plan_.column_types.push_back(node.type);
        plan_.select.push_back(std::move(node));
      }
      continue;
    }
    HOGLET_ASSIGN_OR_RETURN(Node node, Compile(*item, output));
    std::string name;
    if (const Alias* alias = item->TryAs<Alias>()) {
      name = alias->alias;
    } else if (const Field* field = item->TryAs<Field>()) {
      name = field->chain.back();
    } else if (const ArrayAccess* access = item->TryAs<ArrayAccess>();
               access != nullptr && access->property->kind == ExprKind::kConstant &&
               std::holds_alternative<std::string>(access->property->As<Constant>().value)) {
      name = std::get<std::string>(access->property->As<Constant>().value);
    } else {
      name = PrintHogQL(*item);
    }
    if (node.type.base == BaseType::kInterval) {
      return Refuse(*item, "an interval is not a column value: add it to a date");
    }
    plan_.column_names.push_back(std::move(name));
    plan_.column_types.push_back(node.type);
    plan_.select.push_back(std::move(node));
  }
  return Status::Ok();
}

// LIMIT and OFFSET: the outermost query shows 100 rows unless told otherwise, and at most
// 50,000; a subquery keeps every row (within the executor's bound on rows held).
Status Planner::PlanLimits(SelectQuery& query) {
  plan_.subquery = !outermost_;
  if (query.limit) {
    HOGLET_ASSIGN_OR_RETURN(plan_.limit, ConstantCount(query.limit.get(), "LIMIT"));
    plan_.limit_given = true;
    if (outermost_ && plan_.limit > kMaxRowLimit) {
      plan_.limit = kMaxRowLimit;
      plan_.limit_given = false;  // capped: there may be more rows
    }
  }
  if (query.offset) {
    HOGLET_ASSIGN_OR_RETURN(plan_.offset, ConstantCount(query.offset.get(), "OFFSET"));
    // The rows before the offset are kept while the scan orders them.
    if (plan_.offset > kMaxOffset) {
      return Refuse(*query.offset, "OFFSET is at most " + std::to_string(kMaxOffset) +
                                       " here: narrow WHERE or order differently");
    }
  }
  return Status::Ok();
}

}  // namespace hoglet::hogql::internal

namespace hoglet::hogql {

StatusOr<PlannedQuery> PlanHogQL(std::string_view text, const PlanContext& context) {
  HOGLET_ASSIGN_OR_RETURN(ExprPtr root, ParseSelect(text));
  internal::Planner planner(text, context, {}, /*outermost=*/true);
  return planner.PlanAny(*root);
}

}  // namespace hoglet::hogql
