#include "hogql/ast.h"

#include <cinttypes>
#include <cstdio>
#include <string>

namespace hoglet::hogql {

const char* ExprKindName(ExprKind kind) {
  switch (kind) {
    case ExprKind::kConstant:
      return "Constant";
    case ExprKind::kField:
      return "Field";
    case ExprKind::kPlaceholder:
      return "Placeholder";
    case ExprKind::kPositionalRef:
      return "PositionalRef";
    case ExprKind::kArrayAccess:
      return "ArrayAccess";
    case ExprKind::kArraySlice:
      return "ArraySlice";
    case ExprKind::kTupleAccess:
      return "TupleAccess";
    case ExprKind::kCall:
      return "Call";
    case ExprKind::kExprCall:
      return "ExprCall";
    case ExprKind::kLambda:
      return "Lambda";
    case ExprKind::kNamedArgument:
      return "NamedArgument";
    case ExprKind::kArithmetic:
      return "ArithmeticOperation";
    case ExprKind::kCompare:
      return "CompareOperation";
    case ExprKind::kAnd:
      return "And";
    case ExprKind::kOr:
      return "Or";
    case ExprKind::kNot:
      return "Not";
    case ExprKind::kBetween:
      return "BetweenExpr";
    case ExprKind::kIsDistinctFrom:
      return "IsDistinctFrom";
    case ExprKind::kTypeCast:
      return "TypeCast";
    case ExprKind::kAlias:
      return "Alias";
    case ExprKind::kArray:
      return "Array";
    case ExprKind::kTuple:
      return "Tuple";
    case ExprKind::kDict:
      return "Dict";
    case ExprKind::kOrderExpr:
      return "OrderExpr";
    case ExprKind::kWindowFrameExpr:
      return "WindowFrameExpr";
    case ExprKind::kWindowExpr:
      return "WindowExpr";
    case ExprKind::kRatioExpr:
      return "RatioExpr";
    case ExprKind::kSampleExpr:
      return "SampleExpr";
    case ExprKind::kJoinConstraint:
      return "JoinConstraint";
    case ExprKind::kJoinExpr:
      return "JoinExpr";
    case ExprKind::kLimitBy:
      return "LimitByExpr";
    case ExprKind::kCte:
      return "CTE";
    case ExprKind::kSelectQuery:
      return "SelectQuery";
    case ExprKind::kSelectSetQuery:
      return "SelectSetQuery";
  }
  return "?";
}

const char* ArithmeticOpText(ArithmeticOp op) {
  switch (op) {
    case ArithmeticOp::kAdd:
      return "+";
    case ArithmeticOp::kSub:
      return "-";
    case ArithmeticOp::kMult:
      return "*";
    case ArithmeticOp::kDiv:
      return "/";
    case ArithmeticOp::kMod:
      return "%";
  }
  return "?";
}

const char* CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "==";
    case CompareOp::kNotEq:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLtEq:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGtEq:
      return ">=";
    case CompareOp::kLike:
      return "like";
    case CompareOp::kILike:
      return "ilike";
    case CompareOp::kNotLike:
      return "not like";
    case CompareOp::kNotILike:
      return "not ilike";
    case CompareOp::kIn:
      return "in";
    case CompareOp::kNotIn:
      return "not in";
    case CompareOp::kInCohort:
      return "in cohort";
    case CompareOp::kNotInCohort:
      return "not in cohort";
    case CompareOp::kRegex:
      return "=~";
    case CompareOp::kIRegex:
      return "=~*";
    case CompareOp::kNotRegex:
      return "!~";
    case CompareOp::kNotIRegex:
      return "!~*";
  }
  return "?";
}

namespace {

using Visit = std::function<void(const Expr&)>;

void VisitIf(const Expr* e, const Visit& visit) {
  if (e != nullptr) visit(*e);
}

template <typename T>
void VisitAll(const std::vector<std::unique_ptr<T>>& list, const Visit& visit) {
  for (const auto& e : list) VisitIf(e.get(), visit);
}

}  // namespace

void ForEachChild(const Expr& expr, const Visit& visit) {
  switch (expr.kind) {
    case ExprKind::kConstant:
    case ExprKind::kField:
    case ExprKind::kPositionalRef:
      return;
    case ExprKind::kPlaceholder:
      return VisitIf(expr.As<Placeholder>().expr.get(), visit);
    case ExprKind::kArrayAccess: {
      const auto& e = expr.As<ArrayAccess>();
      VisitIf(e.array.get(), visit);
      return VisitIf(e.property.get(), visit);
    }
    case ExprKind::kArraySlice: {
      const auto& e = expr.As<ArraySlice>();
      VisitIf(e.array.get(), visit);
      VisitIf(e.start_expr.get(), visit);
      return VisitIf(e.end_expr.get(), visit);
    }
    case ExprKind::kTupleAccess:
      return VisitIf(expr.As<TupleAccess>().tuple.get(), visit);
    case ExprKind::kCall: {
      const auto& e = expr.As<Call>();
      if (e.params) VisitAll(*e.params, visit);
      VisitAll(e.args, visit);
      VisitAll(e.order_by, visit);
      if (e.within_group) VisitAll(*e.within_group, visit);
      VisitIf(e.filter_expr.get(), visit);
      return VisitIf(e.over_expr.get(), visit);
    }
    case ExprKind::kExprCall: {
      const auto& e = expr.As<ExprCall>();
      VisitIf(e.expr.get(), visit);
      return VisitAll(e.args, visit);
    }
    case ExprKind::kLambda:
      return VisitIf(expr.As<Lambda>().expr.get(), visit);
    case ExprKind::kNamedArgument:
      return VisitIf(expr.As<NamedArgument>().value.get(), visit);
    case ExprKind::kArithmetic: {
      const auto& e = expr.As<ArithmeticOperation>();
      VisitIf(e.left.get(), visit);
      return VisitIf(e.right.get(), visit);
    }
    case ExprKind::kCompare: {
      const auto& e = expr.As<CompareOperation>();
      VisitIf(e.left.get(), visit);
      return VisitIf(e.right.get(), visit);
    }
    case ExprKind::kAnd:
      return VisitAll(expr.As<And>().exprs, visit);
    case ExprKind::kOr:
      return VisitAll(expr.As<Or>().exprs, visit);
    case ExprKind::kNot:
      return VisitIf(expr.As<Not>().expr.get(), visit);
    case ExprKind::kBetween: {
      const auto& e = expr.As<BetweenExpr>();
      VisitIf(e.expr.get(), visit);
      VisitIf(e.low.get(), visit);
      return VisitIf(e.high.get(), visit);
    }
    case ExprKind::kIsDistinctFrom: {
      const auto& e = expr.As<IsDistinctFrom>();
      VisitIf(e.left.get(), visit);
      return VisitIf(e.right.get(), visit);
    }
    case ExprKind::kTypeCast:
      return VisitIf(expr.As<TypeCast>().expr.get(), visit);
    case ExprKind::kAlias:
      return VisitIf(expr.As<Alias>().expr.get(), visit);
    case ExprKind::kArray:
      return VisitAll(expr.As<Array>().exprs, visit);
    case ExprKind::kTuple:
      return VisitAll(expr.As<Tuple>().exprs, visit);
    case ExprKind::kDict:
      for (const auto& [k, v] : expr.As<Dict>().items) {
        VisitIf(k.get(), visit);
        VisitIf(v.get(), visit);
      }
      return;
    case ExprKind::kOrderExpr:
      return VisitIf(expr.As<OrderExpr>().expr.get(), visit);
    case ExprKind::kWindowFrameExpr:
      return VisitIf(expr.As<WindowFrameExpr>().value.get(), visit);
    case ExprKind::kWindowExpr: {
      const auto& e = expr.As<WindowExpr>();
      VisitAll(e.partition_by, visit);
      VisitAll(e.order_by, visit);
      VisitIf(e.frame_start.get(), visit);
      return VisitIf(e.frame_end.get(), visit);
    }
    case ExprKind::kRatioExpr: {
      const auto& e = expr.As<RatioExpr>();
      VisitIf(e.left.get(), visit);
      return VisitIf(e.right.get(), visit);
    }
    case ExprKind::kSampleExpr: {
      const auto& e = expr.As<SampleExpr>();
      VisitIf(e.sample_value.get(), visit);
      return VisitIf(e.offset_value.get(), visit);
    }
    case ExprKind::kJoinConstraint:
      return VisitIf(expr.As<JoinConstraint>().expr.get(), visit);
    case ExprKind::kJoinExpr: {
      const auto& e = expr.As<JoinExpr>();
      VisitIf(e.table.get(), visit);
      if (e.table_args) VisitAll(*e.table_args, visit);
      VisitIf(e.sample.get(), visit);
      VisitIf(e.constraint.get(), visit);
      return VisitIf(e.next_join.get(), visit);
    }
    case ExprKind::kLimitBy: {
      const auto& e = expr.As<LimitBy>();
      VisitIf(e.n.get(), visit);
      VisitIf(e.offset_value.get(), visit);
      return VisitAll(e.exprs, visit);
    }
    case ExprKind::kCte:
      return VisitIf(expr.As<Cte>().expr.get(), visit);
    case ExprKind::kSelectQuery: {
      const auto& e = expr.As<SelectQuery>();
      VisitAll(e.ctes, visit);
      VisitAll(e.select, visit);
      VisitIf(e.select_from.get(), visit);
      VisitAll(e.array_join_list, visit);
      VisitIf(e.prewhere.get(), visit);
      VisitIf(e.where.get(), visit);
      if (e.group_by) VisitAll(*e.group_by, visit);
      VisitIf(e.having.get(), visit);
      VisitIf(e.qualify.get(), visit);
      for (const auto& [name, window] : e.window_exprs) VisitIf(window.get(), visit);
      VisitAll(e.order_by, visit);
      VisitIf(e.limit_by.get(), visit);
      VisitIf(e.limit.get(), visit);
      return VisitIf(e.offset.get(), visit);
    }
    case ExprKind::kSelectSetQuery: {
      const auto& e = expr.As<SelectSetQuery>();
      VisitIf(e.initial_select_query.get(), visit);
      for (const auto& member : e.subsequent_select_queries) {
        VisitIf(member.select_query.get(), visit);
      }
      VisitAll(e.order_by, visit);
      VisitIf(e.limit.get(), visit);
      return VisitIf(e.offset.get(), visit);
    }
  }
}

namespace {

// Names and strings are dumped in quotes with C escapes so the dump is unambiguous.
void AppendQuoted(std::string& out, const std::string& text) {
  out += '"';
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void AppendNames(std::string& out, const std::vector<std::string>& names) {
  out += '[';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ' ';
    AppendQuoted(out, names[i]);
  }
  out += ']';
}

void AppendConstant(std::string& out, const ConstantValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    out += "null";
  } else if (const bool* b = std::get_if<bool>(&value)) {
    out += *b ? "true" : "false";
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    out += std::to_string(*i);
  } else if (const double* d = std::get_if<double>(&value)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17gf", *d);
    out += buf;
  } else if (const std::string* s = std::get_if<std::string>(&value)) {
    AppendQuoted(out, *s);
  } else {
    out += std::get<BigNumber>(value).digits;
    out += 'n';
  }
}

// The fields that ForEachChild does not reach (names, operators, flags), for the dump.
void AppendAttributes(std::string& out, const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kConstant:
      out += ' ';
      return AppendConstant(out, expr.As<Constant>().value);
    case ExprKind::kField:
      out += ' ';
      return AppendNames(out, expr.As<Field>().chain);
    case ExprKind::kPositionalRef:
      out += ' ' + std::to_string(expr.As<PositionalRef>().index);
      return;
    case ExprKind::kArrayAccess:
      if (expr.As<ArrayAccess>().nullish) out += " nullish";
      return;
    case ExprKind::kArraySlice: {
      const auto& e = expr.As<ArraySlice>();
      out += e.start_expr ? " start" : "";
      out += e.end_expr ? " end" : "";
      return;
    }
    case ExprKind::kTupleAccess: {
      const auto& e = expr.As<TupleAccess>();
      out += ' ' + std::to_string(e.index);
      if (e.nullish) out += " nullish";
      return;
    }
    case ExprKind::kCall: {
      const auto& e = expr.As<Call>();
      out += ' ';
      AppendQuoted(out, e.name);
      out += " args=" + std::to_string(e.args.size());
      if (e.params) out += " params=" + std::to_string(e.params->size());
      if (e.distinct) out += " distinct";
      if (!e.order_by.empty()) out += " order_by=" + std::to_string(e.order_by.size());
      if (e.within_group) out += " within_group=" + std::to_string(e.within_group->size());
      if (e.filter_expr) out += " filter";
      if (e.over_expr) out += " over";
      if (!e.over_identifier.empty()) {
        out += " over=";
        AppendQuoted(out, e.over_identifier);
      }
      return;
    }
    case ExprKind::kLambda:
      out += ' ';
      return AppendNames(out, expr.As<Lambda>().args);
    case ExprKind::kNamedArgument:
      out += ' ';
      return AppendQuoted(out, expr.As<NamedArgument>().name);
    case ExprKind::kArithmetic:
      out += ' ';
      out += ArithmeticOpText(expr.As<ArithmeticOperation>().op);
      return;
    case ExprKind::kCompare: {
      const auto& e = expr.As<CompareOperation>();
      out += " '";
      out += CompareOpText(e.op);
      out += '\'';
      if (e.is_null_style) out += " is_null";
      return;
    }
    case ExprKind::kBetween:
      if (expr.As<BetweenExpr>().negated) out += " not";
      return;
    case ExprKind::kIsDistinctFrom:
      if (expr.As<IsDistinctFrom>().negated) out += " not";
      return;
    case ExprKind::kTypeCast: {
      const auto& e = expr.As<TypeCast>();
      out += e.try_cast ? " try " : " ";
      return AppendQuoted(out, e.type_name);
    }
    case ExprKind::kAlias:
      out += ' ';
      return AppendQuoted(out, expr.As<Alias>().alias);
    case ExprKind::kDict:
      out += " items=" + std::to_string(expr.As<Dict>().items.size());
      return;
    case ExprKind::kOrderExpr: {
      const auto& e = expr.As<OrderExpr>();
      out += e.descending ? " DESC" : " ASC";
      if (e.nulls == NullsOrder::kFirst) out += " NULLS FIRST";
      if (e.nulls == NullsOrder::kLast) out += " NULLS LAST";
      if (e.collate) {
        out += " COLLATE ";
        AppendQuoted(out, *e.collate);
      }
      return;
    }
    case ExprKind::kWindowFrameExpr: {
      const auto& e = expr.As<WindowFrameExpr>();
      out += e.type == FrameBound::kCurrentRow  ? " CURRENT ROW"
             : e.type == FrameBound::kPreceding ? " PRECEDING"
                                                : " FOLLOWING";
      return;
    }
    case ExprKind::kWindowExpr: {
      const auto& e = expr.As<WindowExpr>();
      out += " partition_by=" + std::to_string(e.partition_by.size());
      out += " order_by=" + std::to_string(e.order_by.size());
      if (!e.frame_method.empty()) out += ' ' + e.frame_method;
      if (e.frame_end) out += " BETWEEN";
      return;
    }
    case ExprKind::kRatioExpr:
      if (expr.As<RatioExpr>().right) out += " /";
      return;
    case ExprKind::kSampleExpr:
      if (expr.As<SampleExpr>().offset_value) out += " offset";
      return;
    case ExprKind::kJoinConstraint:
      out += expr.As<JoinConstraint>().using_ ? " USING" : " ON";
      return;
    case ExprKind::kJoinExpr: {
      const auto& e = expr.As<JoinExpr>();
      if (!e.join_type.empty()) out += " '" + e.join_type + "'";
      if (e.table_args) out += " table_args=" + std::to_string(e.table_args->size());
      if (!e.alias.empty()) {
        out += " alias=";
        AppendQuoted(out, e.alias);
      }
      if (!e.column_aliases.empty()) {
        out += " columns=";
        AppendNames(out, e.column_aliases);
      }
      if (e.table_final) out += " FINAL";
      return;
    }
    case ExprKind::kLimitBy: {
      const auto& e = expr.As<LimitBy>();
      if (e.offset_value) out += " offset";
      out += " exprs=" + std::to_string(e.exprs.size());
      return;
    }
    case ExprKind::kCte: {
      const auto& e = expr.As<Cte>();
      out += ' ';
      AppendQuoted(out, e.name);
      out += e.is_subquery ? " subquery" : " column";
      if (e.columns) {
        out += " columns=";
        AppendNames(out, *e.columns);
      }
      if (e.materialized) out += *e.materialized ? " MATERIALIZED" : " NOT MATERIALIZED";
      if (e.recursive) out += " RECURSIVE";
      return;
    }
    case ExprKind::kSelectQuery: {
      const auto& e = expr.As<SelectQuery>();
      if (e.distinct) out += " distinct";
      out += " select=" + std::to_string(e.select.size());
      if (e.select_from) out += " from";
      if (!e.array_join_op.empty()) out += " '" + e.array_join_op + "'";
      if (e.prewhere) out += " prewhere";
      if (e.where) out += " where";
      if (e.group_by) out += " group_by=" + std::to_string(e.group_by->size());
      if (!e.group_by_mode.empty()) out += " group_by_mode=" + e.group_by_mode;
      if (e.having) out += " having";
      if (e.qualify) out += " qualify";
      for (const auto& [name, window] : e.window_exprs) {
        out += " window=";
        AppendQuoted(out, name);
      }
      if (!e.order_by.empty()) out += " order_by=" + std::to_string(e.order_by.size());
      if (e.limit_by) out += " limit_by";
      if (e.limit) out += " limit";
      if (e.offset) out += " offset";
      if (e.limit_with_ties) out += " with_ties";
      return;
    }
    case ExprKind::kSelectSetQuery: {
      const auto& e = expr.As<SelectSetQuery>();
      for (const auto& member : e.subsequent_select_queries)
        out += " '" + member.set_operator + "'";
      if (!e.order_by.empty()) out += " order_by=" + std::to_string(e.order_by.size());
      if (e.limit) out += " limit";
      if (e.offset) out += " offset";
      if (e.limit_with_ties) out += " with_ties";
      return;
    }
    default:
      return;
  }
}

void AppendDebug(std::string& out, const Expr& expr) {
  out += '(';
  out += ExprKindName(expr.kind);
  AppendAttributes(out, expr);
  ForEachChild(expr, [&](const Expr& child) {
    out += ' ';
    AppendDebug(out, child);
  });
  out += ')';
}

}  // namespace

std::string DebugString(const Expr& expr) {
  std::string out;
  AppendDebug(out, expr);
  return out;
}

}  // namespace hoglet::hogql
