// What the events scan may skip: the event names and the time range the top-level conjuncts of
// WHERE allow (planner_impl.h).
#include <algorithm>
#include <optional>
#include <set>

#include "hogql/executor/planner_impl.h"

namespace hoglet::hogql::internal {

// The event names and the time range the top-level conjuncts of WHERE allow, so the scan skips
// the parts and blocks outside them. The WHERE still runs on every row read.
void Planner::FindScanBounds() {
  if (!plan_.where || !plan_.from_events) return;
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

}  // namespace hoglet::hogql::internal
