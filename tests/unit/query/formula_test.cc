// Trends formulas (analytics §3.2, §6 item 21): letters bind to series in order, Python's
// arithmetic, division by zero is 0, and every mistake is a clear error.
#include "query/formula.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hoglet::query {
namespace {

double Eval(const char* text, std::vector<double> values) {
  auto formula = Formula::Parse(text, "formula", values.size());
  EXPECT_TRUE(formula.ok()) << text << ": " << formula.status().ToString();
  return formula.ok() ? formula->Evaluate(values) : -12345;
}

std::string Error(const char* text, size_t series = 2) {
  auto formula = Formula::Parse(text, "query.trendsFilter.formula", series);
  EXPECT_FALSE(formula.ok()) << text;
  return formula.ok() ? "" : formula.status().message();
}

TEST(Formula, LettersAreTheSeriesInOrderInEitherCase) {
  EXPECT_EQ(Eval("A", {3, 4}), 3);
  EXPECT_EQ(Eval("b", {3, 4}), 4);
  EXPECT_EQ(Eval("A + b * 2", {3, 4}), 11);
  EXPECT_EQ(Eval("(A - B) / A * 100", {10, 4}), 60);
}

TEST(Formula, FollowsPythonsPrecedenceAndOperators) {
  EXPECT_EQ(Eval("2 ** 3 ** 2", {}), 512);  // right-associative
  EXPECT_EQ(Eval("-2 ** 2", {}), -4);       // unary minus binds looser than **
  EXPECT_EQ(Eval("2 ** -1", {}), 0.5);
  EXPECT_EQ(Eval("10 - 4 - 3", {}), 3);
  EXPECT_EQ(Eval("--A", {5}), 5);
  EXPECT_EQ(Eval("+A * -1", {5}), -5);
  EXPECT_EQ(Eval("7 % 3", {}), 1);
  EXPECT_EQ(Eval("-7 % 3", {}), 2);  // the sign of the divisor
  EXPECT_EQ(Eval("1.5e1 + .5", {}), 15.5);
}

TEST(Formula, DivisionByZeroIsZero) {
  EXPECT_EQ(Eval("A / B", {3, 0}), 0);
  EXPECT_EQ(Eval("A % B", {3, 0}), 0);
  EXPECT_EQ(Eval("A / B * 100 + 1", {3, 0}), 1);
  EXPECT_EQ(Eval("10 ** 400", {}), 0);  // not a number JSON can carry
}

TEST(Formula, NamesEveryMistake) {
  EXPECT_EQ(Error("A + C"),
            "query.trendsFilter.formula: the formula 'A + C' names series C but the query has 2 "
            "series");
  EXPECT_EQ(Error("A +"),
            "query.trendsFilter.formula: the formula 'A +' ends where a value was "
            "expected");
  EXPECT_EQ(Error("(A + B"),
            "query.trendsFilter.formula: the formula '(A + B' misses a ')' at position 7");
  EXPECT_EQ(Error("A B"), "query.trendsFilter.formula: the formula 'A B' has 'B' at position 3");
  EXPECT_EQ(Error("AB"),
            "query.trendsFilter.formula: the formula 'AB' names 'AB…' at position 1: "
            "a series is one letter");
  EXPECT_EQ(Error("A ^ 2"),
            "query.trendsFilter.formula: the formula 'A ^ 2' has '^' at position 3");
  EXPECT_EQ(Error("1..2"),
            "query.trendsFilter.formula: the formula '1..2' has the number '1..2' "
            "at position 1, which is not one");
  EXPECT_EQ(Error("   "), "query.trendsFilter.formula: the formula '   ' is empty");
  std::string deep(100, '(');
  deep += "A";
  deep += std::string(100, ')');
  EXPECT_NE(Error(deep.c_str()).find("nests deeper than 64 levels"), std::string::npos);
  std::string negations(100, '-');
  negations += "A";
  EXPECT_NE(Error(negations.c_str()).find("nests deeper than 64 levels"), std::string::npos);
}

}  // namespace
}  // namespace hoglet::query
