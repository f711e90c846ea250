#include "hogql/printer.h"

#include <charconv>
#include <cmath>
#include <string>

#include "hogql/keywords.h"
#include "hogql/parser_impl.h"

namespace hoglet::hogql {
namespace {

// `text` between `quote`s with the escapes HogQL prints; `quote_escape` is how the quote
// itself is written inside.
std::string Quoted(std::string_view text, char quote, std::string_view quote_escape) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) {
      out += quote_escape;
      continue;
    }
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        out += c;
    }
  }
  out += quote;
  return out;
}


using internal::kPrecAdd;
using internal::kPrecAlias;
using internal::kPrecAnd;
using internal::kPrecBetween;
using internal::kPrecCompare;
using internal::kPrecIsDistinct;
using internal::kPrecIsNull;
using internal::kPrecLowest;
using internal::kPrecMul;
using internal::kPrecNot;
using internal::kPrecOr;
using internal::kPrecTernary;

// Binds tighter than any operator: literals, names, calls, postfix forms.
constexpr int kPrecPrimary = 100;

bool IsSimpleName(std::string_view name) {
  if (name.empty()) return false;
  auto start = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  };
  if (!start(name[0])) return false;
  for (char c : name) {
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Keywords that read as plain names wherever a printed column name can stand.
bool IsHarmlessKeyword(std::string_view name) {
  for (std::string_view k :
       {"date",   "timestamp", "time", "id",   "key",   "name",  "first",   "last",
        "second", "minute",    "hour", "day",  "week",  "month", "quarter", "year",
        "zone",   "local",     "step", "fill", "event", "filter"}) {
    if (EqualsIgnoreCase(name, k)) return true;
  }
  return false;
}

// A name after a dot, AS, or in a lambda's arguments: only reserved words need quoting there.
std::string QuoteMember(std::string_view name) {
  if (name == "*") return "*";
  if (IsSimpleName(name) && !IsReservedWord(name)) return std::string(name);
  return QuoteIdentifier(name);
}

// The first name of a chain or a function name: keywords could start another construct.
std::string QuoteLeading(std::string_view name) {
  if (name == "*") return "*";
  if (IsSimpleName(name) && (!IsKeyword(name) || IsHarmlessKeyword(name)) &&
      !EqualsIgnoreCase(name, "true") && !EqualsIgnoreCase(name, "false")) {
    return std::string(name);
  }
  return QuoteIdentifier(name);
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string text(buf, ptr);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

class Printer {
 public:
  std::string out;

  void Print(const Expr& e, int required = kPrecLowest) {
    bool parens = Precedence(e) < required || e.kind == ExprKind::kSelectQuery ||
                  e.kind == ExprKind::kSelectSetQuery;
    if (parens) out += '(';
    PrintBare(e);
    if (parens) out += ')';
  }

 private:
  static int Precedence(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kAlias:
      case ExprKind::kLambda:
      case ExprKind::kNamedArgument:
        return kPrecAlias;
      case ExprKind::kOr:
        return kPrecOr;
      case ExprKind::kAnd:
        return kPrecAnd;
      case ExprKind::kNot:
        return kPrecNot;
      case ExprKind::kBetween:
        return kPrecBetween;
      case ExprKind::kIsDistinctFrom:
        return kPrecIsDistinct;
      case ExprKind::kCompare:
        return e.As<CompareOperation>().is_null_style ? kPrecIsNull : kPrecCompare;
      case ExprKind::kArithmetic: {
        ArithmeticOp op = e.As<ArithmeticOperation>().op;
        return op == ArithmeticOp::kAdd || op == ArithmeticOp::kSub ? kPrecAdd : kPrecMul;
      }
      case ExprKind::kSelectQuery:
      case ExprKind::kSelectSetQuery:
        return kPrecLowest;  // printed in parentheses by the contexts that hold them
      default:
        return kPrecPrimary;
    }
  }

  template <typename List>
  void PrintList(const List& list, int required = kPrecLowest) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ", ";
      Print(*list[i], required);
    }
  }

  void PrintSubquery(const Expr& e) {
    out += '(';
    PrintBare(e);
    out += ')';
  }

  // A postfix operand: anything but a primary needs parentheses, and so do numbers that would
  // read differently (`(1).2` is not `1.2`). Negative numbers and strings may stay bare:
  // `-2[1]`, `'abc'[1]`.
  void PrintPostfixOperand(const Expr& e, bool tuple_access = false) {
    bool parens = Precedence(e) < kPrecPrimary;
    if (const Constant* c = e.TryAs<Constant>()) {
      parens = std::holds_alternative<double>(c->value) ||
               std::holds_alternative<BigNumber>(c->value) ||
               (tuple_access && std::holds_alternative<int64_t>(c->value));
    }
    if (parens) out += '(';
    PrintBare(e);
    if (parens) out += ')';
  }

  void PrintConstant(const Constant& c) {
    const ConstantValue& v = c.value;
    if (std::holds_alternative<std::monostate>(v)) {
      out += "NULL";
    } else if (const bool* b = std::get_if<bool>(&v)) {
      out += *b ? "true" : "false";
    } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
      out += std::to_string(*i);
    } else if (const double* d = std::get_if<double>(&v)) {
      out += FormatDouble(*d);
    } else if (const std::string* s = std::get_if<std::string>(&v)) {
      out += QuoteString(*s);
    } else {
      out += std::get<BigNumber>(v).digits;
    }
  }

  void PrintOrder(const OrderExpr& o) {
    Print(*o.expr);
    if (o.descending) out += " DESC";
    if (o.nulls == NullsOrder::kFirst) out += " NULLS FIRST";
    if (o.nulls == NullsOrder::kLast) out += " NULLS LAST";
    if (o.collate) out += " COLLATE " + QuoteString(*o.collate);
  }

  template <typename List>
  void PrintOrderList(const List& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ", ";
      PrintOrder(*list[i]);
    }
  }

  void PrintFrameBound(const WindowFrameExpr& f) {
    if (f.type == FrameBound::kCurrentRow) {
      out += "CURRENT ROW";
      return;
    }
    if (f.value) {
      Print(*f.value, kPrecNot);
    } else {
      out += "UNBOUNDED";
    }
    out += f.type == FrameBound::kPreceding ? " PRECEDING" : " FOLLOWING";
  }

  void PrintWindow(const WindowExpr& w) {
    std::string sep;
    if (!w.partition_by.empty()) {
      out += "PARTITION BY ";
      PrintList(w.partition_by);
      sep = " ";
    }
    if (!w.order_by.empty()) {
      out += sep + "ORDER BY ";
      PrintOrderList(w.order_by);
      sep = " ";
    }
    if (!w.frame_method.empty() && w.frame_start) {
      out += sep + w.frame_method + " ";
      if (w.frame_end) {
        out += "BETWEEN ";
        PrintFrameBound(*w.frame_start);
        out += " AND ";
        PrintFrameBound(*w.frame_end);
      } else {
        PrintFrameBound(*w.frame_start);
      }
    }
  }

  void PrintCall(const Call& c) {
    std::string_view name = c.name;
    bool special = EqualsIgnoreCase(name, "cast") || EqualsIgnoreCase(name, "try_cast") ||
                   EqualsIgnoreCase(name, "columns") || EqualsIgnoreCase(name, "trim");
    out += special ? QuoteIdentifier(name) : QuoteMember(name);
    out += '(';
    if (c.params && c.within_group) {  // quantile(0.5) WITHIN GROUP (ORDER BY x)
      PrintList(*c.params);
    } else if (c.params) {
      PrintList(*c.params);
      out += ")(";
    }
    if (c.distinct) out += "DISTINCT ";
    PrintList(c.args);
    if (!c.order_by.empty()) {
      out += c.args.empty() ? "ORDER BY " : " ORDER BY ";
      PrintOrderList(c.order_by);
    }
    out += ')';
    if (c.within_group) {
      out += " WITHIN GROUP (ORDER BY ";
      PrintOrderList(*c.within_group);
      out += ')';
    }
    if (c.filter_expr) {
      out += " FILTER (WHERE ";
      Print(*c.filter_expr);
      out += ')';
    }
    if (c.over_expr) {
      out += " OVER (";
      PrintWindow(*c.over_expr);
      out += ')';
    } else if (!c.over_identifier.empty()) {
      out += " OVER " + QuoteMember(c.over_identifier);
    }
  }

  void PrintTable(const JoinExpr& j) {
    const Expr& table = *j.table;
    if (table.kind == ExprKind::kSelectQuery || table.kind == ExprKind::kSelectSetQuery) {
      PrintSubquery(table);
    } else if (const Field* f = table.TryAs<Field>()) {
      for (size_t i = 0; i < f->chain.size(); ++i) {
        if (i > 0) out += '.';
        out += i == 0 ? QuoteLeading(f->chain[i]) : QuoteMember(f->chain[i]);
      }
      if (j.table_args) {
        out += '(';
        PrintList(*j.table_args);
        out += ')';
      }
    } else {
      Print(table);
    }
    if (!j.alias.empty()) out += " AS " + QuoteLeading(j.alias);
    if (!j.column_aliases.empty()) {
      out += " (";
      for (size_t i = 0; i < j.column_aliases.size(); ++i) {
        if (i > 0) out += ", ";
        out += QuoteMember(j.column_aliases[i]);
      }
      out += ')';
    }
    if (j.table_final) out += " FINAL";
    if (j.sample) {
      out += " SAMPLE ";
      Print(*j.sample->sample_value);
      if (j.sample->offset_value) {
        out += " OFFSET ";
        Print(*j.sample->offset_value);
      }
    }
  }

  void PrintJoin(const JoinExpr& first) {
    for (const JoinExpr* j = &first; j != nullptr; j = j->next_join.get()) {
      if (j != &first) {
        out += j->join_type.empty() ? " JOIN " : " " + j->join_type + " ";
      }
      PrintTable(*j);
      if (j->constraint) {
        out += j->constraint->using_ ? " USING " : " ON ";
        const Expr& e = *j->constraint->expr;
        if (j->constraint->using_ && e.kind == ExprKind::kTuple) {
          out += '(';
          PrintList(e.As<Tuple>().exprs);
          out += ')';
        } else {
          Print(e);
        }
      }
    }
  }

  void PrintSelect(const SelectQuery& q) {
    if (!q.ctes.empty()) {
      out += "WITH ";
      if (q.ctes.front()->recursive) out += "RECURSIVE ";
      for (size_t i = 0; i < q.ctes.size(); ++i) {
        if (i > 0) out += ", ";
        const Cte& cte = *q.ctes[i];
        if (cte.is_subquery) {
          out += QuoteLeading(cte.name);
          if (cte.columns) {
            out += " (";
            for (size_t k = 0; k < cte.columns->size(); ++k) {
              if (k > 0) out += ", ";
              out += QuoteMember((*cte.columns)[k]);
            }
            out += ')';
          }
          out += " AS ";
          if (cte.materialized) out += *cte.materialized ? "MATERIALIZED " : "NOT MATERIALIZED ";
          PrintSubquery(*cte.expr);
        } else {
          Print(*cte.expr, kPrecAlias);
          out += " AS " + QuoteMember(cte.name);
        }
      }
      out += ' ';
    }
    out += "SELECT ";
    if (q.distinct) out += "DISTINCT ";
    PrintList(q.select);
    if (q.select_from) {
      out += " FROM ";
      PrintJoin(*q.select_from);
    }
    if (!q.array_join_op.empty()) {
      out += " " + q.array_join_op + " ";
      PrintList(q.array_join_list);
    }
    if (q.prewhere) {
      out += " PREWHERE ";
      Print(*q.prewhere);
    }
    if (q.where) {
      out += " WHERE ";
      Print(*q.where);
    }
    if (q.group_by_mode == "all") {
      out += " GROUP BY ALL";
    } else if (q.group_by) {
      out += " GROUP BY ";
      bool mode = q.group_by_mode == "rollup" || q.group_by_mode == "cube";
      if (mode) out += q.group_by_mode == "rollup" ? "ROLLUP(" : "CUBE(";
      PrintList(*q.group_by);
      if (mode) out += ')';
    }
    if (q.having) {
      out += " HAVING ";
      Print(*q.having);
    }
    if (q.qualify) {
      out += " QUALIFY ";
      Print(*q.qualify);
    }
    if (!q.window_exprs.empty()) {
      out += " WINDOW ";
      for (size_t i = 0; i < q.window_exprs.size(); ++i) {
        if (i > 0) out += ", ";
        out += QuoteMember(q.window_exprs[i].first) + " AS (";
        PrintWindow(*q.window_exprs[i].second);
        out += ')';
      }
    }
    if (!q.order_by.empty()) {
      out += " ORDER BY ";
      PrintOrderList(q.order_by);
    }
    if (q.limit_by) {
      out += " LIMIT ";
      Print(*q.limit_by->n);
      if (q.limit_by->offset_value) {
        out += " OFFSET ";
        Print(*q.limit_by->offset_value);
      }
      out += " BY ";
      PrintList(q.limit_by->exprs);
    }
    PrintLimit(q.limit.get(), q.offset.get(), q.limit_with_ties);
  }

  void PrintLimit(const Expr* limit, const Expr* offset, bool with_ties) {
    if (limit) {
      out += " LIMIT ";
      Print(*limit);
      if (with_ties) out += " WITH TIES";
    }
    if (offset) {
      out += " OFFSET ";
      Print(*offset);
    }
  }

  void PrintSetMember(const Expr& e, bool parens) {
    if (parens || e.kind == ExprKind::kSelectSetQuery) {
      PrintSubquery(e);
    } else {
      PrintBare(e);
    }
  }

  void PrintSelectSet(const SelectSetQuery& s) {
    bool own_clauses = !s.order_by.empty() || s.limit || s.offset;
    PrintSetMember(*s.initial_select_query, own_clauses);
    for (const auto& member : s.subsequent_select_queries) {
      out += " " + member.set_operator + " ";
      PrintSetMember(*member.select_query, own_clauses);
    }
    if (!s.order_by.empty()) {
      out += " ORDER BY ";
      PrintOrderList(s.order_by);
    }
    PrintLimit(s.limit.get(), s.offset.get(), s.limit_with_ties);
  }

 public:
  void PrintBare(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kConstant:
        return PrintConstant(e.As<Constant>());
      case ExprKind::kField: {
        const auto& chain = e.As<Field>().chain;
        for (size_t i = 0; i < chain.size(); ++i) {
          if (i > 0) out += '.';
          out += i == 0 ? QuoteLeading(chain[i]) : QuoteMember(chain[i]);
        }
        return;
      }
      case ExprKind::kPlaceholder:
        out += '{';
        Print(*e.As<Placeholder>().expr);
        out += '}';
        return;
      case ExprKind::kPositionalRef:
        out += '#' + std::to_string(e.As<PositionalRef>().index);
        return;
      case ExprKind::kArrayAccess: {
        const auto& a = e.As<ArrayAccess>();
        PrintPostfixOperand(*a.array);
        out += a.nullish ? "?.[" : "[";
        Print(*a.property);
        out += ']';
        return;
      }
      case ExprKind::kArraySlice: {
        const auto& a = e.As<ArraySlice>();
        PrintPostfixOperand(*a.array);
        out += '[';
        if (a.start_expr) Print(*a.start_expr);
        out += ':';
        if (a.end_expr) Print(*a.end_expr);
        out += ']';
        return;
      }
      case ExprKind::kTupleAccess: {
        const auto& t = e.As<TupleAccess>();
        PrintPostfixOperand(*t.tuple, /*tuple_access=*/true);
        out += t.nullish ? "?." : ".";
        out += std::to_string(t.index);
        return;
      }
      case ExprKind::kCall:
        return PrintCall(e.As<Call>());
      case ExprKind::kExprCall: {
        const auto& c = e.As<ExprCall>();
        PrintPostfixOperand(*c.expr);
        out += '(';
        PrintList(c.args);
        out += ')';
        return;
      }
      case ExprKind::kLambda: {
        const auto& l = e.As<Lambda>();
        if (l.args.size() == 1) {
          out += QuoteMember(l.args[0]);
        } else {
          out += '(';
          for (size_t i = 0; i < l.args.size(); ++i) {
            if (i > 0) out += ", ";
            out += QuoteMember(l.args[i]);
          }
          out += ')';
        }
        out += " -> ";
        Print(*l.expr, kPrecTernary);
        return;
      }
      case ExprKind::kNamedArgument: {
        const auto& n = e.As<NamedArgument>();
        out += QuoteMember(n.name) + " := ";
        Print(*n.value, kPrecTernary);
        return;
      }
      case ExprKind::kArithmetic: {
        const auto& a = e.As<ArithmeticOperation>();
        int prec = Precedence(e);
        Print(*a.left, prec);
        out += ' ';
        out += ArithmeticOpText(a.op);
        out += ' ';
        Print(*a.right, prec + 1);
        return;
      }
      case ExprKind::kCompare: {
        const auto& c = e.As<CompareOperation>();
        if (c.is_null_style) {
          Print(*c.left, kPrecIsNull);
          out += c.op == CompareOp::kNotEq ? " IS NOT NULL" : " IS NULL";
          return;
        }
        Print(*c.left, kPrecCompare);
        switch (c.op) {
          case CompareOp::kEq:
            out += " = ";
            break;
          case CompareOp::kLike:
            out += " LIKE ";
            break;
          case CompareOp::kILike:
            out += " ILIKE ";
            break;
          case CompareOp::kNotLike:
            out += " NOT LIKE ";
            break;
          case CompareOp::kNotILike:
            out += " NOT ILIKE ";
            break;
          case CompareOp::kIn:
            out += " IN ";
            break;
          case CompareOp::kNotIn:
            out += " NOT IN ";
            break;
          case CompareOp::kInCohort:
            out += " IN COHORT ";
            break;
          case CompareOp::kNotInCohort:
            out += " NOT IN COHORT ";
            break;
          default:
            out += ' ';
            out += CompareOpText(c.op);
            out += ' ';
        }
        Print(*c.right, kPrecCompare + 1);
        return;
      }
      case ExprKind::kAnd:
      case ExprKind::kOr: {
        const auto& list = e.kind == ExprKind::kAnd ? e.As<And>().exprs : e.As<Or>().exprs;
        int prec = Precedence(e);
        for (size_t i = 0; i < list.size(); ++i) {
          if (i > 0) out += e.kind == ExprKind::kAnd ? " AND " : " OR ";
          Print(*list[i], prec + 1);
        }
        return;
      }
      case ExprKind::kNot:
        out += "NOT ";
        Print(*e.As<Not>().expr, kPrecNot);
        return;
      case ExprKind::kBetween: {
        const auto& b = e.As<BetweenExpr>();
        Print(*b.expr, kPrecBetween);
        out += b.negated ? " NOT BETWEEN " : " BETWEEN ";
        Print(*b.low, kPrecBetween + 1);
        out += " AND ";
        Print(*b.high, kPrecBetween + 1);
        return;
      }
      case ExprKind::kIsDistinctFrom: {
        const auto& d = e.As<IsDistinctFrom>();
        Print(*d.left, kPrecIsDistinct);
        out += d.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ";
        Print(*d.right, kPrecIsDistinct + 1);
        return;
      }
      case ExprKind::kTypeCast: {
        const auto& t = e.As<TypeCast>();
        out += t.try_cast ? "TRY_CAST(" : "CAST(";
        Print(*t.expr, kPrecTernary);
        out += " AS " + t.type_name + ")";
        return;
      }
      case ExprKind::kAlias: {
        const auto& a = e.As<Alias>();
        Print(*a.expr, kPrecAlias);
        out += " AS " + QuoteMember(a.alias);
        return;
      }
      case ExprKind::kArray:
        out += '[';
        PrintList(e.As<Array>().exprs);
        out += ']';
        return;
      case ExprKind::kTuple: {
        const auto& exprs = e.As<Tuple>().exprs;
        if (exprs.empty()) {
          out += "tuple()";
          return;
        }
        out += '(';
        PrintList(exprs);
        out += exprs.size() == 1 ? ",)" : ")";
        return;
      }
      case ExprKind::kDict: {
        out += '{';
        const auto& items = e.As<Dict>().items;
        for (size_t i = 0; i < items.size(); ++i) {
          if (i > 0) out += ", ";
          Print(*items[i].first);
          out += ": ";
          Print(*items[i].second);
        }
        out += '}';
        return;
      }
      case ExprKind::kOrderExpr:
        return PrintOrder(e.As<OrderExpr>());
      case ExprKind::kWindowFrameExpr:
        return PrintFrameBound(e.As<WindowFrameExpr>());
      case ExprKind::kWindowExpr:
        return PrintWindow(e.As<WindowExpr>());
      case ExprKind::kRatioExpr: {
        const auto& r = e.As<RatioExpr>();
        Print(*r.left);
        if (r.right) {
          out += '/';
          Print(*r.right);
        }
        return;
      }
      case ExprKind::kSampleExpr: {
        const auto& s = e.As<SampleExpr>();
        out += "SAMPLE ";
        Print(*s.sample_value);
        if (s.offset_value) {
          out += " OFFSET ";
          Print(*s.offset_value);
        }
        return;
      }
      case ExprKind::kJoinConstraint: {
        const auto& c = e.As<JoinConstraint>();
        out += c.using_ ? "USING " : "ON ";
        Print(*c.expr);
        return;
      }
      case ExprKind::kJoinExpr:
        return PrintJoin(e.As<JoinExpr>());
      case ExprKind::kLimitBy: {
        const auto& l = e.As<LimitBy>();
        out += "LIMIT ";
        Print(*l.n);
        if (l.offset_value) {
          out += " OFFSET ";
          Print(*l.offset_value);
        }
        out += " BY ";
        PrintList(l.exprs);
        return;
      }
      case ExprKind::kCte: {
        const auto& c = e.As<Cte>();
        if (c.is_subquery) {
          out += QuoteLeading(c.name) + " AS ";
          PrintSubquery(*c.expr);
        } else {
          Print(*c.expr, kPrecAlias);
          out += " AS " + QuoteMember(c.name);
        }
        return;
      }
      case ExprKind::kSelectQuery:
        return PrintSelect(e.As<SelectQuery>());
      case ExprKind::kSelectSetQuery:
        return PrintSelectSet(e.As<SelectSetQuery>());
    }
  }
};

}  // namespace

std::string QuoteIdentifier(std::string_view name) { return Quoted(name, '`', "``"); }

std::string QuoteString(std::string_view text) { return Quoted(text, '\'', "\\'"); }

std::string PrintHogQL(const Expr& expr) {
  Printer printer;
  if (expr.kind == ExprKind::kSelectQuery || expr.kind == ExprKind::kSelectSetQuery) {
    printer.PrintBare(expr);
  } else {
    printer.Print(expr);
  }
  return std::move(printer.out);
}

}  // namespace hoglet::hogql
