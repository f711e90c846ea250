#include "hogql/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "hogql/ast.h"

namespace hoglet::hogql {
namespace {

// A compact Lisp form of an expression, to state precedence plainly: "(+ a (* b c))".
std::string Sexp(const Expr& e) {
  auto list = [](const ExprList& exprs, const char* sep = " ") {
    std::string out;
    for (const auto& x : exprs) out += sep + Sexp(*x);
    return out;
  };
  switch (e.kind) {
    case ExprKind::kField: {
      std::string out;
      for (const auto& part : e.As<Field>().chain) out += (out.empty() ? "" : ".") + part;
      return out;
    }
    case ExprKind::kConstant: {
      const auto& v = e.As<Constant>().value;
      if (std::holds_alternative<std::monostate>(v)) return "null";
      if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
      if (const int64_t* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
      if (const std::string* s = std::get_if<std::string>(&v)) return "'" + *s + "'";
      return DebugString(e);
    }
    case ExprKind::kArithmetic: {
      const auto& a = e.As<ArithmeticOperation>();
      return std::string("(") + ArithmeticOpText(a.op) + " " + Sexp(*a.left) + " " +
             Sexp(*a.right) + ")";
    }
    case ExprKind::kCompare: {
      const auto& c = e.As<CompareOperation>();
      return std::string("(") + CompareOpText(c.op) + " " + Sexp(*c.left) + " " + Sexp(*c.right) +
             ")";
    }
    case ExprKind::kAnd:
      return "(and" + list(e.As<And>().exprs) + ")";
    case ExprKind::kOr:
      return "(or" + list(e.As<Or>().exprs) + ")";
    case ExprKind::kNot:
      return "(not " + Sexp(*e.As<Not>().expr) + ")";
    case ExprKind::kBetween: {
      const auto& b = e.As<BetweenExpr>();
      return std::string(b.negated ? "(not-between " : "(between ") + Sexp(*b.expr) + " " +
             Sexp(*b.low) + " " + Sexp(*b.high) + ")";
    }
    case ExprKind::kCall: {
      const auto& c = e.As<Call>();
      std::string out = c.name + "(";
      if (c.params) out += list(*c.params, ", ").substr(c.params->empty() ? 0 : 2) + ")(";
      if (c.distinct) out += "DISTINCT ";
      return out + list(c.args, ", ").substr(c.args.empty() ? 0 : 2) + ")";
    }
    case ExprKind::kAlias:
      return "(as " + Sexp(*e.As<Alias>().expr) + " " + e.As<Alias>().alias + ")";
    case ExprKind::kArrayAccess:
      return "([] " + Sexp(*e.As<ArrayAccess>().array) + " " + Sexp(*e.As<ArrayAccess>().property) +
             ")";
    case ExprKind::kTupleAccess:
      return "(. " + Sexp(*e.As<TupleAccess>().tuple) + " " +
             std::to_string(e.As<TupleAccess>().index) + ")";
    case ExprKind::kLambda: {
      std::string args;
      for (const auto& a : e.As<Lambda>().args) args += (args.empty() ? "" : " ") + a;
      return "(lambda (" + args + ") " + Sexp(*e.As<Lambda>().expr) + ")";
    }
    case ExprKind::kTuple:
      return "(tuple" + list(e.As<Tuple>().exprs) + ")";
    case ExprKind::kArray:
      return "[" + list(e.As<Array>().exprs).substr(1) + "]";
    case ExprKind::kTypeCast:
      return "(cast " + Sexp(*e.As<TypeCast>().expr) + " " + e.As<TypeCast>().type_name + ")";
    default:
      return DebugString(e);
  }
}

std::string Sexp(std::string_view text) {
  auto expr = ParseExpr(text);
  EXPECT_TRUE(expr.ok()) << text << ": " << expr.status().ToString();
  return expr.ok() ? Sexp(**expr) : "";
}

std::string SelectError(std::string_view text, const ParseOptions& options = {}) {
  auto select = ParseSelect(text, options);
  EXPECT_FALSE(select.ok()) << text << " was accepted";
  if (select.ok()) return "";
  EXPECT_EQ(select.status().code(), StatusCode::kInvalidArgument);
  return select.status().message();
}

const SelectQuery& AsSelect(const StatusOr<ExprPtr>& parsed) {
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ((*parsed)->kind, ExprKind::kSelectQuery);
  return (*parsed)->As<SelectQuery>();
}

TEST(ParseExpr, ArithmeticBindsTighterThanComparisonAndLogic) {
  EXPECT_EQ(Sexp("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(Sexp("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(Sexp("a * b + c * d - e / f % g"), "(- (+ (* a b) (* c d)) (% (/ e f) g))");
  EXPECT_EQ(Sexp("a + b = c and not d or e"), "(or (and (== (+ a b) c) (not d)) e)");
  EXPECT_EQ(Sexp("a = b = c"), "(== (== a b) c)");
  EXPECT_EQ(Sexp("1 + 2 in (3)"), "(in (+ 1 2) 3)");
}

TEST(ParseExpr, UnaryOperators) {
  EXPECT_EQ(Sexp("-a * b"), "(* (- 0 a) b)");
  EXPECT_EQ(Sexp("-1 * 2"), "(* -1 2)");
  EXPECT_EQ(Sexp("- 1"), "-1");
  EXPECT_EQ(Sexp("a - -1"), "(- a -1)");
  EXPECT_EQ(Sexp("-a[1]"), "(- 0 ([] a 1))");
  EXPECT_EQ(Sexp("-2[1]"), "([] -2 1)");
  EXPECT_EQ(Sexp("not a = b"), "(not (== a b))");
  EXPECT_EQ(Sexp("not a and b"), "(and (not a) b)");
  EXPECT_EQ(Sexp("not not a"), "(not (not a))");
  EXPECT_EQ(Sexp("1 + not x = 2"), "(+ 1 (not (== x 2)))");
  EXPECT_EQ(Sexp("not(a)"), "not(a)");  // a call, as in PostHog
}

TEST(ParseExpr, AndOrAreFlattened) {
  EXPECT_EQ(Sexp("a and b and c"), "(and a b c)");
  EXPECT_EQ(Sexp("(a and b) and c"), "(and a b c)");
  EXPECT_EQ(Sexp("a and (b and c)"), "(and a b c)");
  EXPECT_EQ(Sexp("a and (b or c)"), "(and a (or b c))");
  EXPECT_EQ(Sexp("a or b or c"), "(or a b c)");
}

TEST(ParseExpr, BetweenBindsAsPostHogsParserDoes) {
  EXPECT_EQ(Sexp("a between 1 and 2 and c"), "(and (between a 1 2) c)");
  EXPECT_EQ(Sexp("x = 1 and b between 1 and 2"), "(and (== x 1) (between b 1 2))");
  EXPECT_EQ(Sexp("not a between 1 and 2"), "(not (between a 1 2))");
  EXPECT_EQ(Sexp("a or b between 1 and 2"), "(or a (between b 1 2))");
  EXPECT_EQ(Sexp("a = b between 1 and 2"), "(between (== a b) 1 2)");
  EXPECT_EQ(Sexp("a between 1 and 2 = 3"), "(between a 1 (== 2 3))");
  EXPECT_EQ(Sexp("a not between 1 + 1 and 2"), "(not-between a (+ 1 1) 2)");
  EXPECT_EQ(Sexp("a between b and c between d and e"), "(between (between a b c) d e)");
}

TEST(ParseExpr, NullOperators) {
  EXPECT_EQ(Sexp("a is null"), "(== a null)");
  EXPECT_EQ(Sexp("a is not null"), "(!= a null)");
  EXPECT_EQ(Sexp("a = b is not null"), "(!= (== a b) null)");
  EXPECT_EQ(Sexp("a is null = 1"), "(== (== a null) 1)");
  EXPECT_EQ(Sexp("a ?? b ?? c"), "ifNull(ifNull(a, b), c)");
  EXPECT_EQ(Sexp("a ?? b = c"), "ifNull(a, (== b c))");
  EXPECT_EQ(Sexp("not a ?? b"), "(not ifNull(a, b))");
  auto e = ParseExpr("a is null");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE((*e)->As<CompareOperation>().is_null_style);
}

TEST(ParseExpr, TernaryAndAlias) {
  EXPECT_EQ(Sexp("a ? b : c ? d : e"), "if(a, b, if(c, d, e))");
  EXPECT_EQ(Sexp("a ? b ? c : d : e"), "if(a, if(b, c, d), e)");
  EXPECT_EQ(Sexp("a = 1 ? x : y"), "if((== a 1), x, y)");
  EXPECT_EQ(Sexp("a ? b : c as d"), "(as if(a, b, c) d)");
  EXPECT_EQ(Sexp("a as b as c"), "(as (as a b) c)");
  EXPECT_EQ(Sexp("f(a as b)"), "f((as a b))");
  EXPECT_FALSE(ParseExpr("a as b + 1").ok());  // only AS may follow an alias
}

TEST(ParseExpr, ComparisonOperators) {
  EXPECT_EQ(Sexp("a == b"), "(== a b)");
  EXPECT_EQ(Sexp("a <> b"), "(!= a b)");
  EXPECT_EQ(Sexp("a like 'x' or a not ilike 'y'"), "(or (like a 'x') (not ilike a 'y'))");
  EXPECT_EQ(Sexp("a ~ 'x'"), "(=~ a 'x')");
  EXPECT_EQ(Sexp("a ~* 'x'"), "(=~* a 'x')");
  EXPECT_EQ(Sexp("a !~* 'x'"), "(!~* a 'x')");
  EXPECT_EQ(Sexp("a not in (1, 2)"), "(not in a (tuple 1 2))");
  EXPECT_EQ(Sexp("person_id in cohort 5"), "(in cohort person_id 5)");
  EXPECT_EQ(Sexp("person_id not in cohort 'x'"), "(not in cohort person_id 'x')");
  EXPECT_EQ(Sexp("a in cohort"), "(in a cohort)");
  EXPECT_EQ(Sexp("a is distinct from b"), DebugString(**ParseExpr("a is distinct from b")));
}

TEST(ParseExpr, ConstantsAndNames) {
  EXPECT_EQ(Sexp("0x1F"), "31");
  EXPECT_EQ(Sexp("0b101"), "5");
  EXPECT_EQ(Sexp("0777"), "777");
  EXPECT_EQ(Sexp("TRUE"), "true");
  EXPECT_EQ(Sexp("False"), "false");
  EXPECT_EQ(Sexp("`true`"), "true");  // a quoted name stays a name
  EXPECT_EQ(Sexp("null"), "null");
  EXPECT_EQ(DebugString(**ParseExpr("1.5")), "(Constant 1.5f)");
  EXPECT_EQ(DebugString(**ParseExpr(".5")), "(Constant 0.5f)");
  EXPECT_EQ(DebugString(**ParseExpr("1e3")), "(Constant 1000f)");
  EXPECT_EQ(DebugString(**ParseExpr("-9223372036854775808")), "(Constant -9223372036854775808)");
  EXPECT_EQ(DebugString(**ParseExpr("18446744073709551616")), "(Constant 18446744073709551616n)");
  EXPECT_EQ(Sexp("properties.$browser"), "properties.$browser");
  EXPECT_EQ(Sexp("Person.Properties.Email"), "Person.Properties.Email");  // names keep case
  EXPECT_EQ(Sexp("events.`$browser`"), "events.$browser");
  EXPECT_EQ(Sexp("a.select"), "a.select");
  EXPECT_EQ(Sexp("e.*"), "e.*");
  EXPECT_EQ(Sexp("date"), "date");
  EXPECT_EQ(Sexp("'a\\nb'"), "'a\nb'");
}

TEST(ParseExpr, AccessAndCalls) {
  EXPECT_EQ(Sexp("properties['x']"), "([] properties 'x')");
  EXPECT_EQ(Sexp("a.1.2"), "(. (. a 1) 2)");
  EXPECT_EQ(Sexp("properties.x.1"), "(. properties.x 1)");
  EXPECT_EQ(Sexp("f(x).y"), "([] f(x) 'y')");
  EXPECT_EQ(Sexp("a[1].b"), "([] ([] a 1) 'b')");
  EXPECT_EQ(Sexp("quantile(0.9)(x)").substr(0, 10), "quantile((");
  EXPECT_EQ(Sexp("count(*)"), "count(*)");
  EXPECT_EQ(Sexp("count(distinct x)"), "count(DISTINCT x)");
  EXPECT_EQ(Sexp("count()"), "count()");
  EXPECT_EQ(Sexp("left(s, 2)"), "left(s, 2)");
  EXPECT_EQ(Sexp("cast(x)"), "cast(x)");
  EXPECT_EQ(Sexp("cast(x as Nullable(String))"), "(cast x nullable(string))");
  EXPECT_EQ(Sexp("CAST(x AS Decimal(10,2))"), "(cast x decimal(10, 2))");
  EXPECT_EQ(Sexp("x::Int"), "(cast x int)");
  EXPECT_EQ(Sexp("x::DateTime with time zone"), "(cast x datetime with time zone)");
  EXPECT_EQ(Sexp("a || b || c"), "concat(a, b, c)");
  EXPECT_EQ(Sexp("concat(a, b) || c"), "concat(a, b, c)");
}

TEST(ParseExpr, LambdasIntervalsAndCase) {
  EXPECT_EQ(Sexp("x -> x + 1"), "(lambda (x) (+ x 1))");
  EXPECT_EQ(Sexp("(x, y) -> x"), "(lambda (x y) x)");
  EXPECT_EQ(Sexp("() -> 1"), "(lambda () 1)");
  EXPECT_EQ(Sexp("arrayMap(x, y -> x + y, a, b)"), "arrayMap((lambda (x y) (+ x y)), a, b)");
  EXPECT_EQ(Sexp("lambda x: x"), "(lambda (x) x)");
  EXPECT_EQ(Sexp("INTERVAL 1 DAY"), "toIntervalDay(1)");
  EXPECT_EQ(Sexp("interval x + 1 month"), "toIntervalMonth((+ x 1))");
  EXPECT_EQ(Sexp("INTERVAL '3 hours'"), "toIntervalHour(3)");
  EXPECT_EQ(Sexp("interval '1' day"), "toIntervalDay('1')");
  EXPECT_EQ(Sexp("interval(1)"), "interval(1)");
  EXPECT_EQ(Sexp("case when a then b end"), "if(a, b, null)");
  EXPECT_EQ(Sexp("case when a then b when c then d else e end"), "multiIf(a, b, c, d, e)");
  EXPECT_EQ(Sexp("case x when 1 then 2 else 3 end"), "_caseWithExpression(x, 1, 2, 3)");
  EXPECT_EQ(Sexp("trim(leading 'x' from y)"), "trimLeft(y, 'x')");
  EXPECT_EQ(Sexp("(1,)"), "(tuple 1)");
  EXPECT_EQ(Sexp("(1)"), "1");
  EXPECT_EQ(Sexp("[1, 2,]"), "[1 2]");
}

TEST(ParseExpr, PlaceholdersDictsAndWindows) {
  EXPECT_EQ(DebugString(**ParseExpr("{variables.x}")),
            "(Placeholder (Field [\"variables\" \"x\"]))");
  EXPECT_EQ(DebugString(**ParseExpr("{}")), "(Dict items=0)");
  EXPECT_EQ(DebugString(**ParseExpr("{'a': 1}")), "(Dict items=1 (Constant \"a\") (Constant 1))");
  auto window = ParseExpr(
      "row_number() OVER (PARTITION BY a ORDER BY b DESC ROWS BETWEEN UNBOUNDED PRECEDING AND "
      "CURRENT ROW)");
  ASSERT_TRUE(window.ok()) << window.status().ToString();
  const auto& call = (*window)->As<Call>();
  ASSERT_NE(call.over_expr, nullptr);
  EXPECT_EQ(call.over_expr->partition_by.size(), 1u);
  EXPECT_TRUE(call.over_expr->order_by[0]->descending);
  EXPECT_EQ(call.over_expr->frame_method, "ROWS");
  EXPECT_EQ(call.over_expr->frame_start->type, FrameBound::kPreceding);
  EXPECT_EQ(call.over_expr->frame_start->value, nullptr);
  EXPECT_EQ(call.over_expr->frame_end->type, FrameBound::kCurrentRow);
  auto named = ParseExpr("sum(x) over w");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ((*named)->As<Call>().over_identifier, "w");
}

TEST(ParseExpr, NodesCarryTheirOffsets) {
  std::string text = "a + f(b, 'c') * 2";
  auto e = ParseExpr(text);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->start, 0u);
  EXPECT_EQ((*e)->end, text.size());
  const auto& product = *(*e)->As<ArithmeticOperation>().right;
  EXPECT_EQ(text.substr(product.start, product.end - product.start), "f(b, 'c') * 2");
  const auto& call = *product.As<ArithmeticOperation>().left;
  EXPECT_EQ(text.substr(call.start, call.end - call.start), "f(b, 'c')");
  const auto& arg = *call.As<Call>().args[1];
  EXPECT_EQ(text.substr(arg.start, arg.end - arg.start), "'c'");
}

TEST(ParseSelect, ReadsEveryClause) {
  auto parsed = ParseSelect(
      "WITH x AS (SELECT 1), 2 AS two SELECT DISTINCT a AS b, c d, e: 1 FROM events AS e "
      "LEFT JOIN persons p ON e.person_id = p.id ARRAY JOIN arr AS item PREWHERE 1 WHERE 2 "
      "GROUP BY a HAVING 3 QUALIFY 4 WINDOW w AS (ORDER BY a) ORDER BY a DESC NULLS FIRST "
      "LIMIT 1 BY a LIMIT 10 OFFSET 5");
  const SelectQuery& q = AsSelect(parsed);
  ASSERT_EQ(q.ctes.size(), 2u);
  EXPECT_TRUE(q.ctes[0]->is_subquery);
  EXPECT_EQ(q.ctes[1]->name, "two");
  EXPECT_FALSE(q.ctes[1]->is_subquery);
  EXPECT_TRUE(q.distinct);
  ASSERT_EQ(q.select.size(), 3u);
  EXPECT_EQ(q.select[1]->As<Alias>().alias, "d");
  EXPECT_EQ(q.select[2]->As<Alias>().alias, "e");
  ASSERT_NE(q.select_from, nullptr);
  EXPECT_EQ(q.select_from->alias, "e");
  ASSERT_NE(q.select_from->next_join, nullptr);
  EXPECT_EQ(q.select_from->next_join->join_type, "LEFT JOIN");
  EXPECT_EQ(q.select_from->next_join->alias, "p");
  EXPECT_EQ(q.array_join_op, "ARRAY JOIN");
  EXPECT_NE(q.prewhere, nullptr);
  EXPECT_NE(q.where, nullptr);
  EXPECT_EQ(q.group_by->size(), 1u);
  EXPECT_NE(q.having, nullptr);
  EXPECT_NE(q.qualify, nullptr);
  EXPECT_EQ(q.window_exprs.at(0).first, "w");
  EXPECT_EQ(q.order_by.at(0)->nulls, NullsOrder::kFirst);
  ASSERT_NE(q.limit_by, nullptr);
  EXPECT_EQ(Sexp(*q.limit), "10");
  EXPECT_EQ(Sexp(*q.offset), "5");
}

TEST(ParseSelect, LimitForms) {
  auto comma = ParseSelect("select 1 limit 5, 10");
  EXPECT_EQ(Sexp(*AsSelect(comma).limit), "5");  // PostHog's reading: LIMIT 5 OFFSET 10
  EXPECT_EQ(Sexp(*AsSelect(comma).offset), "10");
  auto by = ParseSelect("select 1 limit 1, 2 by x");
  EXPECT_EQ(Sexp(*AsSelect(by).limit_by->n), "2");  // ClickHouse's: offset 1, limit 2
  EXPECT_EQ(Sexp(*AsSelect(by).limit_by->offset_value), "1");
  auto ties = ParseSelect("select 1 limit 3 with ties");
  EXPECT_TRUE(AsSelect(ties).limit_with_ties);
  auto offset = ParseSelect("select 1 offset 4");
  EXPECT_EQ(AsSelect(offset).limit, nullptr);
  EXPECT_EQ(Sexp(*AsSelect(offset).offset), "4");
}

TEST(ParseSelect, JoinsAndTables) {
  auto parsed = ParseSelect(
      "select 1 from a any left join b on 1 inner any join c on 1 full outer join d on 1 cross "
      "join e, f join g using (x, y) join h using x");
  const JoinExpr* j = AsSelect(parsed).select_from.get();
  std::vector<std::string> types;
  for (j = j->next_join.get(); j != nullptr; j = j->next_join.get()) types.push_back(j->join_type);
  EXPECT_EQ(types, (std::vector<std::string>{"LEFT ANY JOIN", "ANY INNER JOIN", "FULL OUTER JOIN",
                                             "CROSS JOIN", "CROSS JOIN", "JOIN", "JOIN"}));
  auto table_fn = ParseSelect("select * from numbers(10) final sample 1/10 offset 1/2");
  const JoinExpr& t = *AsSelect(table_fn).select_from;
  EXPECT_EQ(t.table_args->size(), 1u);
  EXPECT_TRUE(t.table_final);
  ASSERT_NE(t.sample, nullptr);
  EXPECT_NE(t.sample->offset_value, nullptr);
  auto subquery = ParseSelect("select * from (select 1) s");
  EXPECT_EQ(AsSelect(subquery).select_from->table->kind, ExprKind::kSelectQuery);
  EXPECT_EQ(AsSelect(subquery).select_from->alias, "s");
}

TEST(ParseSelect, SetOperations) {
  auto parsed = ParseSelect("select 1 union all select 2 union select 3 except select 4");
  ASSERT_TRUE(parsed.ok());
  const auto& set = (*parsed)->As<SelectSetQuery>();
  ASSERT_EQ(set.subsequent_select_queries.size(), 3u);
  EXPECT_EQ(set.subsequent_select_queries[0].set_operator, "UNION ALL");
  EXPECT_EQ(set.subsequent_select_queries[1].set_operator, "UNION DISTINCT");
  EXPECT_EQ(set.subsequent_select_queries[2].set_operator, "EXCEPT");
  auto ordered = ParseSelect("(select 1) union all (select 2) order by 1 limit 3");
  ASSERT_TRUE(ordered.ok());
  EXPECT_EQ((*ordered)->As<SelectSetQuery>().order_by.size(), 1u);
  EXPECT_TRUE(ParseSelect("select 1;").ok());
}

TEST(ParseSelect, ErrorsNameLineColumnAndWhatWasExpected) {
  EXPECT_EQ(SelectError("SELECT event FROM events WHERE"),
            "line 1, column 31: expected an expression after 'WHERE', found the end of the "
            "query");
  EXPECT_EQ(SelectError("SELECT event\nFROM events\nWHERE event = 'x' GROUP BY"),
            "line 3, column 27: expected an expression after 'BY', found the end of the query");
  EXPECT_EQ(SelectError("select count( from events"),
            "line 1, column 20: expected ',' or ')' after 'from', found 'events'");
  EXPECT_EQ(SelectError("select 1 2"),
            "line 1, column 10: expected the end of the query after '1', found '2'");
  EXPECT_EQ(SelectError("delete from events"),
            "line 1, column 1: only SELECT queries can run; found DELETE");
  EXPECT_EQ(SelectError("select 1 settings max_threads = 1"),
            "line 1, column 10: SETTINGS is not supported in HogQL queries");
  EXPECT_EQ(SelectError("select try from t"),
            "line 1, column 8: 'try' is a reserved word; quote it with backticks to use it as a "
            "name");
  EXPECT_EQ(SelectError("select 1 from a array join arr"),
            "line 1, column 28: ARRAY JOIN arrays must have an alias: 'arr AS item'");
  EXPECT_EQ(SelectError("select x global in (1)"),
            "line 1, column 10: GLOBAL IN is not supported in HogQL; use IN");
  EXPECT_EQ(SelectError("select interval '2 WEEKS'"),
            "line 1, column 17: INTERVAL '2 WEEKS' must be '<count> <unit>' with a whole count "
            "and a unit among second, minute, hour, day, week, month, quarter, year");
  EXPECT_EQ(SelectError("select date '2024-01-01'"),
            "line 1, column 8: date '…' literals are not supported; use toDate('…') or "
            "toDateTime('…')");
}

TEST(ParseSelect, RefusesDeepNestingWithoutOverflowingTheStack) {
  std::string parens = "select " + std::string(50000, '(') + "1" + std::string(50000, ')');
  auto deep = ParseSelect(parens);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().reason(), "hogql_too_deep");
  EXPECT_NE(deep.status().message().find("nested too deeply (more than 256 levels)"),
            std::string::npos);

  std::string nots = "select ";
  for (int i = 0; i < 50000; ++i) nots += "not ";
  EXPECT_EQ(ParseSelect(nots + "1").status().reason(), "hogql_too_deep");

  std::string minus = "select ";
  for (int i = 0; i < 50000; ++i) minus += "- ";
  minus += "x";
  EXPECT_EQ(ParseSelect(minus).status().reason(), "hogql_too_deep");

  std::string subqueries = "select 1";
  for (int i = 0; i < 1000; ++i) subqueries = "select * from (" + subqueries + ")";
  EXPECT_EQ(ParseSelect(subqueries).status().reason(), "hogql_too_deep");

  // Long left-deep chains are built by a loop but would still be deep trees.
  std::string sum = "select 1";
  for (int i = 0; i < 20000; ++i) sum += " + 1";
  EXPECT_EQ(ParseSelect(sum).status().reason(), "hogql_too_deep");
  std::string access = "select a";
  for (int i = 0; i < 20000; ++i) access += "[1]";
  EXPECT_EQ(ParseSelect(access).status().reason(), "hogql_too_deep");
  std::string joins = "select 1 from t0";
  for (int i = 1; i < 5000; ++i) joins += ", t" + std::to_string(i);
  EXPECT_EQ(ParseSelect(joins).status().reason(), "hogql_too_deep");
}

TEST(ParseSelect, AcceptsWideButShallowQueries) {
  std::string ands = "select 1 where a = 1";
  for (int i = 0; i < 5000; ++i) ands += " and a = " + std::to_string(i);
  EXPECT_TRUE(ParseSelect(ands).ok());
  std::string list = "select 1 where a in (";
  for (int i = 0; i < 20000; ++i) list += (i ? ", " : "") + std::to_string(i);
  EXPECT_TRUE(ParseSelect(list + ")").ok());
  std::string concat = "select a";
  for (int i = 0; i < 5000; ++i) concat += " || a";
  EXPECT_TRUE(ParseSelect(concat).ok());
  std::string nested = "select " + std::string(100, '(') + "1" + std::string(100, ')');
  EXPECT_TRUE(ParseSelect(nested).ok());
}

TEST(ParseSelect, BoundsLengthAndTokens) {
  ParseOptions options;
  options.max_query_bytes = 20;
  auto long_query = ParseSelect("select 1 from events where 1", options);
  ASSERT_FALSE(long_query.ok());
  EXPECT_EQ(long_query.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(long_query.status().reason(), "hogql_too_long");
  options = {};
  options.max_tokens = 4;
  EXPECT_EQ(ParseSelect("select 1, 2, 3", options).status().reason(), "hogql_too_many_tokens");
  options.max_depth = 3;
  options.max_tokens = 1000;
  EXPECT_EQ(ParseSelect("select ((((1))))", options).status().reason(), "hogql_too_deep");
}

TEST(ParseOrderExprList, ReadsDirectionsAndNulls) {
  auto list = ParseOrderExprList("timestamp DESC, event NULLS LAST");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0]->descending);
  EXPECT_EQ((*list)[1]->nulls, NullsOrder::kLast);
}

}  // namespace
}  // namespace hoglet::hogql
