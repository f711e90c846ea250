#include "hogql/parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "hogql/keywords.h"
#include "hogql/parser_impl.h"

namespace hoglet::hogql {
namespace internal {
namespace {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsNumberToken(TokenKind kind) {
  return kind == TokenKind::kInteger || kind == TokenKind::kHexInteger ||
         kind == TokenKind::kBinInteger || kind == TokenKind::kFloat;
}

// "toIntervalDay" for "day" (and YYYY, the other spelling of YEAR).
std::string IntervalFunction(std::string_view unit) {
  std::string name = Lowercase(unit);
  if (name == "yyyy") name = "year";
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return "toInterval" + name;
}

bool IsConcatCall(const Expr& e) {
  const Call* call = e.TryAs<Call>();
  return call != nullptr && call->name == "concat" && !call->params && !call->distinct &&
         !call->filter_expr && call->order_by.empty() && !call->within_group && !call->is_window();
}

}  // namespace

// --- Tokens ------------------------------------------------------------------------------------

const Token& Parser::Peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

bool Parser::AtWord(std::string_view keyword, size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kWord && EqualsIgnoreCase(t.text, keyword);
}

bool Parser::Accept(TokenKind kind) {
  if (!At(kind)) return false;
  ++pos_;
  return true;
}

bool Parser::AcceptWord(std::string_view keyword) {
  if (!AtWord(keyword)) return false;
  ++pos_;
  return true;
}

Status Parser::Expect(TokenKind kind, std::string_view what) {
  if (Accept(kind)) return Status::Ok();
  return Expected(what);
}

Status Parser::ExpectWord(std::string_view keyword) {
  if (AcceptWord(keyword)) return Status::Ok();
  std::string upper(keyword);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return Expected("'" + upper + "'");
}

Status Parser::ErrorAtOffset(size_t offset, std::string_view message) const {
  return SyntaxErrorAt(text_, offset, message);
}

Status Parser::ErrorAt(const Token& token, std::string_view message) const {
  return ErrorAtOffset(token.start, message);
}

Status Parser::Expected(std::string_view what) const {
  auto quote = [](std::string_view text) {
    if (text.size() > 40) return "'" + std::string(text.substr(0, 37)) + "…'";
    return "'" + std::string(text) + "'";
  };
  const Token& found = Peek();
  std::string message = "expected " + std::string(what);
  if (pos_ > 0) message += " after " + quote(Prev().text);
  message += ", found ";
  message += found.kind == TokenKind::kEnd ? "the end of the query" : quote(found.text);
  return ErrorAt(found, message);
}

bool Parser::AtIdentifier(size_t ahead) const {
  const Token& t = Peek(ahead);
  if (t.kind == TokenKind::kQuotedWord) return true;
  return t.kind == TokenKind::kWord && !IsReservedWord(t.text);
}

StatusOr<std::string> Parser::Identifier(std::string_view what) {
  const Token& t = Peek();
  if (t.kind == TokenKind::kQuotedWord) {
    ++pos_;
    return t.value;
  }
  if (t.kind == TokenKind::kWord) {
    if (IsReservedWord(t.text)) {
      return ErrorAt(t, "'" + std::string(t.text) +
                            "' is a reserved word; quote it with backticks to use it as a name");
    }
    ++pos_;
    return std::string(t.text);
  }
  return Expected(what);
}

size_t Parser::MatchingParen(size_t open) const {
  int depth = 0;
  for (size_t i = open; i < tokens_.size(); ++i) {
    TokenKind kind = tokens_[i].kind;
    if (kind == TokenKind::kLParen) ++depth;
    if (kind == TokenKind::kRParen && --depth == 0) return i;
  }
  return tokens_.size() - 1;
}

// --- Nodes and bounds --------------------------------------------------------------------------

Status Parser::Enter() {
  if (++depth_ > options_.max_depth) {
    --depth_;
    return InvalidArgumentError(DescribePosition(text_, Peek().start) +
                                    ": the query is nested too deeply (more than " +
                                    std::to_string(options_.max_depth) + " levels)",
                                "hogql_too_deep");
  }
  return Status::Ok();
}

Status Parser::CheckHeight(const hogql::Expr& node) const {
  if (node.height > options_.max_depth) {
    return InvalidArgumentError(
        DescribePosition(text_, node.start) + ": the expression is nested too deeply (more than " +
            std::to_string(options_.max_depth) + " levels); split long chains of operators",
        "hogql_too_deep");
  }
  return Status::Ok();
}

Status Parser::Finish(hogql::Expr& node) {
  if (pos_ > 0 && Prev().end > node.start) node.end = Prev().end;
  if (node.end < node.start) node.end = node.start;
  uint32_t height = 0;
  ForEachChild(node, [&](const hogql::Expr& child) { height = std::max(height, child.height); });
  node.height = height + 1;
  return CheckHeight(node);
}

// --- Entry points ------------------------------------------------------------------------------

StatusOr<ExprPtr> Parser::WholeExpr() {
  HOGLET_ASSIGN_OR_RETURN(ExprPtr expr, Expression());
  if (!At(TokenKind::kEnd)) return Expected("the end of the expression");
  return expr;
}

StatusOr<std::vector<std::unique_ptr<OrderExpr>>> Parser::WholeOrderExprList() {
  HOGLET_ASSIGN_OR_RETURN(auto list, OrderExprs());
  if (!At(TokenKind::kEnd)) return Expected("',' or the end of the ORDER BY list");
  return list;
}

// --- Expressions -------------------------------------------------------------------------------

StatusOr<ExprList> Parser::Expressions(bool allow_trailing_comma) {
  hogql::ExprList list;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(ExprPtr e, Expression());
    list.push_back(std::move(e));
    if (!Accept(TokenKind::kComma)) break;
    if (allow_trailing_comma && (At(TokenKind::kRParen) || At(TokenKind::kRBracket))) break;
  }
  return list;
}

StatusOr<ExprPtr> Parser::Expression(int min_prec) {
  DepthGuard guard(*this);
  HOGLET_RETURN_IF_ERROR(guard.status());
  HOGLET_ASSIGN_OR_RETURN(ExprPtr left, Unary());
  bool stop = false;
  while (!stop) {
    size_t before = pos_;
    HOGLET_ASSIGN_OR_RETURN(left, Binary(std::move(left), min_prec, &stop));
    if (pos_ == before) break;
  }
  return left;
}

// One binary or postfix operator applied to `left`, if the next token is one that binds at
// least as tightly as `min_prec`; otherwise returns `left` untouched. Sets `stop` after an alias,
// which only another alias may follow.
StatusOr<ExprPtr> Parser::Binary(ExprPtr left, int min_prec, bool* stop) {
  const Token& t = Peek();
  uint32_t start = left->start;

  auto arithmetic = [&](ArithmeticOp op, int prec) -> StatusOr<ExprPtr> {
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr right, Expression(prec + 1));
    auto node = Make<ArithmeticOperation>(start);
    node->op = op;
    node->left = std::move(left);
    node->right = std::move(right);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  };
  auto compare = [&](CompareOp op, size_t tokens) -> StatusOr<ExprPtr> {
    pos_ += tokens;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr right, Expression(kPrecCompare + 1));
    auto node = Make<CompareOperation>(start);
    node->op = op;
    node->left = std::move(left);
    node->right = std::move(right);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  };
  // AND, OR and || are n-ary: an operand of the same kind is spliced in, as PostHog does.
  auto n_ary = [&]<typename Node>(int prec, auto&& children) -> StatusOr<ExprPtr> {
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr right, Expression(prec + 1));
    std::unique_ptr<Node> node;
    if (left->kind == Node::kKind) {
      node.reset(static_cast<Node*>(left.release()));
    } else {
      node = Make<Node>(start);
      node->height = left->height + 1;
      children(*node).push_back(std::move(left));
    }
    node->height = std::max(node->height, right->height + 1);
    if (right->kind == Node::kKind) {
      for (ExprPtr& e : children(static_cast<Node&>(*right)))
        children(*node).push_back(std::move(e));
    } else {
      children(*node).push_back(std::move(right));
    }
    node->end = Prev().end;
    HOGLET_RETURN_IF_ERROR(CheckHeight(*node));
    return ExprPtr(std::move(node));
  };
  auto call2 = [&](const char* name, ExprPtr a, ExprPtr b) -> StatusOr<ExprPtr> {
    auto node = Make<Call>(start);
    node->name = name;
    node->args.push_back(std::move(a));
    node->args.push_back(std::move(b));
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  };

  switch (t.kind) {
    case TokenKind::kStar:
      if (min_prec > kPrecMul) break;
      return arithmetic(ArithmeticOp::kMult, kPrecMul);
    case TokenKind::kSlash:
      if (min_prec > kPrecMul) break;
      return arithmetic(ArithmeticOp::kDiv, kPrecMul);
    case TokenKind::kPercent:
      if (min_prec > kPrecMul) break;
      return arithmetic(ArithmeticOp::kMod, kPrecMul);
    case TokenKind::kPlus:
      if (min_prec > kPrecAdd) break;
      return arithmetic(ArithmeticOp::kAdd, kPrecAdd);
    case TokenKind::kDash:
      if (min_prec > kPrecAdd) break;
      return arithmetic(ArithmeticOp::kSub, kPrecAdd);
    case TokenKind::kConcat: {
      if (min_prec > kPrecAdd) break;
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(ExprPtr right, Expression(kPrecAdd + 1));
      std::unique_ptr<Call> node;
      if (IsConcatCall(*left)) {
        node.reset(static_cast<Call*>(left.release()));
        node->start = start;
      } else {
        node = Make<Call>(start);
        node->name = "concat";
        node->height = left->height + 1;
        node->args.push_back(std::move(left));
      }
      node->height = std::max(node->height, right->height + 1);
      if (IsConcatCall(*right)) {
        for (ExprPtr& e : right->As<Call>().args) node->args.push_back(std::move(e));
      } else {
        node->args.push_back(std::move(right));
      }
      node->end = Prev().end;
      HOGLET_RETURN_IF_ERROR(CheckHeight(*node));
      return ExprPtr(std::move(node));
    }
    case TokenKind::kEq:
    case TokenKind::kEqEq:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kEq, 1);
    case TokenKind::kNotEq:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kNotEq, 1);
    case TokenKind::kLt:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kLt, 1);
    case TokenKind::kLtEq:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kLtEq, 1);
    case TokenKind::kGt:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kGt, 1);
    case TokenKind::kGtEq:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kGtEq, 1);
    case TokenKind::kRegexSingle:
    case TokenKind::kRegexDouble:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kRegex, 1);
    case TokenKind::kIRegexSingle:
    case TokenKind::kIRegexDouble:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kIRegex, 1);
    case TokenKind::kNotRegex:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kNotRegex, 1);
    case TokenKind::kNotIRegex:
      if (min_prec > kPrecCompare) break;
      return compare(CompareOp::kNotIRegex, 1);
    case TokenKind::kNullish: {
      if (min_prec > kPrecNullish) break;
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(ExprPtr right, Expression(kPrecNullish + 1));
      return call2("ifNull", std::move(left), std::move(right));
    }
    case TokenKind::kQuery: {
      if (min_prec > kPrecTernary) break;
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(ExprPtr then, Expression());
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' of the ternary 'a ? b : c'"));
      HOGLET_ASSIGN_OR_RETURN(ExprPtr otherwise, Expression(kPrecTernary));
      auto node = Make<Call>(start);
      node->name = "if";
      node->args.push_back(std::move(left));
      node->args.push_back(std::move(then));
      node->args.push_back(std::move(otherwise));
      HOGLET_RETURN_IF_ERROR(Finish(*node));
      return ExprPtr(std::move(node));
    }
    case TokenKind::kWord:
      break;
    default:
      return left;
  }
  if (t.kind != TokenKind::kWord) return left;

  // Word operators.
  if (AtWord("and")) {
    if (min_prec > kPrecAnd) return left;
    return n_ary.operator()<And>(kPrecAnd, [](And& n) -> hogql::ExprList& { return n.exprs; });
  }
  if (AtWord("or")) {
    if (min_prec > kPrecOr) return left;
    return n_ary.operator()<Or>(kPrecOr, [](Or& n) -> hogql::ExprList& { return n.exprs; });
  }
  bool negated = AtWord("not");
  size_t op_at = negated ? 1 : 0;
  if (AtWord("in", op_at)) {
    if (min_prec > kPrecCompare) return left;
    bool cohort = AtWord("cohort", op_at + 1) && CanStartExpr(op_at + 2);
    CompareOp op = cohort ? (negated ? CompareOp::kNotInCohort : CompareOp::kInCohort)
                          : (negated ? CompareOp::kNotIn : CompareOp::kIn);
    return compare(op, op_at + 1 + (cohort ? 1 : 0));
  }
  if (AtWord("like", op_at)) {
    if (min_prec > kPrecCompare) return left;
    return compare(negated ? CompareOp::kNotLike : CompareOp::kLike, op_at + 1);
  }
  if (AtWord("ilike", op_at)) {
    if (min_prec > kPrecCompare) return left;
    return compare(negated ? CompareOp::kNotILike : CompareOp::kILike, op_at + 1);
  }
  if (AtWord("between", op_at)) {
    if (min_prec > kPrecBetween) return left;
    pos_ += op_at + 1;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr low, Expression(kPrecBetween + 1));
    HOGLET_RETURN_IF_ERROR(ExpectWord("and"));
    HOGLET_ASSIGN_OR_RETURN(ExprPtr high, Expression(kPrecBetween + 1));
    auto node = Make<BetweenExpr>(start);
    node->expr = std::move(left);
    node->low = std::move(low);
    node->high = std::move(high);
    node->negated = negated;
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  }
  if (negated) return left;
  if (AtWord("is")) {
    bool is_not = AtWord("not", 1);
    size_t next = is_not ? 2 : 1;
    if (AtWord("null", next)) {
      if (min_prec > kPrecIsNull) return left;
      pos_ += next + 1;
      auto null = Make<Constant>(Prev().start);
      null->end = Prev().end;
      auto node = Make<CompareOperation>(start);
      node->op = is_not ? CompareOp::kNotEq : CompareOp::kEq;
      node->left = std::move(left);
      node->right = std::move(null);
      node->is_null_style = true;
      HOGLET_RETURN_IF_ERROR(Finish(*node));
      return ExprPtr(std::move(node));
    }
    if (AtWord("distinct", next) && AtWord("from", next + 1)) {
      if (min_prec > kPrecIsDistinct) return left;
      pos_ += next + 2;
      HOGLET_ASSIGN_OR_RETURN(ExprPtr right, Expression(kPrecIsDistinct + 1));
      auto node = Make<IsDistinctFrom>(start);
      node->left = std::move(left);
      node->right = std::move(right);
      node->negated = is_not;
      HOGLET_RETURN_IF_ERROR(Finish(*node));
      return ExprPtr(std::move(node));
    }
    ++pos_;
    return Expected("NULL, NOT NULL or DISTINCT FROM");
  }
  if (AtWord("as")) {
    if (min_prec > kPrecAlias) return left;
    ++pos_;
    auto node = Make<Alias>(start);
    if (At(TokenKind::kString)) {
      node->alias = Peek().value;
      ++pos_;
    } else {
      HOGLET_ASSIGN_OR_RETURN(node->alias, Identifier("a name"));
    }
    node->expr = std::move(left);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    *stop = !AtWord("as");
    return ExprPtr(std::move(node));
  }
  if (AtWord("global") && (AtWord("in", 1) || AtWord("not", 1))) {
    return ErrorAt(t, "GLOBAL IN is not supported in HogQL; use IN");
  }
  if (AtWord("ignore") && AtWord("nulls", 1)) {
    return ErrorAt(t, "IGNORE NULLS is not supported");
  }
  return left;
}

StatusOr<ExprPtr> Parser::Unary() {
  const Token& t = Peek();
  if (t.kind == TokenKind::kDash || t.kind == TokenKind::kPlus) {
    bool number_follows = IsNumberToken(Peek(1).kind) ||
                          (At(TokenKind::kDot, 1) && At(TokenKind::kInteger, 2)) ||
                          AtWord("inf", 1) || AtWord("infinity", 1) || AtWord("nan", 1);
    if (number_follows) {
      uint32_t start = t.start;
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(ExprPtr literal, NumberLiteral(t.kind == TokenKind::kDash, start));
      return Postfix(std::move(literal));
    }
    if (t.kind == TokenKind::kPlus) {
      ++pos_;
      return Expected("a number");
    }
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr operand, Expression(kPrecNegate));
    auto zero = Make<Constant>(t.start);
    zero->value = int64_t{0};
    zero->end = t.end;
    auto node = Make<ArithmeticOperation>(t.start);
    node->op = ArithmeticOp::kSub;
    node->left = std::move(zero);
    node->right = std::move(operand);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  }
  if (AtWord("not") && !At(TokenKind::kLParen, 1) && CanStartExpr(1)) {
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr operand, Expression(kPrecNot));
    auto node = Make<Not>(t.start);
    node->expr = std::move(operand);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  }
  HOGLET_ASSIGN_OR_RETURN(ExprPtr primary, Primary());
  return Postfix(std::move(primary));
}

bool Parser::CanStartExpr(size_t ahead) const {
  const Token& t = Peek(ahead);
  switch (t.kind) {
    case TokenKind::kWord:
      return !IsReservedWord(t.text) || EqualsIgnoreCase(t.text, "null") ||
             EqualsIgnoreCase(t.text, "inf") || EqualsIgnoreCase(t.text, "infinity") ||
             EqualsIgnoreCase(t.text, "nan");
    case TokenKind::kQuotedWord:
    case TokenKind::kString:
    case TokenKind::kInteger:
    case TokenKind::kHexInteger:
    case TokenKind::kBinInteger:
    case TokenKind::kFloat:
    case TokenKind::kDash:
    case TokenKind::kPlus:
    case TokenKind::kLParen:
    case TokenKind::kLBracket:
    case TokenKind::kLBrace:
    case TokenKind::kHash:
    case TokenKind::kStar:
      return true;
    case TokenKind::kDot:
      return Peek(ahead + 1).kind == TokenKind::kInteger;
    default:
      return false;
  }
}

StatusOr<ExprPtr> Parser::NumberLiteral(bool negative, uint32_t start) {
  const Token& t = Peek();
  auto node = Make<Constant>(start);
  auto set_float = [&](double value) { node->value = negative ? -value : value; };
  std::string digits;
  int base = 10;
  switch (t.kind) {
    case TokenKind::kWord:  // inf, infinity, nan
      ++pos_;
      set_float(EqualsIgnoreCase(t.text, "nan") ? std::numeric_limits<double>::quiet_NaN()
                                                : std::numeric_limits<double>::infinity());
      node->end = Prev().end;
      return ExprPtr(std::move(node));
    case TokenKind::kDot: {  // .5
      ++pos_;
      std::string text = "0." + std::string(Peek().text);
      ++pos_;
      double value = 0;
      std::from_chars(text.data(), text.data() + text.size(), value);
      set_float(value);
      node->end = Prev().end;
      return ExprPtr(std::move(node));
    }
    case TokenKind::kFloat: {
      ++pos_;
      std::string_view text = t.text;
      double value = 0;
      if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        std::from_chars(text.data() + 2, text.data() + text.size(), value, std::chars_format::hex);
      } else {
        std::from_chars(text.data(), text.data() + text.size(), value);
      }
      set_float(value);
      node->end = Prev().end;
      return ExprPtr(std::move(node));
    }
    case TokenKind::kInteger:
      ++pos_;
      // `1.5` and `1.` are three and two tokens (so that `t.1.2` stays tuple access).
      if (At(TokenKind::kDot) && !AtIdentifier(1) && !At(TokenKind::kStar, 1)) {
        ++pos_;
        std::string text = std::string(t.text) + ".";
        if (At(TokenKind::kInteger)) {
          text += Peek().text;
          ++pos_;
        } else {
          text += "0";
        }
        double value = 0;
        std::from_chars(text.data(), text.data() + text.size(), value);
        set_float(value);
        node->end = Prev().end;
        return ExprPtr(std::move(node));
      }
      digits = std::string(t.text);
      break;
    case TokenKind::kHexInteger:
      ++pos_;
      digits = std::string(t.text.substr(2));
      base = 16;
      break;
    case TokenKind::kBinInteger:
      ++pos_;
      digits = std::string(t.text.substr(2));
      base = 2;
      break;
    default:
      return Expected("a number");
  }
  node->end = Prev().end;
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  bool fits = ec == std::errc() && ptr == digits.data() + digits.size() &&
              magnitude <= kMaxPositive + (negative ? 1 : 0);
  if (!fits) {  // kept as written, as PostHog keeps it
    node->value = BigNumber{(negative ? "-" : "") + std::string(t.text)};
    return ExprPtr(std::move(node));
  }
  node->value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return ExprPtr(std::move(node));
}

StatusOr<ExprPtr> Parser::Primary() {
  const Token& t = Peek();
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kHexInteger:
    case TokenKind::kBinInteger:
    case TokenKind::kFloat:
      return NumberLiteral(false, t.start);
    case TokenKind::kDot:
      if (At(TokenKind::kInteger, 1)) return NumberLiteral(false, t.start);
      break;
    case TokenKind::kString: {
      auto node = Make<Constant>(t.start);
      node->value = t.value;
      ++pos_;
      node->end = Prev().end;
      return ExprPtr(std::move(node));
    }
    case TokenKind::kLParen:
      return Parenthesized();
    case TokenKind::kLBracket: {
      ++pos_;
      auto node = Make<Array>(t.start);
      if (!At(TokenKind::kRBracket)) {
        HOGLET_ASSIGN_OR_RETURN(node->exprs, Expressions(true));
      }
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRBracket, "',' or ']'"));
      HOGLET_RETURN_IF_ERROR(Finish(*node));
      return ExprPtr(std::move(node));
    }
    case TokenKind::kLBrace:
      return BracedExpr();
    case TokenKind::kHash: {
      ++pos_;
      if (!At(TokenKind::kInteger)) return Expected("a column number after '#'");
      auto node = Make<PositionalRef>(t.start);
      auto [ptr, ec] =
          std::from_chars(Peek().text.data(), Peek().text.data() + Peek().text.size(), node->index);
      if (ec != std::errc()) return ErrorAt(Peek(), "column number out of range");
      ++pos_;
      node->end = Prev().end;
      return ExprPtr(std::move(node));
    }
    case TokenKind::kStar: {
      ++pos_;
      if (AtWord("exclude") || AtWord("replace") || AtWord("columns")) {
        return ErrorAt(Peek(), "'* " + std::string(Peek().text) + "' is not supported");
      }
      auto node = Make<Field>(t.start);
      node->chain.push_back("*");
      node->end = Prev().end;
      return ExprPtr(std::move(node));
    }
    case TokenKind::kWord:
    case TokenKind::kQuotedWord:
      return WordExpr();
    default:
      break;
  }
  return Expected("an expression");
}

StatusOr<ExprPtr> Parser::Parenthesized() {
  const Token& open = Peek();
  if (AtParenLambda()) {
    ++pos_;
    std::vector<std::string> args;
    while (!At(TokenKind::kRParen)) {
      HOGLET_ASSIGN_OR_RETURN(std::string arg, Identifier("a lambda argument"));
      args.push_back(std::move(arg));
      if (!Accept(TokenKind::kComma)) break;
    }
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    return LambdaAfterArgs(std::move(args), open.start);
  }
  if (AtSelect(pos_ + 1)) {
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr select, SelectSet());
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' closing the subquery"));
    return select;
  }
  ++pos_;
  if (At(TokenKind::kRParen)) return Expected("an expression");
  HOGLET_ASSIGN_OR_RETURN(ExprPtr first, Expression());
  if (Accept(TokenKind::kRParen)) return first;
  if (!At(TokenKind::kComma)) return Expected("',' or ')'");
  auto tuple = Make<Tuple>(open.start);
  tuple->exprs.push_back(std::move(first));
  while (Accept(TokenKind::kComma)) {
    if (At(TokenKind::kRParen)) break;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr e, Expression());
    tuple->exprs.push_back(std::move(e));
  }
  HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
  HOGLET_RETURN_IF_ERROR(Finish(*tuple));
  return ExprPtr(std::move(tuple));
}

// `{}` and `{k: v, …}` are dictionaries; `{expr}` is a placeholder.
StatusOr<ExprPtr> Parser::BracedExpr() {
  const Token& open = Peek();
  ++pos_;
  if (Accept(TokenKind::kRBrace)) {
    auto dict = Make<Dict>(open.start);
    HOGLET_RETURN_IF_ERROR(Finish(*dict));
    return ExprPtr(std::move(dict));
  }
  HOGLET_ASSIGN_OR_RETURN(ExprPtr first, Expression());
  if (!At(TokenKind::kColon)) {
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRBrace, "'}' closing the placeholder"));
    auto node = Make<Placeholder>(open.start);
    node->expr = std::move(first);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  }
  auto dict = Make<Dict>(open.start);
  ExprPtr key = std::move(first);
  while (true) {
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' after the dictionary key"));
    HOGLET_ASSIGN_OR_RETURN(ExprPtr value, Expression());
    dict->items.emplace_back(std::move(key), std::move(value));
    if (!Accept(TokenKind::kComma) || At(TokenKind::kRBrace)) break;
    HOGLET_ASSIGN_OR_RETURN(key, Expression());
  }
  HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRBrace, "',' or '}'"));
  HOGLET_RETURN_IF_ERROR(Finish(*dict));
  return ExprPtr(std::move(dict));
}

bool Parser::AtParenLambda() const {
  if (!At(TokenKind::kLParen)) return false;
  size_t i = 1;
  if (At(TokenKind::kRParen, i)) return At(TokenKind::kArrow, i + 1);
  while (true) {
    if (!AtIdentifier(i)) return false;
    ++i;
    if (At(TokenKind::kRParen, i)) return At(TokenKind::kArrow, i + 1);
    if (!At(TokenKind::kComma, i)) return false;
    ++i;
    if (At(TokenKind::kRParen, i)) return At(TokenKind::kArrow, i + 1);
  }
}

bool Parser::AtBareLambda() {
  if (pos_ < no_bare_lambda_before_) return false;
  size_t i = 0;
  while (true) {
    if (!AtIdentifier(i)) break;
    ++i;
    if (At(TokenKind::kArrow, i)) return true;
    if (!At(TokenKind::kComma, i)) break;
    ++i;
    if (At(TokenKind::kArrow, i)) return true;
  }
  no_bare_lambda_before_ = pos_ + i;
  return false;
}

StatusOr<ExprPtr> Parser::LambdaAfterArgs(std::vector<std::string> args, uint32_t start) {
  HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kArrow, "'->'"));
  if (At(TokenKind::kLBrace)) {
    return ErrorAt(Peek(), "Hog code blocks ('-> { … }') are not supported in HogQL queries");
  }
  HOGLET_ASSIGN_OR_RETURN(ExprPtr body, Expression(kPrecTernary));
  auto node = Make<Lambda>(start);
  node->args = std::move(args);
  node->expr = std::move(body);
  HOGLET_RETURN_IF_ERROR(Finish(*node));
  return ExprPtr(std::move(node));
}

StatusOr<ExprPtr> Parser::WordExpr() {
  const Token& t = Peek();
  if (AtBareLambda()) {
    std::vector<std::string> args;
    while (!At(TokenKind::kArrow)) {
      HOGLET_ASSIGN_OR_RETURN(std::string arg, Identifier("a lambda argument"));
      args.push_back(std::move(arg));
      if (!Accept(TokenKind::kComma)) break;
    }
    return LambdaAfterArgs(std::move(args), t.start);
  }
  if (t.kind == TokenKind::kQuotedWord) return FieldOrCall();
  std::string_view word = t.text;
  if (EqualsIgnoreCase(word, "case")) return CaseExpr();
  if ((EqualsIgnoreCase(word, "cast") || EqualsIgnoreCase(word, "try_cast")) &&
      At(TokenKind::kLParen, 1) && CastHasAs()) {
    return CastExpr(EqualsIgnoreCase(word, "try_cast"));
  }
  // `interval(1)` is a call, `INTERVAL (x + 1) MONTH` an interval: the unit after ')' decides.
  bool paren_then_unit = false;
  if (EqualsIgnoreCase(word, "interval") && At(TokenKind::kLParen, 1)) {
    size_t close = MatchingParen(pos_ + 1);
    paren_then_unit = close + 1 < tokens_.size() && tokens_[close + 1].kind == TokenKind::kWord &&
                      IsIntervalUnit(tokens_[close + 1].text);
  }
  if (paren_then_unit) return IntervalExpr();
  if (EqualsIgnoreCase(word, "interval") && !At(TokenKind::kLParen, 1) && CanStartExpr(1)) {
    const Token& next = Peek(1);
    bool keyword_next = next.kind == TokenKind::kWord && IsKeyword(next.text) &&
                        !AtWord("not", 1) && !AtWord("case", 1) && !AtWord("cast", 1) &&
                        !AtWord("null", 1) && !AtWord("interval", 1);
    if (!keyword_next) return IntervalExpr();
  }
  if ((EqualsIgnoreCase(word, "date") || EqualsIgnoreCase(word, "timestamp")) &&
      At(TokenKind::kString, 1)) {
    return ErrorAt(t, std::string(word) +
                          " '…' literals are not supported; use toDate('…') or toDateTime('…')");
  }
  if (EqualsIgnoreCase(word, "trim") && At(TokenKind::kLParen, 1) &&
      (AtWord("both", 2) || AtWord("leading", 2) || AtWord("trailing", 2))) {
    return TrimExpr();
  }
  if (EqualsIgnoreCase(word, "columns") && At(TokenKind::kLParen, 1)) {
    return ErrorAt(t, "COLUMNS(…) is not supported");
  }
  if (EqualsIgnoreCase(word, "array") && At(TokenKind::kLBracket, 1)) {
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr array, Primary());
    array->start = t.start;
    return array;
  }
  if (EqualsIgnoreCase(word, "lambda") && AtIdentifier(1)) {
    ++pos_;
    std::vector<std::string> args;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(std::string arg, Identifier("a lambda argument"));
      args.push_back(std::move(arg));
      if (!Accept(TokenKind::kComma) || At(TokenKind::kColon)) break;
    }
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kColon, "':' after the lambda's arguments"));
    HOGLET_ASSIGN_OR_RETURN(ExprPtr body, Expression(kPrecTernary));
    auto node = Make<Lambda>(t.start);
    node->args = std::move(args);
    node->expr = std::move(body);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  }
  if (EqualsIgnoreCase(word, "null")) {
    auto node = Make<Constant>(t.start);
    ++pos_;
    node->end = Prev().end;
    return ExprPtr(std::move(node));
  }
  if (EqualsIgnoreCase(word, "inf") || EqualsIgnoreCase(word, "infinity") ||
      EqualsIgnoreCase(word, "nan")) {
    return NumberLiteral(false, t.start);
  }
  return FieldOrCall();
}

StatusOr<ExprPtr> Parser::FieldOrCall() {
  const Token& t = Peek();
  bool quoted = t.kind == TokenKind::kQuotedWord;
  HOGLET_ASSIGN_OR_RETURN(std::string name, Identifier("an expression"));
  if (Accept(TokenKind::kColonEquals)) {
    HOGLET_ASSIGN_OR_RETURN(ExprPtr value, Expression(kPrecTernary));
    auto node = Make<NamedArgument>(t.start);
    node->name = std::move(name);
    node->value = std::move(value);
    HOGLET_RETURN_IF_ERROR(Finish(*node));
    return ExprPtr(std::move(node));
  }
  if (At(TokenKind::kLParen)) return FunctionCall(std::move(name), t.start);
  auto field = Make<Field>(t.start);
  field->chain.push_back(std::move(name));
  while (At(TokenKind::kDot)) {
    if (AtIdentifier(1)) {
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(std::string part, Identifier("a name"));
      field->chain.push_back(std::move(part));
    } else if (At(TokenKind::kStar, 1)) {
      pos_ += 2;
      field->chain.push_back("*");
      break;
    } else {
      break;
    }
  }
  field->end = Prev().end;
  if (!quoted && field->chain.size() == 1) {
    if (EqualsIgnoreCase(field->chain[0], "true") || EqualsIgnoreCase(field->chain[0], "false")) {
      auto node = Make<Constant>(t.start);
      node->value = EqualsIgnoreCase(field->chain[0], "true");
      node->end = field->end;
      return ExprPtr(std::move(node));
    }
  }
  return ExprPtr(std::move(field));
}

StatusOr<ExprPtr> Parser::FunctionCall(std::string name, uint32_t start) {
  DepthGuard guard(*this);
  HOGLET_RETURN_IF_ERROR(guard.status());
  auto call = Make<Call>(start);
  call->name = std::move(name);
  auto group = [&](hogql::ExprList& list, bool& distinct, bool allow_order_by) -> Status {
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
    distinct = AcceptWord("distinct");
    if (!At(TokenKind::kRParen) && !(AtWord("order") && AtWord("by", 1))) {
      HOGLET_ASSIGN_OR_RETURN(list, Expressions(true));
    }
    if (allow_order_by && AtWord("order") && AtWord("by", 1)) {
      pos_ += 2;
      HOGLET_ASSIGN_OR_RETURN(call->order_by, OrderExprs());
    }
    return Expect(TokenKind::kRParen, "',' or ')'");
  };
  hogql::ExprList first;
  bool first_distinct = false;
  HOGLET_RETURN_IF_ERROR(group(first, first_distinct, true));
  if (At(TokenKind::kLParen)) {  // quantile(0.9)(x): parameters, then arguments
    if (first_distinct || !call->order_by.empty()) {
      return ErrorAt(Peek(), "DISTINCT and ORDER BY belong in the second parentheses of '" +
                                 call->name + "(…)(…)'");
    }
    call->params = std::move(first);
    HOGLET_RETURN_IF_ERROR(group(call->args, call->distinct, false));
  } else {
    call->args = std::move(first);
    call->distinct = first_distinct;
  }
  if (AtWord("within") && AtWord("group", 1)) {
    if (call->params) return ErrorAt(Peek(), "WITHIN GROUP needs a call with one parentheses");
    pos_ += 2;
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
    HOGLET_RETURN_IF_ERROR(ExpectWord("order"));
    HOGLET_RETURN_IF_ERROR(ExpectWord("by"));
    HOGLET_ASSIGN_OR_RETURN(auto order, OrderExprs());
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    call->params = std::move(call->args);
    call->args.clear();
    call->within_group = std::move(order);
  }
  if (AtWord("filter") && At(TokenKind::kLParen, 1) && AtWord("where", 2)) {
    pos_ += 3;
    HOGLET_ASSIGN_OR_RETURN(call->filter_expr, Expression());
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
  }
  if (AtWord("over") && (At(TokenKind::kLParen, 1) || AtIdentifier(1))) {
    ++pos_;
    if (Accept(TokenKind::kLParen)) {
      HOGLET_ASSIGN_OR_RETURN(call->over_expr, WindowSpec());
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' closing the window"));
    } else {
      HOGLET_ASSIGN_OR_RETURN(call->over_identifier, Identifier("a window name"));
    }
  }
  HOGLET_RETURN_IF_ERROR(Finish(*call));
  return ExprPtr(std::move(call));
}

StatusOr<ExprPtr> Parser::CaseExpr() {
  uint32_t start = Peek().start;
  ++pos_;  // CASE
  ExprPtr subject;
  if (!AtWord("when")) {
    HOGLET_ASSIGN_OR_RETURN(subject, Expression());
  }
  hogql::ExprList args;
  if (subject) args.push_back(std::move(subject));
  size_t whens = 0;
  while (AcceptWord("when")) {
    HOGLET_ASSIGN_OR_RETURN(ExprPtr condition, Expression());
    HOGLET_RETURN_IF_ERROR(ExpectWord("then"));
    HOGLET_ASSIGN_OR_RETURN(ExprPtr result, Expression());
    args.push_back(std::move(condition));
    args.push_back(std::move(result));
    ++whens;
  }
  if (whens == 0) return Expected("WHEN");
  if (AcceptWord("else")) {
    HOGLET_ASSIGN_OR_RETURN(ExprPtr otherwise, Expression());
    args.push_back(std::move(otherwise));
  } else {
    auto null = Make<Constant>(Peek().start);
    null->end = Peek().start;
    args.push_back(std::move(null));
  }
  HOGLET_RETURN_IF_ERROR(ExpectWord("end"));
  auto call = Make<Call>(start);
  bool with_subject = args.size() % 2 == 0;
  call->name = with_subject ? "_caseWithExpression" : whens == 1 ? "if" : "multiIf";
  call->args = std::move(args);
  HOGLET_RETURN_IF_ERROR(Finish(*call));
  return ExprPtr(std::move(call));
}

// `CAST(x AS T)` has an AS between its parentheses; `cast(x)` is a call of a function `cast`.
bool Parser::CastHasAs() const {
  size_t close = MatchingParen(pos_ + 1);
  int depth = 0;
  for (size_t i = pos_ + 1; i < close; ++i) {
    TokenKind kind = tokens_[i].kind;
    if (kind == TokenKind::kLParen || kind == TokenKind::kLBracket || kind == TokenKind::kLBrace) {
      ++depth;
    } else if (kind == TokenKind::kRParen || kind == TokenKind::kRBracket ||
               kind == TokenKind::kRBrace) {
      --depth;
    } else if (depth == 1 && kind == TokenKind::kWord && EqualsIgnoreCase(tokens_[i].text, "as")) {
      return true;
    }
  }
  return false;
}

StatusOr<ExprPtr> Parser::CastExpr(bool try_cast) {
  uint32_t start = Peek().start;
  pos_ += 2;  // CAST (
  HOGLET_ASSIGN_OR_RETURN(ExprPtr value, Expression(kPrecTernary));
  HOGLET_RETURN_IF_ERROR(ExpectWord("as"));
  HOGLET_ASSIGN_OR_RETURN(std::string type, ColumnType());
  HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' closing the CAST"));
  auto node = Make<TypeCast>(start);
  node->expr = std::move(value);
  node->type_name = std::move(type);
  node->try_cast = try_cast;
  HOGLET_RETURN_IF_ERROR(Finish(*node));
  return ExprPtr(std::move(node));
}

// The type of a CAST as canonical text: the tokens up to the closing parenthesis, lower-cased,
// with ", " between arguments and single spaces between words: "decimal(10, 2)".
StatusOr<std::string> Parser::ColumnType() {
  if (!At(TokenKind::kWord) && !At(TokenKind::kQuotedWord)) return Expected("a type name");
  std::string out;
  int depth = 0;
  bool word_before = false;
  while (true) {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kWord:
      case TokenKind::kQuotedWord:
      case TokenKind::kInteger:
      case TokenKind::kFloat:
      case TokenKind::kString:
        if (word_before) out += ' ';
        if (t.kind == TokenKind::kQuotedWord) {
          out += Lowercase(t.value);
        } else if (t.kind == TokenKind::kString) {
          out += "'" + Lowercase(t.value) + "'";
        } else {
          out += Lowercase(t.text);
        }
        word_before = true;
        break;
      case TokenKind::kLParen:
        ++depth;
        out += '(';
        word_before = false;
        break;
      case TokenKind::kRParen:
        if (depth == 0) return out;
        --depth;
        out += ')';
        word_before = true;
        break;
      case TokenKind::kComma:
        if (depth == 0) return Expected("')' closing the CAST");
        out += ", ";
        word_before = false;
        break;
      case TokenKind::kLBracket:
      case TokenKind::kRBracket:
        out += t.text;
        word_before = t.kind == TokenKind::kRBracket;
        break;
      case TokenKind::kEq:
        out += " =";
        word_before = true;
        break;
      case TokenKind::kDash:
        if (word_before) out += ' ';
        out += '-';
        word_before = false;
        break;
      default:
        return Expected("a type");
    }
    ++pos_;
  }
}

StatusOr<ExprPtr> Parser::IntervalExpr() {
  const Token& keyword = Peek();
  ++pos_;
  const Token& next = Peek();
  bool unit_after_string = next.kind == TokenKind::kString && Peek(1).kind == TokenKind::kWord &&
                           IsIntervalUnit(Peek(1).text);
  auto call = Make<Call>(keyword.start);
  if (next.kind == TokenKind::kString && !unit_after_string) {
    // INTERVAL '7 day': exactly "<count> <unit>", as PostHog reads it.
    const std::string& spec = next.value;
    size_t space = spec.find(' ');
    std::string_view count =
        std::string_view(spec).substr(0, space == std::string::npos ? spec.size() : space);
    std::string_view unit =
        space == std::string::npos ? "" : std::string_view(spec).substr(space + 1);
    bool count_ok = !count.empty() &&
                    std::all_of(count.begin() + (count[0] == '-' ? 1 : 0), count.end(),
                                [](char c) { return c >= '0' && c <= '9'; }) &&
                    count != "-";
    std::string_view singular = unit;
    if (singular.size() > 1 && singular.back() == 's') singular.remove_suffix(1);
    bool unit_ok =
        IsIntervalUnit(singular) && Lowercase(singular) == singular && singular != "yyyy";
    if (!count_ok || !unit_ok) {
      return ErrorAt(next, "INTERVAL '" + spec +
                               "' must be '<count> <unit>' with a whole count and a unit among "
                               "second, minute, hour, day, week, month, quarter, year");
    }
    ++pos_;
    auto value = Make<Constant>(next.start);
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
    if (ec != std::errc()) return ErrorAt(next, "INTERVAL count out of range");
    value->value = n;
    value->end = next.end;
    call->name = IntervalFunction(singular);
    call->args.push_back(std::move(value));
    HOGLET_RETURN_IF_ERROR(Finish(*call));
    return ExprPtr(std::move(call));
  }
  HOGLET_ASSIGN_OR_RETURN(ExprPtr value, Expression(kPrecTernary));
  if (!At(TokenKind::kWord) || !IsIntervalUnit(Peek().text)) {
    return Expected("an INTERVAL unit (SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR)");
  }
  call->name = IntervalFunction(Peek().text);
  ++pos_;
  call->args.push_back(std::move(value));
  HOGLET_RETURN_IF_ERROR(Finish(*call));
  return ExprPtr(std::move(call));
}

StatusOr<ExprPtr> Parser::TrimExpr() {
  uint32_t start = Peek().start;
  pos_ += 2;  // TRIM (
  std::string name = AtWord("leading") ? "trimLeft" : AtWord("trailing") ? "trimRight" : "trim";
  ++pos_;
  if (!At(TokenKind::kString)) return Expected("the characters to trim, as a string");
  auto chars = Make<Constant>(Peek().start);
  chars->value = Peek().value;
  ++pos_;
  chars->end = Prev().end;
  HOGLET_RETURN_IF_ERROR(ExpectWord("from"));
  HOGLET_ASSIGN_OR_RETURN(ExprPtr value, Expression());
  HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' closing TRIM"));
  auto call = Make<Call>(start);
  call->name = std::move(name);
  call->args.push_back(std::move(value));
  call->args.push_back(std::move(chars));
  HOGLET_RETURN_IF_ERROR(Finish(*call));
  return ExprPtr(std::move(call));
}

StatusOr<ExprPtr> Parser::Postfix(ExprPtr expr) {
  while (true) {
    uint32_t start = expr->start;
    const Token& t = Peek();
    if (t.kind == TokenKind::kLBracket ||
        (t.kind == TokenKind::kNullProperty && At(TokenKind::kLBracket, 1))) {
      bool nullish = t.kind == TokenKind::kNullProperty;
      pos_ += nullish ? 2 : 1;
      ExprPtr index;
      if (!At(TokenKind::kColon)) {
        HOGLET_ASSIGN_OR_RETURN(index, Expression());
      }
      if (!nullish && Accept(TokenKind::kColon)) {
        auto slice = Make<ArraySlice>(start);
        slice->array = std::move(expr);
        slice->start_expr = std::move(index);
        if (!At(TokenKind::kRBracket)) {
          HOGLET_ASSIGN_OR_RETURN(slice->end_expr, Expression());
        }
        HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRBracket, "']'"));
        HOGLET_RETURN_IF_ERROR(Finish(*slice));
        expr = std::move(slice);
        continue;
      }
      if (!index) return Expected("an index");
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRBracket, "']'"));
      auto access = Make<ArrayAccess>(start);
      access->array = std::move(expr);
      access->property = std::move(index);
      access->nullish = nullish;
      HOGLET_RETURN_IF_ERROR(Finish(*access));
      expr = std::move(access);
      continue;
    }
    if (t.kind == TokenKind::kDot || t.kind == TokenKind::kNullProperty) {
      bool nullish = t.kind == TokenKind::kNullProperty;
      const Token& member = Peek(1);
      if (member.kind == TokenKind::kInteger) {
        pos_ += 2;
        auto access = Make<TupleAccess>(start);
        auto [ptr, ec] = std::from_chars(member.text.data(),
                                         member.text.data() + member.text.size(), access->index);
        if (ec != std::errc()) return ErrorAt(member, "tuple index out of range");
        access->tuple = std::move(expr);
        access->nullish = nullish;
        HOGLET_RETURN_IF_ERROR(Finish(*access));
        expr = std::move(access);
        continue;
      }
      if (AtIdentifier(1)) {
        pos_ += 1;
        auto name = Make<Constant>(member.start);
        HOGLET_ASSIGN_OR_RETURN(std::string text, Identifier("a name"));
        name->value = std::move(text);
        name->end = Prev().end;
        auto access = Make<ArrayAccess>(start);
        access->array = std::move(expr);
        access->property = std::move(name);
        access->nullish = nullish;
        HOGLET_RETURN_IF_ERROR(Finish(*access));
        expr = std::move(access);
        continue;
      }
      ++pos_;
      return Expected("a name or a tuple index");
    }
    if (t.kind == TokenKind::kDoubleColon) {
      ++pos_;
      const Token& type = Peek();
      bool ok =
          type.kind == TokenKind::kQuotedWord ||
          (type.kind == TokenKind::kWord &&
           (!IsKeyword(type.text) || IsIntervalUnit(type.text) ||
            EqualsIgnoreCase(type.text, "date") || EqualsIgnoreCase(type.text, "time") ||
            EqualsIgnoreCase(type.text, "timestamp") || EqualsIgnoreCase(type.text, "interval")));
      if (!ok) return Expected("a type name");
      ++pos_;
      auto cast = Make<TypeCast>(start);
      cast->type_name = Lowercase(type.kind == TokenKind::kQuotedWord ? type.value : type.text);
      if (AtWord("with") && (AtWord("time", 1) || (AtWord("local", 1) && AtWord("time", 2)))) {
        bool local = AtWord("local", 1);
        pos_ += local ? 3 : 2;
        HOGLET_RETURN_IF_ERROR(ExpectWord("zone"));
        cast->type_name += local ? " with local time zone" : " with time zone";
      }
      cast->expr = std::move(expr);
      HOGLET_RETURN_IF_ERROR(Finish(*cast));
      expr = std::move(cast);
      continue;
    }
    if (t.kind == TokenKind::kLParen) {
      DepthGuard guard(*this);
      HOGLET_RETURN_IF_ERROR(guard.status());
      ++pos_;
      auto call = Make<ExprCall>(start);
      if (!At(TokenKind::kRParen)) {
        HOGLET_ASSIGN_OR_RETURN(call->args, Expressions(true));
      }
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
      call->expr = std::move(expr);
      HOGLET_RETURN_IF_ERROR(Finish(*call));
      expr = std::move(call);
      continue;
    }
    return expr;
  }
}

StatusOr<std::unique_ptr<OrderExpr>> Parser::OrderExprItem() {
  uint32_t start = Peek().start;
  HOGLET_ASSIGN_OR_RETURN(ExprPtr expr, Expression());
  auto item = Make<OrderExpr>(start);
  item->expr = std::move(expr);
  if (AcceptWord("desc") || AcceptWord("descending")) {
    item->descending = true;
  } else if (!AcceptWord("asc")) {
    AcceptWord("ascending");
  }
  if (AcceptWord("nulls")) {
    if (AcceptWord("first")) {
      item->nulls = NullsOrder::kFirst;
    } else if (AcceptWord("last")) {
      item->nulls = NullsOrder::kLast;
    } else {
      return Expected("FIRST or LAST");
    }
  }
  if (AcceptWord("collate")) {
    if (!At(TokenKind::kString)) return Expected("a collation name in quotes");
    item->collate = Peek().value;
    ++pos_;
  }
  HOGLET_RETURN_IF_ERROR(Finish(*item));
  return item;
}

StatusOr<std::vector<std::unique_ptr<OrderExpr>>> Parser::OrderExprs() {
  std::vector<std::unique_ptr<OrderExpr>> list;
  do {
    HOGLET_ASSIGN_OR_RETURN(auto item, OrderExprItem());
    list.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  return list;
}

StatusOr<std::unique_ptr<WindowFrameExpr>> Parser::FrameBoundExpr() {
  auto bound = Make<WindowFrameExpr>(Peek().start);
  if (AcceptWord("current")) {
    HOGLET_RETURN_IF_ERROR(ExpectWord("row"));
    bound->type = FrameBound::kCurrentRow;
  } else {
    if (!AcceptWord("unbounded")) {
      HOGLET_ASSIGN_OR_RETURN(bound->value, Expression(kPrecNot));
    }
    if (AcceptWord("preceding")) {
      bound->type = FrameBound::kPreceding;
    } else if (AcceptWord("following")) {
      bound->type = FrameBound::kFollowing;
    } else {
      return Expected("PRECEDING or FOLLOWING");
    }
  }
  HOGLET_RETURN_IF_ERROR(Finish(*bound));
  return bound;
}

StatusOr<std::unique_ptr<WindowExpr>> Parser::WindowSpec() {
  DepthGuard guard(*this);
  HOGLET_RETURN_IF_ERROR(guard.status());
  auto window = Make<WindowExpr>(Peek().start);
  if (AtWord("partition") && AtWord("by", 1)) {
    pos_ += 2;
    HOGLET_ASSIGN_OR_RETURN(window->partition_by, Expressions(false));
  }
  if (AtWord("order") && AtWord("by", 1)) {
    pos_ += 2;
    HOGLET_ASSIGN_OR_RETURN(window->order_by, OrderExprs());
  }
  if (AtWord("rows") || AtWord("range")) {
    window->frame_method = AtWord("rows") ? "ROWS" : "RANGE";
    ++pos_;
    if (AcceptWord("between")) {
      HOGLET_ASSIGN_OR_RETURN(window->frame_start, FrameBoundExpr());
      HOGLET_RETURN_IF_ERROR(ExpectWord("and"));
      HOGLET_ASSIGN_OR_RETURN(window->frame_end, FrameBoundExpr());
    } else {
      HOGLET_ASSIGN_OR_RETURN(window->frame_start, FrameBoundExpr());
    }
  }
  HOGLET_RETURN_IF_ERROR(Finish(*window));
  return window;
}

}  // namespace internal

namespace {

template <typename T, typename Fn>
StatusOr<T> Run(std::string_view text, const ParseOptions& options, Fn run) {
  if (text.size() > options.max_query_bytes) {
    return InvalidArgumentError("the query is " + std::to_string(text.size()) +
                                    " bytes long; at most " +
                                    std::to_string(options.max_query_bytes) + " are accepted",
                                "hogql_too_long");
  }
  HOGLET_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text, options.max_tokens));
  internal::Parser parser(text, std::move(tokens), options);
  return run(parser);
}

}  // namespace

StatusOr<ExprPtr> ParseSelect(std::string_view text, const ParseOptions& options) {
  return Run<ExprPtr>(text, options, [](internal::Parser& p) { return p.WholeSelect(); });
}

StatusOr<ExprPtr> ParseExpr(std::string_view text, const ParseOptions& options) {
  return Run<ExprPtr>(text, options, [](internal::Parser& p) { return p.WholeExpr(); });
}

StatusOr<std::vector<std::unique_ptr<OrderExpr>>> ParseOrderExprList(std::string_view text,
                                                                     const ParseOptions& options) {
  return Run<std::vector<std::unique_ptr<OrderExpr>>>(
      text, options, [](internal::Parser& p) { return p.WholeOrderExprList(); });
}

}  // namespace hoglet::hogql
