#include "hogql/executor/join.h"

#include <unordered_map>

#include "hogql/executor/person_tables.h"

namespace hoglet::hogql {
namespace {

// The key of `row` under `keys`; false when a key is NULL (which matches nothing).
bool KeyOf(const std::vector<Node>& keys, const Row& row, EvalContext& eval, RowValues& values,
           std::string* key) {
  key->clear();
  values.set_row(&row);
  for (const Node& node : keys) {
    Value value = Evaluate(node, eval);
    if (value.is_null()) return false;
    AppendMatchKey(value, key);
  }
  return true;
}

}  // namespace

Value DefaultValue(ColumnType type) {
  if (type.nullable) return Value::Null();
  switch (type.base) {
    case BaseType::kString:
      return Value::String("");
    case BaseType::kFloat64:
      return Value::Float(0);
    case BaseType::kDate:
      return Value::Date(0);
    case BaseType::kDateTime:
      return Value::DateTime(0);
    case BaseType::kUuid:
      return Value::UuidText("00000000-0000-0000-0000-000000000000");
    case BaseType::kNothing:
    case BaseType::kInterval:
      return Value::Null();
    default:
      return Value::Int(0);
  }
}

StatusOr<Rows> JoinRows(const Source& join, Rows left, Rows right, const RunInputs& inputs) {
  const HogQLRunContext& context = *inputs.context;
  RowValues values;
  EvalContext eval;
  eval.zone = &context.zone;
  eval.now_us = context.now_us;
  eval.row = &values;

  // The right rows by key (all under one key for CROSS JOIN).
  std::unordered_map<std::string, std::vector<size_t>> right_of;
  std::string key;
  for (size_t i = 0; i < right.size(); ++i) {
    if (KeyOf(join.right_keys, right[i], eval, values, &key)) right_of[key].push_back(i);
  }
  Row defaults;
  for (size_t i = join.left->columns.size(); i < join.columns.size(); ++i) {
    defaults.push_back(DefaultValue(join.columns[i].type));
  }
  Rows rows;
  auto emit = [&](const Row& l, const Row& r) -> Status {
    if (rows.size() >= context.max_rows) return TooManyRows("the JOIN", context.max_rows);
    if (context.check && rows.size() % 65536 == 65535) HOGLET_RETURN_IF_ERROR(context.check());
    Row row;
    row.reserve(l.size() + r.size());
    row.insert(row.end(), l.begin(), l.end());
    row.insert(row.end(), r.begin(), r.end());
    rows.push_back(std::move(row));
    return Status::Ok();
  };
  for (const Row& l : left) {
    const std::vector<size_t>* matches = nullptr;
    if (KeyOf(join.left_keys, l, eval, values, &key)) {
      auto found = right_of.find(key);
      if (found != right_of.end()) matches = &found->second;
    }
    if (matches == nullptr) {
      if (join.left_join) HOGLET_RETURN_IF_ERROR(emit(l, defaults));
      continue;
    }
    for (size_t i : *matches) HOGLET_RETURN_IF_ERROR(emit(l, right[i]));
  }
  return rows;
}

}  // namespace hoglet::hogql
