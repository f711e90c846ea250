// A trends formula (trendsFilter.formulaNodes, analytics §3.2): an arithmetic expression over
// the series, each named by its letter in order (A the first series, B the second…, either
// case), evaluated bucket by bucket.
//
// Grammar: numbers (12, 0.5, 1e3), letters, parentheses, unary + and -, and the binary
// operators ** (power, right-associative), * / % and + -. Division or remainder by zero is 0,
// as in PostHog; % takes the sign of its divisor (Python's).
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(Formula f, Formula::Parse("(A - B) / A * 100", "formula", 2));
//   double value = f.Evaluate({{10, 4}});  // 60
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::query {

class Formula {
 public:
  // kInvalidArgument naming `field`, with the position of the mistake, for text that is not a
  // formula or names a series beyond `series_count`.
  static StatusOr<Formula> Parse(std::string_view text, std::string_view field,
                                 size_t series_count);

  // The value for one bucket: values[i] is the series with letter 'A' + i.
  double Evaluate(std::span<const double> values) const;

 private:
  // A postfix program: evaluated with a stack.
  struct Step {
    enum class Op {
      kNumber,
      kSeries,
      kNegate,
      kAdd,
      kSubtract,
      kMultiply,
      kDivide,
      kModulo,
      kPower
    };
    Op op;
    double number = 0;  // kNumber
    size_t series = 0;  // kSeries
  };
  class Parser;

  std::vector<Step> program_;
  size_t depth_ = 0;  // the most values on the stack at once
};

}  // namespace hoglet::query
