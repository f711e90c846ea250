// The parser's primary expressions: literals, parentheses, tuples and arrays, placeholders and
// dictionaries, lambdas, names, function calls, CASE, CAST, INTERVAL and TRIM.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "hogql/keywords.h"
#include "hogql/parser_impl.h"

namespace hoglet::hogql::internal {
namespace {

// "toIntervalDay" for "day" (and YYYY, the other spelling of YEAR).
std::string IntervalFunction(std::string_view unit) {
  std::string name = Lowercase(unit);
  if (name == "yyyy") name = "year";
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return "toInterval" + name;
}

}  // namespace

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

}  // namespace hoglet::hogql::internal
