// Placeholders for the planner (planner_impl.h): `{name}` and `{variables.code_name}` become the
// constants the request gave, `{filters}` the date range's condition on the table's time column
// (planner.h's Placeholders).
#include "hogql/executor/planner_impl.h"

namespace hoglet::hogql::internal {
namespace {

// The name a placeholder is looked up by ("name", "variables.x"); empty when it is not a name.
std::string PlaceholderName(const Placeholder& placeholder) {
  const Field* field = placeholder.expr ? placeholder.expr->TryAs<Field>() : nullptr;
  if (field == nullptr) return {};
  std::string name;
  for (const std::string& part : field->chain) name += (name.empty() ? "" : ".") + part;
  return name;
}

ColumnType TypeOf(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kInt:
      return {value.i < 0 ? BaseType::kInt64 : BaseType::kUInt64, false};
    case Value::Kind::kFloat:
      return {BaseType::kFloat64, false};
    case Value::Kind::kString:
      return {BaseType::kString, false};
    case Value::Kind::kDateTime:
      return {BaseType::kDateTime, false};
    default:
      return {};
  }
}

}  // namespace

bool Planner::IsUnsetDateBound(const Expr& expr) const {
  const Placeholder* placeholder = expr.TryAs<Placeholder>();
  if (placeholder == nullptr) return false;
  const std::string name = PlaceholderName(*placeholder);
  const Placeholders* given = context_.placeholders;
  if (name == "filters.dateRange.from") return given == nullptr || !given->date_from_us;
  if (name == "filters.dateRange.to") return given == nullptr || !given->date_to_us;
  return false;
}

StatusOr<Node> Planner::CompilePlaceholder(const Placeholder& placeholder) {
  const std::string name = PlaceholderName(placeholder);
  const Placeholders* given = context_.placeholders;
  if (name.empty()) {
    return Refuse(placeholder, "a placeholder is a name ({name}, {variables.name}, {filters})");
  }
  if (name == "filters") {
    if (!plan_.from_events && !from_source_) {
      return Refuse(placeholder, "{filters} needs a table: add FROM events");
    }
    std::vector<Node> bounds;
    if (given != nullptr && (given->date_from_us || given->date_to_us)) {
      // The time column: the groups' created_at when the query reads groups, else timestamp.
      bool groups = false;
      for (const JoinExpr* item = query_ != nullptr ? query_->select_from.get() : nullptr;
           item != nullptr; item = item->next_join.get()) {
        const Field* table = item->table->TryAs<Field>();
        groups = groups || (table != nullptr && table->chain == std::vector<std::string>{"groups"});
      }
      Field field;
      field.start = placeholder.start;
      field.chain = {groups ? "created_at" : "timestamp"};
      for (const auto& [bound, op] : {std::pair{given->date_from_us, CompareOp::kGtEq},
                                      std::pair{given->date_to_us, CompareOp::kLt}}) {
        if (!bound) continue;
        HOGLET_ASSIGN_OR_RETURN(Node column, CompileField(field, field.chain));
        std::vector<Node> args;
        args.push_back(std::move(column));
        args.push_back(ConstantNode(Value::DateTime(*bound), {BaseType::kDateTime, false}));
        Node compare = Operation(Node::Op::kCompare, {BaseType::kUInt8, false}, std::move(args));
        compare.compare = op;
        bounds.push_back(std::move(compare));
      }
    }
    if (bounds.empty()) return ConstantNode(Value::Bool(true), {BaseType::kUInt8, false});
    if (bounds.size() == 1) return std::move(bounds.front());
    return Operation(Node::Op::kAnd, {BaseType::kUInt8, false}, std::move(bounds));
  }
  if (name == "filters.dateRange.from" || name == "filters.dateRange.to") {
    std::optional<int64_t> bound;
    if (given != nullptr) bound = name.ends_with("from") ? given->date_from_us : given->date_to_us;
    if (!bound) {
      return Refuse(placeholder, "{" + name + "} must be compared directly (timestamp > {" + name +
                                     "}) when the date range does not set it");
    }
    return ConstantNode(Value::DateTime(*bound), {BaseType::kDateTime, false});
  }
  if (name.starts_with("filters.")) {
    return Refuse(placeholder, "{" + name +
                                   "} is not a filters placeholder: use {filters}, "
                                   "{filters.dateRange.from} or {filters.dateRange.to}");
  }
  if (given != nullptr) {
    if (auto found = given->values.find(name); found != given->values.end()) {
      return ConstantNode(found->second, TypeOf(found->second));
    }
  }
  if (name.starts_with("variables.")) {
    return Refuse(placeholder, "variable '" + name.substr(10) +
                                   "' has no value: send it in the query's `variables`");
  }
  return Refuse(placeholder, "placeholder {" + name + "} has no value: send it in `values`");
}

}  // namespace hoglet::hogql::internal
