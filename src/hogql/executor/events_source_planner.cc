// The events table as one source among others (planner_impl.h): in a join, or read through a
// name that is not alone in FROM. Its rows are the columns a joined query can read that the
// query names (all of them for `*`) and, where filtering
// before the join cannot change the answer, only the events the conjuncts of WHERE that read
// the events table alone allow (which also gives the scan its bounds).
#include <algorithm>
#include <iterator>
#include <set>

#include "hogql/executor/planner_impl.h"

namespace hoglet::hogql::internal {
namespace {

constexpr const char* kEventsColumns[] = {
    "uuid",       "event",    "properties", "timestamp", "distinct_id", "person_id", "$session_id",
    "$window_id", "$group_0", "$group_1",   "$group_2",  "$group_3",    "$group_4"};

// Every name a field of `expr` starts with, and the name after `alias.`; "*" for a star.
void CollectNames(const Expr& expr, const std::string& alias, std::set<std::string>* names) {
  if (const Field* field = expr.TryAs<Field>()) {
    names->insert(field->chain[0]);
    if (field->chain.size() >= 2 && field->chain[0] == alias) names->insert(field->chain[1]);
    if (field->chain.back() == "*") names->insert("*");
  }
  // {filters} reads the time column.
  if (expr.kind == ExprKind::kPlaceholder) names->insert("timestamp");
  ForEachChild(expr, [&](const Expr& child) { CollectNames(child, alias, names); });
}

// The first field of `expr` (not inside a subquery) that reads `alias.x` for a column x the
// events table in a join does not have; null when there is none.
const Field* UnknownEventsField(const Expr& expr, const std::string& alias) {
  if (const Field* field = expr.TryAs<Field>();
      field != nullptr && field->chain.size() >= 2 && field->chain[0] == alias &&
      field->chain[1] != "*" &&
      std::find(std::begin(kEventsColumns), std::end(kEventsColumns), field->chain[1]) ==
          std::end(kEventsColumns)) {
    return field;
  }
  const Field* found = nullptr;
  ForEachChild(expr, [&](const Expr& child) {
    if (found == nullptr && child.kind != ExprKind::kSelectQuery &&
        child.kind != ExprKind::kSelectSetQuery) {
      found = UnknownEventsField(child, alias);
    }
  });
  return found;
}

void Conjuncts(const Expr* expr, std::vector<const Expr*>* out) {
  if (expr == nullptr) return;
  if (const And* both = expr->TryAs<And>()) {
    for (const ExprPtr& item : both->exprs) Conjuncts(item.get(), out);
    return;
  }
  out->push_back(expr);
}

}  // namespace

StatusOr<PlannedQuery> Planner::PlanEventsSource(const std::string& alias, bool filter) const {
  std::set<std::string> used;
  std::vector<const Expr*> conjuncts;
  std::set<std::string> select_aliases;
  if (query_ != nullptr) {
    if (const Field* unknown = UnknownEventsField(*query_, alias)) {
      std::string name, columns;
      for (const std::string& part : unknown->chain) name += (name.empty() ? "" : ".") + part;
      for (const char* column : kEventsColumns)
        columns += (columns.empty() ? "" : ", ") + std::string(column);
      const std::string& head = unknown->chain[1];
      return Refuse(
          *unknown,
          "unknown column '" + name + "' (the events table in a join has " + columns + ")" +
              (head == "person" || head == "pdi" ? ": join the persons table to read the person"
                                                 : ""));
    }
    CollectNames(*query_, alias, &used);
    for (const ExprPtr& item : query_->select) {
      if (const Alias* named = item->TryAs<Alias>()) select_aliases.insert(named->alias);
    }
    for (const auto& [name, expr] : aliases_) select_aliases.insert(name);
    // So are the other tables' names (`person.id` is another table's column in the query).
    for (const JoinExpr* item = query_->select_from.get(); item != nullptr;
         item = item->next_join.get()) {
      std::string name = item->alias;
      if (const Field* table = item->table->TryAs<Field>(); name.empty() && table != nullptr) {
        name = table->chain[0];
      }
      if (name != alias) select_aliases.insert(name);
    }
    if (filter) {
      Conjuncts(query_->prewhere.get(), &conjuncts);
      Conjuncts(query_->where.get(), &conjuncts);
    }
  } else {
    used.insert("*");
  }
  // A conjunct that names an alias or another table of the query may mean something else inside
  // the events table.
  std::erase_if(conjuncts, [&](const Expr* conjunct) {
    std::set<std::string> names;
    CollectNames(*conjunct, alias, &names);
    for (const std::string& name : names) {
      if (select_aliases.contains(name)) return true;
    }
    return false;
  });
  Planner events(text_, context_, {}, /*outermost=*/false);
  return events.PlanEventsColumns(alias, used, conjuncts);
}

StatusOr<PlannedQuery> Planner::PlanEventsColumns(const std::string& alias,
                                                  const std::set<std::string>& used,
                                                  const std::vector<const Expr*>& conjuncts) {
  plan_.from_events = true;
  plan_.subquery = true;
  table_alias_ = alias;
  const bool all = used.contains("*");
  for (const char* name : kEventsColumns) {
    Field field;
    field.chain = {name};
    // A column the query does not name is not read (nor held by the rows of a join).
    if (!all && !used.contains(name)) continue;
    HOGLET_ASSIGN_OR_RETURN(Node node, CompileField(field, field.chain));
    plan_.column_types.push_back(node.type);
    plan_.select.push_back(std::move(node));
    plan_.column_names.push_back(name);
  }
  std::vector<Node> conditions;
  for (const Expr* conjunct : conjuncts) {
    // A conjunct that reads other tables stays with the query only.
    StatusOr<Node> condition = Compile(*conjunct, Scope::kRow);
    if (condition.ok() && condition->type.base != BaseType::kString) {
      conditions.push_back(*std::move(condition));
    }
  }
  if (conditions.size() == 1) {
    plan_.where = std::move(conditions.front());
  } else if (conditions.size() > 1) {
    plan_.where = Operation(Node::Op::kAnd, {BaseType::kUInt8, true}, std::move(conditions));
  }
  FindScanBounds();
  return std::move(plan_);
}

}  // namespace hoglet::hogql::internal
