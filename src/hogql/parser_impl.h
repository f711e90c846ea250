// The parser's state and grammar rules, shared by parser.cc (tokens, operators), primary_parser.cc
// (primary expressions), postfix_parser.cc (subscripts, ORDER BY items, windows) and
// select_parser.cc (SELECT statements). Not part of the module's interface: use parser.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hogql/ast.h"
#include "hogql/lexer.h"
#include "hogql/parser.h"

namespace hoglet::hogql::internal {

// Binding strength of the operators (parser.h lists them); higher binds tighter.
enum Precedence : int {
  kPrecLowest = 0,
  kPrecAlias = 1,
  kPrecTernary = 2,
  kPrecOr = 3,
  kPrecAnd = 4,
  kPrecNot = 5,
  kPrecBetween = 6,
  kPrecNullish = 7,
  kPrecIsDistinct = 8,
  kPrecIsNull = 9,
  kPrecCompare = 10,
  kPrecAdd = 11,
  kPrecMul = 12,
  kPrecNegate = 13,
};

// ASCII lowercase.
std::string Lowercase(std::string_view text);

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens, const ParseOptions& options)
      : text_(text), tokens_(std::move(tokens)), options_(options) {}

  // Whole-input entry points: each requires the input to end where the construct does.
  StatusOr<ExprPtr> WholeSelect();
  StatusOr<ExprPtr> WholeExpr();
  StatusOr<std::vector<std::unique_ptr<OrderExpr>>> WholeOrderExprList();

 private:
  // --- Tokens (parser.cc) ---
  const Token& Peek(size_t ahead = 0) const;
  const Token& Prev() const { return tokens_[pos_ == 0 ? 0 : pos_ - 1]; }
  bool At(TokenKind kind, size_t ahead = 0) const { return Peek(ahead).kind == kind; }
  // An unquoted word equal to `keyword`, ignoring case.
  bool AtWord(std::string_view keyword, size_t ahead = 0) const;
  bool Accept(TokenKind kind);
  bool AcceptWord(std::string_view keyword);
  Status Expect(TokenKind kind, std::string_view what);
  Status ExpectWord(std::string_view keyword);
  // "line L, column C: expected <what> after '<previous>', found '<current>'".
  Status Expected(std::string_view what) const;
  Status ErrorAt(const Token& token, std::string_view message) const;
  Status ErrorAtOffset(size_t offset, std::string_view message) const;
  // A word usable as a name here: quoted, or unquoted and not reserved.
  bool AtIdentifier(size_t ahead = 0) const;
  StatusOr<std::string> Identifier(std::string_view what);
  // Index of the ')' closing the '(' at token `open`, or the end token.
  size_t MatchingParen(size_t open) const;

  // --- Nodes and bounds (parser.cc) ---
  template <typename T>
  std::unique_ptr<T> Make(uint32_t start) {
    auto node = std::make_unique<T>();
    node->start = start;
    return node;
  }
  // Sets the node's end to the last consumed token and its height from its children; refuses a
  // tree taller than the depth bound.
  Status Finish(Expr& node);
  Status CheckHeight(const Expr& node) const;
  // Counts one level of recursion; refuses past the depth bound.
  class DepthGuard;
  Status Enter();
  void Leave() { --depth_; }

  // --- Expressions (parser.cc, primary_parser.cc, postfix_parser.cc) ---
  StatusOr<ExprPtr> Expression(int min_prec = kPrecLowest);
  StatusOr<ExprList> Expressions(bool allow_trailing_comma);
  StatusOr<ExprPtr> Unary();
  StatusOr<ExprPtr> Primary();
  StatusOr<ExprPtr> Postfix(ExprPtr expr);
  StatusOr<ExprPtr> NumberLiteral(bool negative, uint32_t start);
  StatusOr<ExprPtr> Parenthesized();
  StatusOr<ExprPtr> BracedExpr();
  StatusOr<ExprPtr> WordExpr();
  StatusOr<ExprPtr> FieldOrCall();
  StatusOr<ExprPtr> FunctionCall(std::string name, uint32_t start);
  StatusOr<ExprPtr> CaseExpr();
  StatusOr<ExprPtr> CastExpr(bool try_cast);
  bool CastHasAs() const;
  StatusOr<std::string> ColumnType();
  StatusOr<ExprPtr> IntervalExpr();
  StatusOr<ExprPtr> TrimExpr();
  StatusOr<ExprPtr> LambdaAfterArgs(std::vector<std::string> args, uint32_t start);
  // Whether `ident (, ident)* ,? ->` starts here (a lambda without parentheses).
  bool AtBareLambda();
  bool AtParenLambda() const;
  bool CanStartExpr(size_t ahead) const;
  StatusOr<ExprPtr> Binary(ExprPtr left, int min_prec, bool* stop);
  std::unique_ptr<OrderExpr> OrderItem(ExprPtr expr);
  StatusOr<std::unique_ptr<OrderExpr>> OrderExprItem();
  StatusOr<std::vector<std::unique_ptr<OrderExpr>>> OrderExprs();
  StatusOr<std::unique_ptr<WindowExpr>> WindowSpec();
  StatusOr<std::unique_ptr<WindowFrameExpr>> FrameBoundExpr();

  // --- SELECT (select_parser.cc) ---
  // Whether a SELECT statement (possibly parenthesised, possibly a set) starts at token `at`.
  bool AtSelect(size_t at) const;
  StatusOr<ExprPtr> SelectSet();
  StatusOr<ExprPtr> SelectWithParens();
  StatusOr<ExprPtr> SelectStatement();
  Status WithClause(std::vector<std::unique_ptr<Cte>>& ctes);
  Status SelectColumns(SelectQuery& query);
  StatusOr<std::unique_ptr<JoinExpr>> JoinChain();
  StatusOr<std::unique_ptr<JoinExpr>> TableItem();
  StatusOr<std::string> JoinOperator(bool* is_join);
  StatusOr<std::unique_ptr<SampleExpr>> Sample();
  StatusOr<ExprPtr> Ratio();
  Status ArrayJoin(SelectQuery& query);
  Status GroupBy(SelectQuery& query);
  Status Windows(SelectQuery& query);
  Status LimitClauses(SelectQuery& query);
  Status RefuseUnsupportedClause();

  std::string_view text_;
  std::vector<Token> tokens_;
  const ParseOptions& options_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  // Bare-lambda scans that failed end here: a later identifier before this index cannot start
  // one either, which keeps long argument lists linear.
  size_t no_bare_lambda_before_ = 0;
};

class Parser::DepthGuard {
 public:
  explicit DepthGuard(Parser& parser) : parser_(parser), status_(parser.Enter()) {}
  ~DepthGuard() {
    if (status_.ok()) parser_.Leave();
  }
  const Status& status() const { return status_; }

 private:
  Parser& parser_;
  Status status_;
};

}  // namespace hoglet::hogql::internal
