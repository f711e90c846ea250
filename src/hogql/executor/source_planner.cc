// FROM for the planner (planner_impl.h): the events table alone is scanned; every other FROM
// clause — a table of the person store, a subquery, a CTE, a UNION ALL, the events table in a
// join, and joins — becomes a Source (plan.h) whose rows the expressions read by slot.
#include <algorithm>

#include "filters/property_value.h"
#include "hogql/executor/person_tables.h"
#include "hogql/executor/planner_impl.h"
#include "hogql/printer.h"

namespace hoglet::hogql::internal {
namespace {

// `json.key` of a JSON object text, as HogQL reads properties: Nullable(String), its JSON text
// (strings as themselves); a missing key, JSON null and "" are NULL.
Value JsonProperty(const std::vector<Value>& args, const EvalContext&) {
  StatusOr<filters::Properties> properties = filters::ParseProperties(args[0].s);
  if (!properties.ok()) return Value::Null();
  auto found = properties->find(args[1].s);
  if (found == properties->end() || found->second.kind == filters::PropertyValue::Kind::kNull) {
    return Value::Null();
  }
  std::string text = found->second.ToText();
  if (text.empty()) return Value::Null();
  return Value::String(std::move(text));
}

std::string Dotted(const std::vector<std::string>& chain) {
  std::string name;
  for (const std::string& part : chain) name += (name.empty() ? "" : ".") + part;
  return name;
}

// The columns of a planned query read through `alias`: a column that passes a JSON column on
// (`SELECT properties FROM persons`) stays JSON.
std::vector<SourceColumn> QueryColumns(const PlannedQuery& plan, const std::string& alias) {
  std::vector<SourceColumn> columns;
  for (size_t i = 0; i < plan.column_names.size(); ++i) {
    const Node& node = plan.select[i];
    bool json = false;
    if (node.op == Node::Op::kSlot && plan.source != nullptr) {
      json = plan.source->columns[node.index].json;
    } else if (node.op == Node::Op::kColumn && plan.from_events) {
      json = node.column == EventColumn::kProperties;
    }
    columns.push_back({alias, plan.column_names[i], plan.column_types[i], json});
  }
  return columns;
}

std::shared_ptr<const Source> QuerySource(PlannedQuery plan, const std::string& alias) {
  auto source = std::make_shared<Source>();
  source->kind = Source::Kind::kQuery;
  source->columns = QueryColumns(plan, alias);
  source->queries.push_back(std::move(plan));
  return source;
}

Node SlotNode(size_t index, ColumnType type) {
  Node node;
  node.op = Node::Op::kSlot;
  node.index = index;
  node.type = type;
  return node;
}

}  // namespace

StatusOr<PlannedQuery> Planner::PlanSubquery(const Expr& query, const CteMap& ctes) const {
  Planner planner(text_, context_, ctes, /*outermost=*/false);
  // Only the outermost query is rewritten (its printed limit); a subquery is read as it is.
  return planner.PlanAny(const_cast<Expr&>(query));
}

Status Planner::PlanFrom(const SelectQuery& query) {
  const JoinExpr* from = query.select_from.get();
  if (from == nullptr) return Status::Ok();
  const Field* table = from->table->TryAs<Field>();
  if (from->next_join == nullptr && table != nullptr && table->chain.size() == 1 &&
      table->chain[0] == "events" && !ctes_.contains("events") && !from->table_args) {
    // The events table alone: scanned, with what the scan may skip.
    if (from->sample) return Refuse(*from->sample, "SAMPLE is not supported yet");
    if (from->table_final) return Refuse(*from, "FINAL is not supported");
    if (!from->column_aliases.empty())
      return Refuse(*from, "column aliases of a table are not supported");
    plan_.from_events = true;
    table_alias_ = from->alias;
    return Status::Ok();
  }
  // WHERE may narrow a table before the joins when that keeps every row the joins would keep
  // for it: the first table (INNER, LEFT and CROSS joins keep the left rows that WHERE keeps),
  // or any table when no LEFT JOIN could pad it with defaults.
  bool any_left_join = false;
  for (const JoinExpr* next = from->next_join.get(); next != nullptr;
       next = next->next_join.get()) {
    any_left_join = any_left_join || next->join_type.starts_with("LEFT");
  }
  HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const Source> source, PlanFromItem(*from, true));
  for (const JoinExpr* next = from->next_join.get(); next != nullptr;
       next = next->next_join.get()) {
    HOGLET_ASSIGN_OR_RETURN(source, PlanJoin(std::move(source), *next, !any_left_join));
  }
  UseColumns(source->columns);
  plan_.source = std::move(source);
  return Status::Ok();
}

StatusOr<std::shared_ptr<const Source>> Planner::PlanFromItem(const JoinExpr& item, bool filter) {
  if (item.sample) return Refuse(*item.sample, "SAMPLE is not supported yet");
  if (item.table_final) return Refuse(item, "FINAL is not supported");
  if (!item.column_aliases.empty()) {
    return Refuse(item, "column aliases of a table are not supported");
  }
  const Expr& table = *item.table;
  if (table.kind == ExprKind::kSelectQuery || table.kind == ExprKind::kSelectSetQuery) {
    HOGLET_ASSIGN_OR_RETURN(PlannedQuery plan, PlanSubquery(table, ctes_));
    return QuerySource(std::move(plan), item.alias);
  }
  const Field* field = table.TryAs<Field>();
  if (field == nullptr || item.table_args) {
    return Refuse(table, "only tables and subqueries can be queried here");
  }
  const std::string name = Dotted(field->chain);
  const std::string alias = item.alias.empty() ? name : item.alias;
  if (auto cte = ctes_.find(name); cte != ctes_.end()) {
    CteMap visible = ctes_;
    visible.erase(name);  // a CTE does not see itself
    HOGLET_ASSIGN_OR_RETURN(PlannedQuery plan, PlanSubquery(*cte->second->expr, visible));
    return QuerySource(std::move(plan), alias);
  }
  if (name == "events") {
    HOGLET_ASSIGN_OR_RETURN(PlannedQuery plan, PlanEventsSource(alias, filter));
    return QuerySource(std::move(plan), alias);
  }
  if (std::optional<PersonTable> person_table = FindPersonTable(name)) {
    auto source = std::make_shared<Source>();
    source->kind = Source::Kind::kTable;
    source->table = *person_table;
    source->columns = PersonTableColumns(*person_table, alias);
    return source;
  }
  return Refuse(table, "table '" + name +
                           "' is not supported yet: this server queries events, persons, "
                           "person_distinct_ids and groups");
}

StatusOr<std::shared_ptr<const Source>> Planner::PlanJoin(std::shared_ptr<const Source> left,
                                                          const JoinExpr& item, bool filter) {
  const std::string& type = item.join_type;
  const bool cross = type == "CROSS JOIN";
  const bool left_join = type == "LEFT JOIN" || type == "LEFT OUTER JOIN";
  if (!cross && !left_join && type != "JOIN" && type != "INNER JOIN") {
    return Refuse(item, type + " is not supported yet: use JOIN, LEFT JOIN or CROSS JOIN");
  }
  HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const Source> right, PlanFromItem(item, filter));
  auto join = std::make_shared<Source>();
  join->kind = Source::Kind::kJoin;
  join->left_join = left_join;
  join->columns = left->columns;
  join->columns.insert(join->columns.end(), right->columns.begin(), right->columns.end());
  if (!cross) {
    if (item.constraint == nullptr) return Refuse(item, type + " needs ON");
    if (item.constraint->using_) {
      return Refuse(*item.constraint, "JOIN … USING is not supported yet: write ON a = b");
    }
    const Expr& on = *item.constraint->expr;
    std::vector<const Expr*> conjuncts;
    if (const And* both = on.TryAs<And>()) {
      for (const ExprPtr& expr : both->exprs) conjuncts.push_back(expr.get());
    } else {
      conjuncts.push_back(&on);
    }
    Planner left_side(text_, context_, ctes_, false);
    left_side.UseColumns(left->columns);
    Planner right_side(text_, context_, ctes_, false);
    right_side.UseColumns(right->columns);
    for (const Expr* conjunct : conjuncts) {
      const CompareOperation* equal = conjunct->TryAs<CompareOperation>();
      if (equal == nullptr || equal->op != CompareOp::kEq) {
        return Refuse(*conjunct,
                      "a join condition is equalities of the two sides joined by AND (a = b)");
      }
      // Either side may name the left table.
      StatusOr<Node> l = left_side.CompileRow(*equal->left);
      StatusOr<Node> r = right_side.CompileRow(*equal->right);
      if (!l.ok() || !r.ok()) {
        StatusOr<Node> swapped_l = left_side.CompileRow(*equal->right);
        StatusOr<Node> swapped_r = right_side.CompileRow(*equal->left);
        if (!swapped_l.ok() || !swapped_r.ok()) {
          return Refuse(*conjunct, "'" + PrintHogQL(*conjunct) +
                                       "' does not compare the joined table with the tables "
                                       "before it (" +
                                       std::string((!l.ok() ? l : r).status().message()) + ")");
        }
        l = std::move(swapped_l);
        r = std::move(swapped_r);
      }
      join->left_keys.push_back(*std::move(l));
      join->right_keys.push_back(*std::move(r));
    }
  }
  join->left = std::move(left);
  join->right = std::move(right);
  return std::shared_ptr<const Source>(std::move(join));
}

StatusOr<PlannedQuery> Planner::PlanUnion(SelectSetQuery& set) {
  std::vector<const Expr*> members = {set.initial_select_query.get()};
  for (const SelectSetQuery::Member& member : set.subsequent_select_queries) {
    if (member.set_operator != "UNION ALL") {
      return Refuse(*member.select_query,
                    member.set_operator + " is not supported yet: only UNION ALL is");
    }
    members.push_back(member.select_query.get());
  }
  if (!set.order_by.empty()) {
    return Refuse(*set.order_by.front(),
                  "ORDER BY over a UNION ALL is not supported yet: write SELECT * FROM (… "
                  "UNION ALL …) ORDER BY …");
  }
  if (set.limit_with_ties) return Refuse(set, "LIMIT … WITH TIES is not supported yet");
  auto source = std::make_shared<Source>();
  source->kind = Source::Kind::kUnion;
  for (const Expr* member : members) {
    HOGLET_ASSIGN_OR_RETURN(PlannedQuery plan, PlanSubquery(*member, ctes_));
    if (source->queries.empty()) {
      source->columns = QueryColumns(plan, "");
    } else if (plan.column_types.size() != source->columns.size()) {
      return Refuse(*member, "the members of UNION ALL must have the same number of columns (" +
                                 std::to_string(source->columns.size()) + " and " +
                                 std::to_string(plan.column_types.size()) + ")");
    }
    for (size_t i = 0; i < plan.column_types.size(); ++i) {
      ColumnType& type = source->columns[i].type;
      const ColumnType other = plan.column_types[i];
      if (type.base == BaseType::kNothing) {
        type = other.Nullable();
      } else if (other.base == BaseType::kNothing) {
        type.nullable = true;
      } else if (type.base != other.base && !(type.numeric() && other.numeric())) {
        return Refuse(*member, "column " + std::to_string(i + 1) +
                                   " of UNION ALL is of different types in its members (" +
                                   TypeName(type, "") + " and " + TypeName(other, "") + ")");
      } else {
        if (type.base != other.base) type.base = BaseType::kFloat64;
        type.nullable = type.nullable || other.nullable;
      }
      source->columns[i].json = source->columns[i].json && QueryColumns(plan, "")[i].json;
    }
    source->queries.push_back(std::move(plan));
  }
  for (size_t i = 0; i < source->columns.size(); ++i) {
    plan_.column_names.push_back(source->columns[i].name);
    plan_.column_types.push_back(source->columns[i].type);
    plan_.select.push_back(SlotNode(i, source->columns[i].type));
  }
  UseColumns(source->columns);
  plan_.source = std::move(source);
  plan_.subquery = !outermost_;
  if (set.limit) {
    HOGLET_ASSIGN_OR_RETURN(plan_.limit, ConstantCount(set.limit.get(), "LIMIT"));
    plan_.limit_given = true;
    if (outermost_ && plan_.limit > kMaxRowLimit) {
      plan_.limit = kMaxRowLimit;
      plan_.limit_given = false;
    }
  }
  if (set.offset) {
    HOGLET_ASSIGN_OR_RETURN(plan_.offset, ConstantCount(set.offset.get(), "OFFSET"));
    if (plan_.offset > kMaxOffset) {
      return Refuse(*set.offset, "OFFSET is at most " + std::to_string(kMaxOffset));
    }
  }
  if (outermost_) plan_.hogql = PrintHogQL(set);
  return std::move(plan_);
}

StatusOr<std::optional<std::vector<size_t>>> Planner::ExpandStar(const Expr& item) const {
  const Field* field = item.TryAs<Field>();
  if (!from_source_ || field == nullptr || field->chain.back() != "*" || field->chain.size() > 2) {
    return std::optional<std::vector<size_t>>();
  }
  std::vector<size_t> indices;
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (field->chain.size() == 1 || columns_[i].table == field->chain[0]) indices.push_back(i);
  }
  if (indices.empty()) return Refuse(item, "no table is called '" + field->chain[0] + "'");
  return std::optional<std::vector<size_t>>(std::move(indices));
}

StatusOr<Node> Planner::CompileSourceField(const Expr& at, const std::vector<std::string>& chain) {
  if (chain.back() == "*") return Refuse(at, "* is supported only as a column of SELECT");
  size_t start = 0;
  std::optional<std::string> table;
  if (chain.size() >= 2 && std::any_of(columns_.begin(), columns_.end(),
                                       [&](const auto& c) { return c.table == chain[0]; })) {
    table = chain[0];
    start = 1;
  }
  const std::string& name = chain[start];
  std::optional<size_t> found;
  std::string known;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const SourceColumn& column = columns_[i];
    if (table && column.table != *table) continue;
    known += (known.empty() ? "" : ", ") + column.name;
    if (column.name != name) continue;
    if (found) {
      return Refuse(at, "column '" + name + "' is ambiguous: name its table (" +
                            columns_[*found].table + "." + name + " or " + column.table + "." +
                            name + ")");
    }
    found = i;
  }
  if (!found) {
    std::string hint = name == "person" || name == "pdi"
                           ? ": over a join or a subquery, join the persons table instead"
                           : "";
    return Refuse(at, "unknown column '" + Dotted(chain) + "' (" +
                          (table ? "table '" + *table + "' has " : std::string("there are ")) +
                          known + ")" + hint);
  }
  const SourceColumn& column = columns_[*found];
  Node slot = SlotNode(*found, column.type);
  const size_t rest = chain.size() - start - 1;
  if (rest == 0) return slot;
  if (!column.json) return Refuse(at, "'" + column.name + "' has no fields");
  if (rest > 1) return Refuse(at, "nested property access (properties.a.b) is not supported yet");
  Node node;
  node.op = Node::Op::kCall;
  node.eval = JsonProperty;
  node.type = {BaseType::kString, true};
  node.args.push_back(std::move(slot));
  node.args.push_back(ConstantNode(Value::String(chain.back()), {BaseType::kString, false}));
  return node;
}

StatusOr<Node> Planner::CompileInSubquery(Node left, const Expr& subquery, bool negated) {
  HOGLET_ASSIGN_OR_RETURN(PlannedQuery plan, PlanSubquery(subquery, ctes_));
  if (plan.column_names.size() != 1) {
    return Refuse(subquery, "IN (SELECT …) needs a subquery of one column, not " +
                                std::to_string(plan.column_names.size()));
  }
  std::vector<Node> args;
  args.push_back(std::move(left));
  Node node = Operation(Node::Op::kInSet, {BaseType::kUInt8, false}, std::move(args));
  node.negated = negated;
  node.index = plan_.in_subqueries.size();
  plan_.in_subqueries.push_back(std::move(plan));
  return node;
}

}  // namespace hoglet::hogql::internal
