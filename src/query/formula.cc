#include "query/formula.h"

#include <cctype>
#include <cmath>
#include <string>

namespace hoglet::query {
namespace {

// Formulas are short; the bound keeps recursion and evaluation small for hostile input.
constexpr size_t kMaxFormulaLength = 1000;
constexpr size_t kMaxNesting = 64;

}  // namespace

// Recursive descent, one function per precedence level, appending postfix steps.
class Formula::Parser {
 public:
  Parser(std::string_view text, std::string_view field, size_t series_count)
      : text_(text), field_(field), series_count_(series_count) {}

  StatusOr<Formula> Run() {
    if (text_.size() > kMaxFormulaLength) {
      return Error("is longer than " + std::to_string(kMaxFormulaLength) + " characters");
    }
    SkipSpace();
    if (pos_ == text_.size()) return Error("is empty");
    HOGLET_RETURN_IF_ERROR(Sum());
    SkipSpace();
    if (pos_ != text_.size()) return Error("has '" + std::string(1, text_[pos_]) + "' " + Where());
    Formula formula;
    formula.program_ = std::move(program_);
    size_t stack = 0;
    for (const Step& step : formula.program_) {
      if (step.op == Step::Op::kNumber || step.op == Step::Op::kSeries) {
        formula.depth_ = std::max(formula.depth_, ++stack);
      } else if (step.op != Step::Op::kNegate) {
        --stack;
      }
    }
    return formula;
  }

 private:
  // sum := product (('+' | '-') product)*
  Status Sum() {
    HOGLET_RETURN_IF_ERROR(Product());
    while (true) {
      SkipSpace();
      if (Take('+')) {
        HOGLET_RETURN_IF_ERROR(Product());
        Emit(Step::Op::kAdd);
      } else if (Take('-')) {
        HOGLET_RETURN_IF_ERROR(Product());
        Emit(Step::Op::kSubtract);
      } else {
        return Status::Ok();
      }
    }
  }

  // product := unary (('*' | '/' | '%') unary)*
  Status Product() {
    HOGLET_RETURN_IF_ERROR(Unary());
    while (true) {
      SkipSpace();
      if (LookingAt("**")) return Status::Ok();  // handled by Power
      Step::Op op;
      if (Take('*')) {
        op = Step::Op::kMultiply;
      } else if (Take('/')) {
        op = Step::Op::kDivide;
      } else if (Take('%')) {
        op = Step::Op::kModulo;
      } else {
        return Status::Ok();
      }
      HOGLET_RETURN_IF_ERROR(Unary());
      Emit(op);
    }
  }

  // unary := ('+' | '-') unary | power   (as in Python, -A**2 is -(A**2))
  Status Unary() {
    SkipSpace();
    if (Take('+')) return Nested([&] { return Unary(); });
    if (Take('-')) {
      HOGLET_RETURN_IF_ERROR(Nested([&] { return Unary(); }));
      Emit(Step::Op::kNegate);
      return Status::Ok();
    }
    return Power();
  }

  // power := atom ('**' unary)?
  Status Power() {
    HOGLET_RETURN_IF_ERROR(Atom());
    SkipSpace();
    if (LookingAt("**")) {
      pos_ += 2;
      HOGLET_RETURN_IF_ERROR(Nested([&] { return Unary(); }));
      Emit(Step::Op::kPower);
    }
    return Status::Ok();
  }

  // atom := number | letter | '(' sum ')'
  Status Atom() {
    SkipSpace();
    if (pos_ == text_.size()) return Error("ends where a value was expected");
    char c = text_[pos_];
    if (Take('(')) {
      HOGLET_RETURN_IF_ERROR(Nested([&] { return Sum(); }));
      SkipSpace();
      if (!Take(')')) return Error("misses a ')' " + Where());
      return Status::Ok();
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t series = static_cast<size_t>(std::toupper(static_cast<unsigned char>(c)) - 'A');
      if (pos_ + 1 < text_.size() && std::isalnum(static_cast<unsigned char>(text_[pos_ + 1]))) {
        return Error("names '" + std::string(text_.substr(pos_, 2)) + "…' " + Where() +
                     ": a series is one letter");
      }
      if (series >= series_count_) {
        return Error("names series " + std::string(1, static_cast<char>('A' + series)) +
                     " but the query has " + std::to_string(series_count_) + " series");
      }
      ++pos_;
      program_.push_back({Step::Op::kSeries, 0, series});
      return Status::Ok();
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t start = pos_;
      while (pos_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
        ++pos_;
      }
      if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        size_t exponent = pos_ + 1;
        if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) {
          ++exponent;
        }
        if (exponent < text_.size() && std::isdigit(static_cast<unsigned char>(text_[exponent]))) {
          pos_ = exponent;
          while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
            ++pos_;
          }
        }
      }
      std::string literal(text_.substr(start, pos_ - start));
      char* end = nullptr;
      double number = std::strtod(literal.c_str(), &end);
      if (end != literal.c_str() + literal.size() || !std::isfinite(number)) {
        pos_ = start;
        return Error("has the number '" + literal + "' " + Where() + ", which is not one");
      }
      program_.push_back({Step::Op::kNumber, number, 0});
      return Status::Ok();
    }
    return Error("has '" + std::string(1, c) + "' " + Where() + " where a value was expected");
  }

  template <typename Rule>
  Status Nested(Rule rule) {
    if (++nesting_ > kMaxNesting) {
      return Error("nests deeper than " + std::to_string(kMaxNesting) + " levels");
    }
    Status status = rule();
    --nesting_;
    return status;
  }

  void Emit(Step::Op op) { program_.push_back({op, 0, 0}); }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c && !LookingAt("**")) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool LookingAt(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  std::string Where() const { return "at position " + std::to_string(pos_ + 1); }
  Status Error(const std::string& what) const {
    return InvalidArgumentError(std::string(field_) + ": the formula '" + std::string(text_) +
                                "' " + what);
  }

  std::string_view text_;
  std::string_view field_;
  size_t series_count_;
  size_t pos_ = 0;
  size_t nesting_ = 0;
  std::vector<Step> program_;
};

StatusOr<Formula> Formula::Parse(std::string_view text, std::string_view field,
                                 size_t series_count) {
  return Parser(text, field, series_count).Run();
}

double Formula::Evaluate(std::span<const double> values) const {
  std::vector<double> stack;
  stack.reserve(depth_);
  for (const Step& step : program_) {
    if (step.op == Step::Op::kNumber) {
      stack.push_back(step.number);
      continue;
    }
    if (step.op == Step::Op::kSeries) {
      stack.push_back(step.series < values.size() ? values[step.series] : 0);
      continue;
    }
    if (step.op == Step::Op::kNegate) {
      stack.back() = -stack.back();
      continue;
    }
    double b = stack.back();
    stack.pop_back();
    double& a = stack.back();
    switch (step.op) {
      case Step::Op::kAdd:
        a += b;
        break;
      case Step::Op::kSubtract:
        a -= b;
        break;
      case Step::Op::kMultiply:
        a *= b;
        break;
      case Step::Op::kDivide:
        a = b == 0 ? 0 : a / b;
        break;
      case Step::Op::kModulo:
        a = b == 0 ? 0 : a - b * std::floor(a / b);
        break;
      case Step::Op::kPower:
        a = std::pow(a, b);
        break;
      default:
        break;
    }
  }
  double result = stack.empty() ? 0 : stack.back();
  return std::isfinite(result) ? result : 0;
}

}  // namespace hoglet::query
