// Function calls for the planner (planner_impl.h): aggregates (with their -If and DISTINCT forms)
// and scalar functions from functions.h's tables, and the function forms of the operators.
#include <map>
#include <optional>
#include <variant>

#include "hogql/executor/planner_impl.h"
#include "hogql/printer.h"

namespace hoglet::hogql::internal {

StatusOr<Node> Planner::CompileAggregate(const Call& call, const AggregateFunction& function,
                                         Scope scope, double level) {
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
  aggregate.level = level;
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
    if (call.name != "quantile") {
      return Refuse(call,
                    "parametric functions such as " + call.name + "(…)(…) are not supported yet");
    }
    // quantile(level)(x): one constant level between 0 and 1, as ClickHouse takes it.
    const Constant* constant =
        call.params->size() == 1 ? (*call.params)[0]->TryAs<Constant>() : nullptr;
    std::optional<double> level;
    if (constant != nullptr && std::holds_alternative<double>(constant->value)) {
      level = std::get<double>(constant->value);
    } else if (constant != nullptr && std::holds_alternative<int64_t>(constant->value)) {
      level = static_cast<double>(std::get<int64_t>(constant->value));
    }
    if (!level || !(*level >= 0 && *level <= 1)) {
      return Refuse(call, "quantile(level)(x) takes one level, a number from 0 to 1");
    }
    if (call.filter_expr || call.is_window() || call.distinct) {
      return Refuse(call, "quantile(level)(x) is supported without DISTINCT, FILTER and OVER");
    }
    return CompileAggregate(call, *FindAggregateFunction("quantile"), scope, *level);
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

}  // namespace hoglet::hogql::internal
