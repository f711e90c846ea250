#include "hogql/executor/expression.h"

#include <cmath>

#include "base/civil_time.h"

namespace hoglet::hogql {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

bool IsNegative(CompareOp op) {
  return op == CompareOp::kNotEq || op == CompareOp::kNotLike || op == CompareOp::kNotILike ||
         op == CompareOp::kNotIn || op == CompareOp::kNotRegex || op == CompareOp::kNotIRegex;
}

Value EvaluateCompare(const Node& node, const EvalContext& context) {
  Value left = Evaluate(node.args[0], context);
  Value right = Evaluate(node.args[1], context);
  const bool negative = IsNegative(node.compare);
  if (left.is_null() || right.is_null()) return Value::Bool(negative);
  std::optional<int> order = CompareValues(left, right, *context.zone);
  if (!order) return Value::Bool(negative);
  switch (node.compare) {
    case CompareOp::kEq:
      return Value::Bool(*order == 0);
    case CompareOp::kNotEq:
      return Value::Bool(*order != 0);
    case CompareOp::kLt:
      return Value::Bool(*order < 0);
    case CompareOp::kLtEq:
      return Value::Bool(*order <= 0);
    case CompareOp::kGt:
      return Value::Bool(*order > 0);
    case CompareOp::kGtEq:
      return Value::Bool(*order >= 0);
    default:
      return Value::Bool(false);
  }
}

Value EvaluateIn(const Node& node, const EvalContext& context) {
  Value left = Evaluate(node.args[0], context);
  bool found = false;
  for (size_t i = 1; i < node.args.size() && !found; ++i) {
    Value item = Evaluate(node.args[i], context);
    if (left.is_null() || item.is_null()) {
      found = left.is_null() && item.is_null();  // transform_null_in: NULL IN (NULL)
    } else {
      std::optional<int> order = CompareValues(left, item, *context.zone);
      found = order && *order == 0;
    }
  }
  return Value::Bool(found != node.negated);
}

Value EvaluateInSet(const Node& node, const EvalContext& context) {
  Value left = Evaluate(node.args[0], context);
  bool found = false;
  if (context.sets != nullptr && node.index < context.sets->size()) {
    const ValueSet& set = (*context.sets)[node.index];
    if (left.is_null()) {
      found = set.has_null;  // transform_null_in: NULL IN (NULL)
    } else {
      std::string key;
      AppendMatchKey(left, &key);
      found = set.keys.contains(key);
    }
  }
  return Value::Bool(found != node.negated);
}

Value EvaluateMatch(const Node& node, const EvalContext& context) {
  Value text = Evaluate(node.args[0], context);
  if (text.is_null()) return Value::Bool(node.negated);
  std::string owned;
  const std::string* subject = &text.s;
  if (text.kind != Value::Kind::kString && text.kind != Value::Kind::kUuid) {
    owned = ValueToString(text, *context.zone);
    subject = &owned;
  }
  bool matched = RE2::PartialMatch(*subject, *node.regex);
  return Value::Bool(matched != node.negated);
}

int64_t Wrap(uint64_t v) { return static_cast<int64_t>(v); }

Value EvaluateArithmetic(const Node& node, const EvalContext& context) {
  Value a = Evaluate(node.args[0], context);
  Value b = Evaluate(node.args[1], context);
  if (a.is_null() || b.is_null()) return Value::Null();
  const ArithmeticOp op = node.arithmetic;
  if (b.kind == Value::Kind::kInterval && (op == ArithmeticOp::kAdd || op == ArithmeticOp::kSub)) {
    return AddInterval(a, b, op == ArithmeticOp::kAdd ? 1 : -1, *context.zone);
  }
  if (a.kind == Value::Kind::kInterval && op == ArithmeticOp::kAdd) {
    return AddInterval(b, a, 1, *context.zone);
  }
  if ((a.kind == Value::Kind::kDate || a.kind == Value::Kind::kDateTime) &&
      b.kind == Value::Kind::kInt && (op == ArithmeticOp::kAdd || op == ArithmeticOp::kSub)) {
    // ClickHouse: a date plus a number of days, a date-time plus a number of seconds.
    Value step = Value::Interval(
        b.i, a.kind == Value::Kind::kDate ? IntervalUnit::kDay : IntervalUnit::kSecond);
    return AddInterval(a, step, op == ArithmeticOp::kAdd ? 1 : -1, *context.zone);
  }
  const bool ints = a.kind == Value::Kind::kInt && b.kind == Value::Kind::kInt;
  if (!ints && (a.kind != Value::Kind::kInt && a.kind != Value::Kind::kFloat)) return Value::Null();
  if (!ints && (b.kind != Value::Kind::kInt && b.kind != Value::Kind::kFloat)) return Value::Null();
  if (ints) {
    uint64_t x = static_cast<uint64_t>(a.i);
    uint64_t y = static_cast<uint64_t>(b.i);
    switch (op) {
      case ArithmeticOp::kAdd:
        return Value::Int(Wrap(x + y));
      case ArithmeticOp::kSub:
        return Value::Int(Wrap(x - y));
      case ArithmeticOp::kMult:
        return Value::Int(Wrap(x * y));
      case ArithmeticOp::kDiv:
        return Value::Float(static_cast<double>(a.i) / static_cast<double>(b.i));
      case ArithmeticOp::kMod:
        if (b.i == 0 || (b.i == -1)) return b.i == 0 ? Value::Null() : Value::Int(0);
        return Value::Int(a.i % b.i);
    }
  }
  double x = a.kind == Value::Kind::kInt ? static_cast<double>(a.i) : a.f;
  double y = b.kind == Value::Kind::kInt ? static_cast<double>(b.i) : b.f;
  switch (op) {
    case ArithmeticOp::kAdd:
      return Value::Float(x + y);
    case ArithmeticOp::kSub:
      return Value::Float(x - y);
    case ArithmeticOp::kMult:
      return Value::Float(x * y);
    case ArithmeticOp::kDiv:
      return Value::Float(x / y);
    case ArithmeticOp::kMod:
      return Value::Float(std::fmod(x, y));
  }
  return Value::Null();
}

}  // namespace

Value AddInterval(const Value& value, const Value& interval, int sign, const TimeZone& zone) {
  const int64_t count = interval.i * sign;
  int64_t micros_per_unit = 0;
  switch (interval.unit) {
    case IntervalUnit::kSecond:
      micros_per_unit = 1'000'000;
      break;
    case IntervalUnit::kMinute:
      micros_per_unit = 60'000'000;
      break;
    case IntervalUnit::kHour:
      micros_per_unit = 3'600'000'000;
      break;
    default:
      break;
  }
  if (micros_per_unit != 0) {
    int64_t instant =
        value.kind == Value::Kind::kDate ? zone.LocalToUtcMicros(value.i * kMicrosPerDay) : value.i;
    if (value.kind != Value::Kind::kDate && value.kind != Value::Kind::kDateTime) {
      return Value::Null();
    }
    return Value::DateTime(instant + count * micros_per_unit);
  }
  int64_t days = 0;
  int64_t months = 0;
  switch (interval.unit) {
    case IntervalUnit::kDay:
      days = count;
      break;
    case IntervalUnit::kWeek:
      days = count * 7;
      break;
    case IntervalUnit::kMonth:
      months = count;
      break;
    case IntervalUnit::kQuarter:
      months = count * 3;
      break;
    case IntervalUnit::kYear:
      months = count * 12;
      break;
    default:
      break;
  }
  if (value.kind == Value::Kind::kDate) {
    CivilTime t = CivilTime::FromMicros(value.i * kMicrosPerDay);
    t.AddDays(days);
    t.AddMonths(months);
    return Value::Date(t.ToMicros() / kMicrosPerDay);
  }
  if (value.kind != Value::Kind::kDateTime) return Value::Null();
  // Calendar steps on the local clock, as ClickHouse does on a date-time in the project's zone.
  CivilTime t = CivilTime::FromMicros(value.i + zone.UtcOffsetMicros(value.i));
  t.AddDays(days);
  t.AddMonths(months);
  return Value::DateTime(zone.LocalToUtcMicros(t.ToMicros()));
}

Value Evaluate(const Node& node, const EvalContext& context) {
  switch (node.op) {
    case Node::Op::kConstant:
      return node.constant;
    case Node::Op::kColumn:
      return context.row->Column(node.column);
    case Node::Op::kProperty:
      return context.row->Property(node.index, node.read);
    case Node::Op::kPersonProperty:
      return context.row->PersonProperty(node.index);
    case Node::Op::kKey:
      return (*context.keys)[node.index];
    case Node::Op::kAggregate:
      return (*context.aggregates)[node.index];
    case Node::Op::kCall: {
      std::vector<Value> args;
      args.reserve(node.args.size());
      for (const Node& arg : node.args) {
        args.push_back(Evaluate(arg, context));
        if (node.null_in_null_out && args.back().is_null()) return Value::Null();
      }
      return node.eval(args, context);
    }
    case Node::Op::kAnd: {
      bool any_null = false;
      for (const Node& arg : node.args) {
        Value v = Evaluate(arg, context);
        if (v.is_null()) {
          any_null = true;
        } else if (!Truthy(v)) {
          return Value::Bool(false);
        }
      }
      return any_null ? Value::Null() : Value::Bool(true);
    }
    case Node::Op::kOr: {
      bool any_null = false;
      for (const Node& arg : node.args) {
        Value v = Evaluate(arg, context);
        if (v.is_null()) {
          any_null = true;
        } else if (Truthy(v)) {
          return Value::Bool(true);
        }
      }
      return any_null ? Value::Null() : Value::Bool(false);
    }
    case Node::Op::kNot: {
      Value v = Evaluate(node.args[0], context);
      if (v.is_null()) return v;
      return Value::Bool(!Truthy(v));
    }
    case Node::Op::kCompare:
      return EvaluateCompare(node, context);
    case Node::Op::kIn:
      return EvaluateIn(node, context);
    case Node::Op::kIsNull:
      return Value::Bool(Evaluate(node.args[0], context).is_null() != node.negated);
    case Node::Op::kArithmetic:
      return EvaluateArithmetic(node, context);
    case Node::Op::kSlot:
      return context.row != nullptr ? context.row->Slot(node.index) : Value::Null();
    case Node::Op::kInSet:
      return EvaluateInSet(node, context);
    case Node::Op::kMatch:
      return EvaluateMatch(node, context);
  }
  return Value::Null();
}

bool IsConstantNode(const Node& node) {
  switch (node.op) {
    case Node::Op::kColumn:
    case Node::Op::kSlot:
    case Node::Op::kInSet:
    case Node::Op::kProperty:
    case Node::Op::kPersonProperty:
    case Node::Op::kKey:
    case Node::Op::kAggregate:
      return false;
    default:
      break;
  }
  for (const Node& arg : node.args) {
    if (!IsConstantNode(arg)) return false;
  }
  return true;
}

std::string LikeToRegex(std::string_view pattern) {
  std::string out = "(?s)^";
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += RE2::QuoteMeta(std::string_view(&pattern[++i], 1));
    } else if (c == '%') {
      out += ".*";
    } else if (c == '_') {
      out += '.';
    } else {
      out += RE2::QuoteMeta(std::string_view(&c, 1));
    }
  }
  out += '$';
  return out;
}

}  // namespace hoglet::hogql
