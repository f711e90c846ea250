#include "hogql/executor/planner.h"

#include <algorithm>
#include <map>
#include <set>

#include "hogql/lexer.h"
#include "hogql/parser.h"
#include "hogql/printer.h"

namespace hoglet::hogql {
namespace {

// Where an expression is compiled: over the rows of the table, over the groups after
// aggregation (GROUP BY values and aggregates only), or with neither (LIMIT, scan bounds).
enum class Scope { kRow, kGroup };

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

class Planner {
 public:
  Planner(std::string_view text, const PlanContext& context) : text_(text), context_(context) {}

  StatusOr<PlannedQuery> Plan(SelectQuery& query);

 private:
  Status Refuse(const Expr& at, const std::string& message) const {
    return InvalidArgumentError(DescribePosition(text_, at.start) + ": " + message,
                                "hogql_unsupported");
  }

  Status CheckClauses(const SelectQuery& query) const;
  Status PlanFrom(const SelectQuery& query);
  const Expr& Resolve(const Expr& expr, std::vector<std::string>* via = nullptr) const;
  StatusOr<Node> Compile(const Expr& expr, Scope scope);
  StatusOr<Node> CompileResolved(const Expr& expr, Scope scope);
  StatusOr<Node> CompileField(const Expr& at, const std::vector<std::string>& chain);
  StatusOr<Node> CompileCall(const Call& call, Scope scope);
  StatusOr<Node> CompileAggregate(const Call& call, const AggregateFunction& function, Scope scope);
  StatusOr<Node> CompileCompare(const Expr& at, CompareOp op, const Expr& left_expr,
                                const Expr& right_expr, Scope scope);
  StatusOr<Node> CompileArithmetic(const ArithmeticOperation& arithmetic, Scope scope);
  StatusOr<Node> ReadProperty(const Expr& at, const std::string& key, PropertyRead read);
  StatusOr<const Expr*> SelectItem(const Expr& at, int64_t position) const;
  StatusOr<int64_t> ConstantCount(const Expr* expr, const char* clause) const;
  void FindScanBounds();

  const std::string_view text_;
  const PlanContext& context_;
  PlannedQuery plan_;
  std::string table_alias_;
  const SelectQuery* query_ = nullptr;
  std::map<std::string, const Expr*, std::less<>> aliases_;
  std::vector<std::string> group_texts_;           // the GROUP BY expressions, printed
  std::map<std::string, size_t> aggregate_index_;  // printed aggregate → its index
  bool in_aggregate_ = false;
  // The aliases being compiled: inside its own expression a name is the column, not the alias
  // (`toString(event) AS event`).
  std::set<std::string> expanding_;
};

Status Planner::CheckClauses(const SelectQuery& query) const {
  if (!query.ctes.empty()) {
    return Refuse(*query.ctes.front(), "WITH (common table expressions) is not supported yet");
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
  if (query.limit_by) return Refuse(*query.limit_by, "LIMIT … BY is not supported yet");
  if (query.limit_with_ties) {
    return Refuse(query.limit ? *query.limit : static_cast<const Expr&>(query),
                  "LIMIT … WITH TIES is not supported yet");
  }
  if (!query.group_by_mode.empty()) {
    return Refuse(query, "GROUP BY " + query.group_by_mode + " is not supported yet");
  }
  return Status::Ok();
}

Status Planner::PlanFrom(const SelectQuery& query) {
  const JoinExpr* from = query.select_from.get();
  if (from == nullptr) return Status::Ok();
  if (from->next_join) {
    return Refuse(*from->next_join, "JOIN is not supported yet: query the events table alone");
  }
  if (from->table->kind == ExprKind::kSelectQuery ||
      from->table->kind == ExprKind::kSelectSetQuery) {
    return Refuse(*from->table, "subqueries are not supported yet: query the events table");
  }
  const Field* table = from->table->TryAs<Field>();
  if (table == nullptr || from->table_args) {
    return Refuse(*from->table, "only the events table can be queried here");
  }
  if (table->chain.size() != 1 || table->chain[0] != "events") {
    std::string name;
    for (const std::string& part : table->chain) name += (name.empty() ? "" : ".") + part;
    return Refuse(*from->table, "table '" + name +
                                    "' is not supported yet: this server queries the events table");
  }
  if (from->sample) return Refuse(*from->sample, "SAMPLE is not supported yet");
  if (from->table_final) return Refuse(*from, "FINAL is not supported");
  if (!from->column_aliases.empty())
    return Refuse(*from, "column aliases of a table are not supported");
  plan_.from_events = true;
  table_alias_ = from->alias;
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

StatusOr<Node> Planner::CompileAggregate(const Call& call, const AggregateFunction& function,
                                         Scope scope) {
  if (scope == Scope::kRow || in_aggregate_) {
    return Refuse(call, in_aggregate_ ? "an aggregate function cannot be inside another one"
                                      : "aggregate function " + call.name +
                                            "() is not allowed here (only in SELECT, HAVING "
                                            "and ORDER BY)");
  }
  const bool is_count = function.name == "count";
  size_t given = call.args.size();
  // count(*) is count().
  if (const Field* star = given == 1 ? call.args[0]->TryAs<Field>() : nullptr;
      is_count && !call.distinct && star != nullptr && star->chain.size() == 1 &&
      star->chain[0] == "*") {
    given = 0;
  }
  const size_t wanted = function.args + (function.conditional ? 1 : 0);
  if (is_count ? given > 1 : given != wanted) {
    return Refuse(call, call.name + "() takes " + std::to_string(wanted) + " argument" +
                            (wanted == 1 ? "" : "s"));
  }
  if (call.distinct && !is_count && function.name != "uniq" && function.name != "uniqExact") {
    return Refuse(call, call.name + "(DISTINCT …) is not supported yet");
  }
  if (call.distinct && given == 0) return Refuse(call, "count(DISTINCT) needs an argument");
  const std::string printed = PrintHogQL(call);
  if (auto found = aggregate_index_.find(printed); found != aggregate_index_.end()) {
    Node node;
    node.op = Node::Op::kAggregate;
    node.index = found->second;
    node.type = plan_.aggregates[found->second].arg
                    ? function.result({plan_.aggregates[found->second].arg->type})
                    : function.result({ColumnType{BaseType::kUInt64, false}});
    return node;
  }
  PlannedAggregate aggregate;
  aggregate.function = &function;
  aggregate.distinct = call.distinct;
  in_aggregate_ = true;
  size_t value_args = function.conditional ? given - 1 : given;
  if (value_args == 1) {
    StatusOr<Node> arg = Compile(*call.args[0], Scope::kRow);
    if (!arg.ok()) {
      in_aggregate_ = false;
      return arg.status();
    }
    aggregate.arg = *std::move(arg);
  }
  if (function.conditional) {
    StatusOr<Node> condition = Compile(*call.args.back(), Scope::kRow);
    if (!condition.ok()) {
      in_aggregate_ = false;
      return condition.status();
    }
    aggregate.condition = *std::move(condition);
  }
  in_aggregate_ = false;
  ColumnType type = aggregate.arg ? function.result({aggregate.arg->type})
                                  : function.result({ColumnType{BaseType::kUInt64, false}});
  if (type.base == BaseType::kNothing) {
    return Refuse(call, call.name + "() needs numbers, and properties are strings: write " +
                            call.name + "(toFloat(…))");
  }
  Node node;
  node.op = Node::Op::kAggregate;
  node.index = plan_.aggregates.size();
  node.type = type;
  aggregate_index_[printed] = node.index;
  plan_.aggregates.push_back(std::move(aggregate));
  return node;
}

StatusOr<Node> Planner::CompileCall(const Call& call, Scope scope) {
  if (call.is_window()) return Refuse(call, "window functions (OVER) are not supported yet");
  if (call.params) {
    return Refuse(call,
                  "parametric functions such as " + call.name + "(…)(…) are not supported yet");
  }
  if (call.filter_expr)
    return Refuse(call, "FILTER (WHERE …) is not supported yet: use " + call.name + "If(…)");
  if (!call.order_by.empty() || call.within_group) {
    return Refuse(call, "ORDER BY inside a function call is not supported");
  }
  if (const AggregateFunction* aggregate = FindAggregateFunction(call.name)) {
    return CompileAggregate(call, *aggregate, scope);
  }
  if (IsOtherAggregateName(call.name)) {
    return Refuse(call, "aggregate function " + call.name + "() is not supported yet");
  }
  if (call.distinct) return Refuse(call, call.name + "(DISTINCT …) is not an aggregate");
  if (call.name == "and" || call.name == "or") {
    std::vector<Node> args;
    for (const ExprPtr& arg : call.args) {
      HOGLET_ASSIGN_OR_RETURN(Node node, Compile(*arg, scope));
      args.push_back(std::move(node));
    }
    ColumnType type{BaseType::kUInt8, AnyNullable(args)};
    return Operation(call.name == "and" ? Node::Op::kAnd : Node::Op::kOr, type, std::move(args));
  }
  // The function forms of the pattern operators: match(s, 're'), like(s, 'p'), …
  static const std::map<std::string, CompareOp, std::less<>> kPatternFunctions = {
      {"match", CompareOp::kRegex},
      {"like", CompareOp::kLike},
      {"ilike", CompareOp::kILike},
      {"notLike", CompareOp::kNotLike},
      {"notILike", CompareOp::kNotILike}};
  if (auto pattern = kPatternFunctions.find(call.name); pattern != kPatternFunctions.end()) {
    if (call.args.size() != 2) return Refuse(call, call.name + "() takes 2 arguments");
    return CompileCompare(call, pattern->second, *call.args[0], *call.args[1], scope);
  }
  if (call.name == "JSONExtractString") {
    const Field* source = call.args.size() == 2 ? call.args[0]->TryAs<Field>() : nullptr;
    const Constant* key = call.args.size() == 2 ? call.args[1]->TryAs<Constant>() : nullptr;
    std::vector<std::string> chain = source != nullptr ? source->chain : std::vector<std::string>{};
    if (chain.size() == 2 && (chain[0] == "events" || chain[0] == table_alias_)) {
      chain.erase(chain.begin());
    }
    if (chain.size() != 1 || chain[0] != "properties" || key == nullptr ||
        !std::holds_alternative<std::string>(key->value)) {
      return Refuse(call, "JSONExtractString is served for JSONExtractString(properties, 'key')");
    }
    return ReadProperty(call, std::get<std::string>(key->value), PropertyRead::kExtractString);
  }
  const ScalarFunction* function = FindScalarFunction(call.name);
  if (function == nullptr) {
    return Refuse(call, "function " + call.name + "() is not supported by this server yet");
  }
  if (call.args.size() < function->min_args || call.args.size() > function->max_args) {
    std::string arity = function->min_args == function->max_args
                            ? std::to_string(function->min_args)
                            : std::to_string(function->min_args) + " to " +
                                  (function->max_args > 100 ? std::string("any number of")
                                                            : std::to_string(function->max_args));
    return Refuse(call, call.name + "() takes " + arity + " argument" +
                            (function->max_args == 1 ? "" : "s") + ", not " +
                            std::to_string(call.args.size()));
  }
  Node node;
  node.op = Node::Op::kCall;
  node.eval = function->eval;
  node.null_in_null_out = function->null_in_null_out;
  std::vector<ColumnType> types;
  for (const ExprPtr& arg : call.args) {
    HOGLET_ASSIGN_OR_RETURN(Node compiled, Compile(*arg, scope));
    types.push_back(compiled.type);
    node.args.push_back(std::move(compiled));
  }
  // Without a mode, weeks start on the project's first day (PostHog appends the team's mode).
  if (call.name == "toStartOfWeek" && node.args.size() == 1) {
    node.args.push_back(ConstantNode(Value::Int(context_.week_mode), {BaseType::kUInt64, false}));
  }
  node.type = function->result(types);
  return node;
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
  HOGLET_ASSIGN_OR_RETURN(Node left, Compile(left_expr, scope));
  const ColumnType condition{BaseType::kUInt8, false};
  if (op == CompareOp::kIn || op == CompareOp::kNotIn) {
    const Expr& right = right_expr;
    if (right.kind == ExprKind::kSelectQuery || right.kind == ExprKind::kSelectSetQuery) {
      return Refuse(right, "IN (subquery) is not supported yet");
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
      return Refuse(expr, "placeholders ({…}) are not supported yet");
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

// The event names and the time range the top-level conjuncts of WHERE allow, so the scan skips
// the parts and blocks outside them. The WHERE still runs on every row read.
void Planner::FindScanBounds() {
  if (!plan_.where) return;
  std::vector<const Node*> conjuncts;
  std::vector<const Node*> pending = {&*plan_.where};
  while (!pending.empty()) {
    const Node* node = pending.back();
    pending.pop_back();
    if (node->op == Node::Op::kAnd) {
      for (const Node& arg : node->args) pending.push_back(&arg);
    } else {
      conjuncts.push_back(node);
    }
  }
  EvalContext constant{&context_.zone, context_.now_us, nullptr, nullptr, nullptr};
  std::optional<std::set<std::string>> names;
  auto restrict_names = [&](std::set<std::string> allowed) {
    if (!names) {
      names = std::move(allowed);
      return;
    }
    std::set<std::string> both;
    for (const std::string& name : allowed) {
      if (names->contains(name)) both.insert(name);
    }
    names = std::move(both);
  };
  auto is_column = [](const Node& node, EventColumn column) {
    return node.op == Node::Op::kColumn && node.column == column;
  };
  for (const Node* node : conjuncts) {
    if (node->op == Node::Op::kCompare && node->compare == CompareOp::kEq) {
      for (int side = 0; side < 2; ++side) {
        const Node& column = node->args[side];
        const Node& other = node->args[1 - side];
        if (is_column(column, EventColumn::kEvent) && IsConstantNode(other)) {
          Value v = Evaluate(other, constant);
          if (v.kind == Value::Kind::kString) restrict_names({v.s});
        }
      }
    }
    if (node->op == Node::Op::kIn && !node->negated &&
        is_column(node->args[0], EventColumn::kEvent)) {
      std::set<std::string> allowed;
      bool all = true;
      for (size_t i = 1; i < node->args.size() && all; ++i) {
        all = IsConstantNode(node->args[i]);
        if (!all) break;
        Value v = Evaluate(node->args[i], constant);
        // An event name is never NULL; anything but a string could match by value (`IN (1)`).
        if (v.kind == Value::Kind::kString) {
          allowed.insert(v.s);
        } else if (!v.is_null()) {
          all = false;
        }
      }
      if (all) restrict_names(std::move(allowed));
    }
    if (node->op == Node::Op::kCompare) {
      CompareOp op = node->compare;
      for (int side = 0; side < 2; ++side) {
        const Node& column = node->args[side];
        const Node& other = node->args[1 - side];
        if (!is_column(column, EventColumn::kTimestamp) || !IsConstantNode(other)) continue;
        Value bound = Evaluate(other, constant);
        int64_t instant = 0;
        if (bound.kind == Value::Kind::kDateTime) {
          instant = bound.i;
        } else if (bound.kind == Value::Kind::kDate) {
          instant = context_.zone.LocalToUtcMicros(bound.i * 86'400'000'000);
        } else {
          continue;
        }
        // Seen from the timestamp's side: `bound < timestamp` is `timestamp > bound`.
        CompareOp seen = op;
        if (side == 1) {
          if (op == CompareOp::kLt) seen = CompareOp::kGt;
          if (op == CompareOp::kLtEq) seen = CompareOp::kGtEq;
          if (op == CompareOp::kGt) seen = CompareOp::kLt;
          if (op == CompareOp::kGtEq) seen = CompareOp::kLtEq;
        }
        if (seen == CompareOp::kGt || seen == CompareOp::kGtEq || seen == CompareOp::kEq) {
          plan_.from_us = std::max(plan_.from_us, instant);
        }
        if (seen == CompareOp::kLt || seen == CompareOp::kLtEq || seen == CompareOp::kEq) {
          plan_.to_us = std::min(plan_.to_us, instant);
        }
      }
    }
  }
  if (names) {
    plan_.event_names.assign(names->begin(), names->end());
    // No name can match: keep one that no event has, so the scan reads nothing.
    if (plan_.event_names.empty()) plan_.to_us = INT64_MIN;
  }
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
    HOGLET_ASSIGN_OR_RETURN(Node key, Compile(*expr, Scope::kRow));
    plan_.group_keys.push_back(std::move(key));
    group_texts_.push_back(PrintHogQL(*expr));
  }

  const Scope output = plan_.aggregating ? Scope::kGroup : Scope::kRow;
  for (const ExprPtr& item : query.select) {
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

  if (query.limit) {
    HOGLET_ASSIGN_OR_RETURN(plan_.limit, ConstantCount(query.limit.get(), "LIMIT"));
    plan_.limit_given = true;
    if (plan_.limit > kMaxRowLimit) {
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
  FindScanBounds();

  // The printed query shows the limit that applied.
  auto limit = std::make_unique<Constant>();
  limit->value = plan_.limit;
  query.limit = std::move(limit);
  plan_.hogql = PrintHogQL(query);
  return std::move(plan_);
}

}  // namespace

StatusOr<PlannedQuery> PlanHogQL(std::string_view text, const PlanContext& context) {
  HOGLET_ASSIGN_OR_RETURN(ExprPtr root, ParseSelect(text));
  if (root->kind == ExprKind::kSelectSetQuery) {
    const SelectSetQuery& set = root->As<SelectSetQuery>();
    const Expr& at = set.subsequent_select_queries.empty()
                         ? static_cast<const Expr&>(set)
                         : *set.subsequent_select_queries.front().select_query;
    std::string op = set.subsequent_select_queries.empty()
                         ? std::string("UNION")
                         : set.subsequent_select_queries.front().set_operator;
    return InvalidArgumentError(
        DescribePosition(text, at.start) + ": " + op + " is not supported yet: run one SELECT",
        "hogql_unsupported");
  }
  if (root->kind != ExprKind::kSelectQuery) {
    return InvalidArgumentError(
        DescribePosition(text, root->start) + ": the query must be a SELECT", "hogql_unsupported");
  }
  Planner planner(text, context);
  return planner.Plan(root->As<SelectQuery>());
}

}  // namespace hoglet::hogql
