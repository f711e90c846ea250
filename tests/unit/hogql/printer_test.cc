#include "hogql/printer.h"

#include <gtest/gtest.h>

#include <string>

#include "hogql/parser.h"

namespace hoglet::hogql {
namespace {

std::string PrintSelect(std::string_view text) {
  auto parsed = ParseSelect(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? PrintHogQL(**parsed) : "";
}

std::string PrintExpr(std::string_view text) {
  auto parsed = ParseExpr(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? PrintHogQL(**parsed) : "";
}

// parse → print → parse gives the same tree, and printing it again gives the same text.
void ExpectRoundTrip(std::string_view text, bool select) {
  auto first = select ? ParseSelect(text) : ParseExpr(text);
  ASSERT_TRUE(first.ok()) << text << ": " << first.status().ToString();
  std::string printed = PrintHogQL(**first);
  auto second = select ? ParseSelect(printed) : ParseExpr(printed);
  ASSERT_TRUE(second.ok()) << printed << ": " << second.status().ToString();
  EXPECT_EQ(DebugString(**second), DebugString(**first)) << text << "\nprinted: " << printed;
  EXPECT_EQ(PrintHogQL(**second), printed);
}

TEST(PrintHogQL, CanonicalSelect) {
  EXPECT_EQ(PrintSelect("select properties.$current_url, count() from events where event = "
                        "'$pageview' group by 1 order by 2 desc limit 10"),
            "SELECT properties.$current_url, count() FROM events WHERE event = '$pageview' "
            "GROUP BY 1 ORDER BY 2 DESC LIMIT 10");
  EXPECT_EQ(PrintSelect("with x as (select 1) select distinct a b from x e left join y on 1 "
                        "array join arr as i where 1 limit 1 by a limit 5, 10"),
            "WITH x AS (SELECT 1) SELECT DISTINCT a AS b FROM x AS e LEFT JOIN y ON 1 "
            "ARRAY JOIN arr AS i WHERE 1 LIMIT 1 BY a LIMIT 5 OFFSET 10");
  EXPECT_EQ(PrintSelect("select 1 union all (select 2 union all select 3)"),
            "SELECT 1 UNION ALL (SELECT 2 UNION ALL SELECT 3)");
  EXPECT_EQ(PrintSelect("(select 1) union all (select 2) order by 1"),
            "(SELECT 1) UNION ALL (SELECT 2) ORDER BY 1");
}

TEST(PrintHogQL, ParenthesesOnlyWherePrecedenceNeedsThem) {
  EXPECT_EQ(PrintExpr("(1 + 2) * 3"), "(1 + 2) * 3");
  EXPECT_EQ(PrintExpr("1 + (2 * 3)"), "1 + 2 * 3");
  EXPECT_EQ(PrintExpr("1 - (2 - 3)"), "1 - (2 - 3)");
  EXPECT_EQ(PrintExpr("(1 - 2) - 3"), "1 - 2 - 3");
  EXPECT_EQ(PrintExpr("a and (b or c)"), "a AND (b OR c)");
  EXPECT_EQ(PrintExpr("-a * b"), "(0 - a) * b");
  EXPECT_EQ(PrintExpr("a is null = 1"), "(a IS NULL) = 1");
  EXPECT_EQ(PrintExpr("(x -> x)(1)"), "(x -> x)(1)");
  EXPECT_EQ(PrintExpr("(1).1"), "(1).1");
  EXPECT_EQ(PrintExpr("a in (select 1)"), "a IN (SELECT 1)");
  EXPECT_EQ(PrintExpr("a ? b : c"), "if(a, b, c)");
}

TEST(PrintHogQL, QuotesNamesAndStrings) {
  EXPECT_EQ(PrintExpr("`weird name`"), "`weird name`");
  EXPECT_EQ(PrintExpr("`true`"), "`true`");
  EXPECT_EQ(PrintExpr("`select`.`from`"), "`select`.from");  // after a dot, a keyword is a name
  EXPECT_EQ(PrintExpr("timestamp"), "timestamp");
  EXPECT_EQ(PrintExpr("e.timestamp"), "e.timestamp");
  EXPECT_EQ(PrintExpr("'it''s\\n'"), "'it\\'s\\n'");
  EXPECT_EQ(PrintExpr("`cast`(x)"), "`cast`(x)");
  EXPECT_EQ(QuoteIdentifier("a`b\\c"), "`a``b\\\\c`");
  EXPECT_EQ(QuoteString("a'b"), "'a\\'b'");
}

TEST(PrintHogQL, Numbers) {
  EXPECT_EQ(PrintExpr("1.5"), "1.5");
  EXPECT_EQ(PrintExpr("1."), "1.0");
  EXPECT_EQ(PrintExpr("1e20"), "1e+20");
  EXPECT_EQ(PrintExpr("-inf"), "-inf");
  EXPECT_EQ(PrintExpr("nan"), "nan");
  EXPECT_EQ(PrintExpr("0x1F"), "31");
  EXPECT_EQ(PrintExpr("99999999999999999999"), "99999999999999999999");
}

TEST(PrintHogQL, RoundTrips) {
  for (std::string_view text : {
           "select properties.$browser, count() from events group by 1",
           "select a: 1, b c, d as e, f as 'g'",
           "select * from a any left join b on a.x = b.x join c using (x, y) join d using z",
           "select * from events e final sample 1/10 offset 1/2, numbers(10) n",
           "select 1 from t left array join arr as x, [1] as y prewhere a where b",
           "select a from t group by all",
           "select a from t group by rollup(a, b) having c qualify d",
           "select sum(x) over w from t window w as (partition by a order by b rows 1 preceding)",
           "select row_number() over (order by t range between 1 preceding and unbounded "
           "following)",
           "select a from t order by a desc nulls first, b nulls last collate 'en' limit 1 "
           "offset 2 by a limit 3 with ties",
           "with recursive x (a, b) as materialized (select 1, 2), 3 as c select *",
           "with x as not materialized (select 1) select * from x",
           "select 1 except all select 2 intersect distinct select 3 union select 4",
           "(select 1 limit 5) limit 2",
           "select {x} from {t} where {w}",
           "select * from (a join b on 1)",
           "select x from t where x between 1 and 2 and y not between 3 and 4",
           "select count(distinct x), quantile(0.9)(y), f(1)(distinct z), groupArray(x order by "
           "y desc), sum(x) filter (where y), quantile(0.5) within group (order by x)",
       }) {
    ExpectRoundTrip(text, /*select=*/true);
  }
  for (std::string_view text : {
           "a + b * c - d / e % f",
           "-a - -1 + -(1)",
           "not a = b and not (c or d) or e",
           "a ?? b ?? c",
           "a ? b : c ? d : e",
           "a is not null and b is distinct from c and d is not distinct from e",
           "a like 'x' or b not ilike 'y' or c =~ 'z' or d !~* 'w' or e ~ 'v'",
           "person_id in cohort 5 and person_id not in cohort 'x'",
           "x in (1, 2, 3) and y not in (select 1)",
           "properties['a']['b'].c.1[1:2][:3][4:]",
           "x?.y?.[1]?.2",
           "cast(x as Nullable(String)) + x::Int + try_cast(y as Float64)",
           "x::DateTime with local time zone",
           "interval 1 day + interval '2 weeks' + interval (x + 1) month",
           "case when a then b when c then d else e end",
           "case x when 1 then 2 end",
           "arrayMap((x, y) -> x + y, a, b)",
           "arrayMap(x -> (x -> x)(x), a)",
           "lambda x, y: x",
           "f(named := 1, other := a + 1)",
           "{'a': 1, 'b': {}}",
           "(1,) = (1, 2)",
           "[1, [2, 3], []]",
           "#1 + #2",
           "a as b as c",
           "`true` and true and `null` is null",
           "'\\x41\\0\\a\\b\\f\\v\\\\'",
           "0.1 + 1e-300 + 1.7976931348623157e308",
           "trim(both ' ' from x) || trim(leading 'x' from y)",
           "1 + not x = 2",
           "(a = b) between 1 and 2",
           "a between (b between c and d) and e",
           "(a or b) between 1 and 2",
           "not (a between 1 and 2)",
       }) {
    ExpectRoundTrip(text, /*select=*/false);
  }
}

}  // namespace
}  // namespace hoglet::hogql
