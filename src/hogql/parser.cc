#include "hogql/parser.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "hogql/keywords.h"
#include "hogql/parser_impl.h"

namespace hoglet::hogql {
namespace internal {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

bool IsNumberToken(TokenKind kind) {
  return kind == TokenKind::kInteger || kind == TokenKind::kHexInteger ||
         kind == TokenKind::kBinInteger || kind == TokenKind::kFloat;
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
