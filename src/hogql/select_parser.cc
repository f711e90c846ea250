// The SELECT statement rules of the parser (parser_impl.h); expressions are in parser.cc.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "hogql/keywords.h"
#include "hogql/parser_impl.h"

namespace hoglet::hogql::internal {
namespace {

// Words that may follow a table without being its alias (PostHog's implicit table aliases are
// plain names and DATE, FIRST, ID, KEY).
bool IsImplicitTableAlias(const Token& t) {
  if (t.kind == TokenKind::kQuotedWord) return true;
  if (t.kind != TokenKind::kWord) return false;
  if (!IsKeyword(t.text)) return true;
  for (std::string_view k : {"date", "first", "id", "key"}) {
    if (EqualsIgnoreCase(t.text, k)) return true;
  }
  return false;
}

// Words that may follow a column in a SELECT list as its alias, without AS.
bool IsImplicitColumnAlias(const Token& t) {
  if (t.kind == TokenKind::kQuotedWord) return true;
  if (t.kind != TokenKind::kWord) return false;
  if (!IsKeyword(t.text)) return true;
  for (std::string_view k : {"asc", "ascending", "cohort", "date", "descending", "final", "id",
                             "return", "top", "totals"}) {
    if (EqualsIgnoreCase(t.text, k)) return true;
  }
  return false;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

// Words that end a FROM item rather than name a table.
bool IsClauseWord(std::string_view word) {
  for (std::string_view k :
       {"select", "from", "where", "prewhere", "group", "having", "qualify", "window", "order",
        "limit", "offset", "settings", "union", "on", "using", "join", "array"}) {
    if (EqualsIgnoreCase(word, k)) return true;
  }
  return false;
}

bool IsSetOperator(const Token& t) {
  if (t.kind != TokenKind::kWord) return false;
  return EqualsIgnoreCase(t.text, "union") || EqualsIgnoreCase(t.text, "except") ||
         EqualsIgnoreCase(t.text, "intersect");
}

}  // namespace

StatusOr<ExprPtr> Parser::WholeSelect() {
  HOGLET_ASSIGN_OR_RETURN(ExprPtr select, SelectSet());
  Accept(TokenKind::kSemicolon);
  if (!At(TokenKind::kEnd)) {
    HOGLET_RETURN_IF_ERROR(RefuseUnsupportedClause());
    return Expected("the end of the query");
  }
  return select;
}

bool Parser::AtSelect(size_t at) const {
  size_t i = at;
  while (i < tokens_.size() && tokens_[i].kind == TokenKind::kLParen) ++i;
  if (i >= tokens_.size() || tokens_[i].kind != TokenKind::kWord) return false;
  if (!EqualsIgnoreCase(tokens_[i].text, "select") && !EqualsIgnoreCase(tokens_[i].text, "with")) {
    return false;
  }
  if (i == at) return true;
  // `((SELECT …) UNION ALL (SELECT …))`: parentheses around a select that a set operator follows.
  size_t close = MatchingParen(at);
  return close + 1 < tokens_.size() && IsSetOperator(tokens_[close + 1]);
}

StatusOr<ExprPtr> Parser::SelectSet() {
  DepthGuard guard(*this);
  HOGLET_RETURN_IF_ERROR(guard.status());
  uint32_t start = Peek().start;
  HOGLET_ASSIGN_OR_RETURN(ExprPtr initial, SelectWithParens());
  auto set = Make<SelectSetQuery>(start);
  while (IsSetOperator(Peek())) {
    std::string op;
    if (AcceptWord("union")) {
      op = AcceptWord("all") ? "UNION ALL" : (AcceptWord("distinct"), "UNION DISTINCT");
    } else if (AcceptWord("except")) {
      op = AcceptWord("all") ? "EXCEPT ALL" : "EXCEPT";
    } else {
      ++pos_;
      op = AcceptWord("all")        ? "INTERSECT ALL"
           : AcceptWord("distinct") ? "INTERSECT DISTINCT"
                                    : "INTERSECT";
    }
    if (AtWord("by") && AtWord("name", 1)) return ErrorAt(Peek(), "BY NAME is not supported");
    HOGLET_ASSIGN_OR_RETURN(ExprPtr member, SelectWithParens());
    set->subsequent_select_queries.push_back({std::move(op), std::move(member)});
  }
  // ORDER BY / LIMIT after a parenthesised last member apply to the whole set.
  if (AtWord("order") && AtWord("by", 1)) {
    pos_ += 2;
    HOGLET_ASSIGN_OR_RETURN(set->order_by, OrderExprs());
  }
  if (AcceptWord("limit")) {
    HOGLET_ASSIGN_OR_RETURN(set->limit, Expression());
    if (Accept(TokenKind::kComma)) {
      HOGLET_ASSIGN_OR_RETURN(set->offset, Expression());
    }
    if (AtWord("with") && AtWord("ties", 1)) {
      pos_ += 2;
      set->limit_with_ties = true;
    }
    if (!set->offset && AcceptWord("offset")) {
      HOGLET_ASSIGN_OR_RETURN(set->offset, Expression());
    }
  } else if (AcceptWord("offset")) {
    HOGLET_ASSIGN_OR_RETURN(set->offset, Expression());
  }
  bool set_clauses = !set->order_by.empty() || set->limit || set->offset;
  if (set->subsequent_select_queries.empty()) {
    // `(SELECT …) ORDER BY … LIMIT …`: one select; its own clauses take the outer ones when
    // it has none of its own.
    SelectQuery* query =
        initial->kind == ExprKind::kSelectQuery ? &initial->As<SelectQuery>() : nullptr;
    if (!set_clauses) return initial;
    if (query != nullptr && query->order_by.empty() && !query->limit && !query->offset &&
        !query->limit_by) {
      query->order_by = std::move(set->order_by);
      query->limit = std::move(set->limit);
      query->offset = std::move(set->offset);
      query->limit_with_ties = set->limit_with_ties;
      query->start = start;
      HOGLET_RETURN_IF_ERROR(Finish(*query));
      return initial;
    }
  }
  set->initial_select_query = std::move(initial);
  HOGLET_RETURN_IF_ERROR(Finish(*set));
  return ExprPtr(std::move(set));
}

StatusOr<ExprPtr> Parser::SelectWithParens() {
  if (At(TokenKind::kLParen)) {
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr inner, SelectSet());
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
    return inner;
  }
  if (At(TokenKind::kLBrace)) {
    HOGLET_ASSIGN_OR_RETURN(ExprPtr placeholder, BracedExpr());
    if (placeholder->kind != ExprKind::kPlaceholder) {
      return ErrorAtOffset(placeholder->start, "expected a SELECT or a {placeholder}");
    }
    return placeholder;
  }
  return SelectStatement();
}

Status Parser::RefuseUnsupportedClause() {
  const Token& t = Peek();
  if (AtWord("settings")) return ErrorAt(t, "SETTINGS is not supported in HogQL queries");
  if (AtWord("with") && (AtWord("totals", 1) || AtWord("rollup", 1) || AtWord("cube", 1))) {
    return ErrorAt(t, "WITH " + Upper(Peek(1).text) + " is not supported; use GROUP BY " +
                          "ROLLUP(…) or CUBE(…)");
  }
  if (AtWord("pivot") || AtWord("unpivot")) {
    return ErrorAt(t, Upper(t.text) + " is not supported");
  }
  if (AtWord("natural") || AtWord("positional")) {
    return ErrorAt(t, Upper(t.text) + " joins are not supported");
  }
  if (AtWord("using") && AtWord("sample", 1)) {
    return ErrorAt(t, "USING SAMPLE is not supported; use SAMPLE after the table");
  }
  return Status::Ok();
}

StatusOr<ExprPtr> Parser::SelectStatement() {
  DepthGuard guard(*this);
  HOGLET_RETURN_IF_ERROR(guard.status());
  auto query = Make<SelectQuery>(Peek().start);
  if (AtWord("with")) HOGLET_RETURN_IF_ERROR(WithClause(query->ctes));
  for (std::string_view statement : {"insert", "update", "delete", "drop", "alter", "create",
                                     "truncate", "optimize", "rename", "grant", "kill", "system"}) {
    if (pos_ == 0 && AtWord(statement)) {
      return ErrorAt(Peek(), "only SELECT queries can run; found " + Upper(statement));
    }
  }
  HOGLET_RETURN_IF_ERROR(ExpectWord("select"));
  query->distinct = AcceptWord("distinct");
  if (AtWord("top") && At(TokenKind::kInteger, 1)) {
    return ErrorAt(Peek(), "TOP is not supported; use LIMIT");
  }
  HOGLET_RETURN_IF_ERROR(SelectColumns(*query));
  if (AcceptWord("from")) {
    HOGLET_ASSIGN_OR_RETURN(query->select_from, JoinChain());
  }
  HOGLET_RETURN_IF_ERROR(ArrayJoin(*query));
  if (AcceptWord("prewhere")) {
    HOGLET_ASSIGN_OR_RETURN(query->prewhere, Expression());
  }
  if (AcceptWord("where")) {
    HOGLET_ASSIGN_OR_RETURN(query->where, Expression());
  }
  HOGLET_RETURN_IF_ERROR(RefuseUnsupportedClause());
  HOGLET_RETURN_IF_ERROR(GroupBy(*query));
  HOGLET_RETURN_IF_ERROR(RefuseUnsupportedClause());
  if (AcceptWord("having")) {
    HOGLET_ASSIGN_OR_RETURN(query->having, Expression());
  }
  if (AcceptWord("qualify")) {
    HOGLET_ASSIGN_OR_RETURN(query->qualify, Expression());
  }
  HOGLET_RETURN_IF_ERROR(RefuseUnsupportedClause());
  HOGLET_RETURN_IF_ERROR(Windows(*query));
  if (AtWord("order") && AtWord("by", 1)) {
    pos_ += 2;
    HOGLET_ASSIGN_OR_RETURN(query->order_by, OrderExprs());
  }
  HOGLET_RETURN_IF_ERROR(LimitClauses(*query));
  HOGLET_RETURN_IF_ERROR(RefuseUnsupportedClause());
  HOGLET_RETURN_IF_ERROR(Finish(*query));
  return ExprPtr(std::move(query));
}

Status Parser::WithClause(std::vector<std::unique_ptr<Cte>>& ctes) {
  ++pos_;  // WITH
  bool recursive = AcceptWord("recursive");
  while (true) {
    uint32_t start = Peek().start;
    auto cte = Make<Cte>(start);
    cte->recursive = recursive;
    // `name [(a, b)] AS [[NOT] MATERIALIZED] (SELECT …)` or `expr AS name`.
    size_t after_name = 1;
    bool has_columns = false;
    if (AtIdentifier(0) && At(TokenKind::kLParen, 1)) {
      size_t close = MatchingParen(pos_ + 1) - pos_;
      bool names_only = true;
      for (size_t i = 2; i < close; ++i) {
        TokenKind kind = Peek(i).kind;
        bool expected = (i % 2 == 0) ? AtIdentifier(i) : kind == TokenKind::kComma;
        names_only = names_only && expected;
      }
      if (names_only && AtWord("as", close + 1)) {
        has_columns = true;
        after_name = close + 1;
      }
    }
    bool subquery = AtIdentifier(0) && AtWord("as", after_name) &&
                    (At(TokenKind::kLParen, after_name + 1) || AtWord("not", after_name + 1) ||
                     AtWord("materialized", after_name + 1));
    if (subquery) {
      HOGLET_ASSIGN_OR_RETURN(cte->name, Identifier("a name"));
      if (has_columns) {
        ++pos_;
        cte->columns.emplace();
        while (!At(TokenKind::kRParen)) {
          HOGLET_ASSIGN_OR_RETURN(std::string column, Identifier("a column name"));
          cte->columns->push_back(std::move(column));
          Accept(TokenKind::kComma);
        }
        ++pos_;
      }
      ++pos_;  // AS
      if (AcceptWord("not")) {
        HOGLET_RETURN_IF_ERROR(ExpectWord("materialized"));
        cte->materialized = false;
      } else if (AcceptWord("materialized")) {
        cte->materialized = true;
      }
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'(' and a SELECT"));
      HOGLET_ASSIGN_OR_RETURN(cte->expr, SelectSet());
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' closing the WITH subquery"));
      cte->is_subquery = true;
    } else {
      if (AtWord("using") || (AtIdentifier(0) && AtWord("using", 1))) {
        return ErrorAt(Peek(), "WITH … USING KEY is not supported");
      }
      HOGLET_ASSIGN_OR_RETURN(ExprPtr expr, Expression());
      if (expr->kind != ExprKind::kAlias) {
        return ErrorAtOffset(expr->start,
                             "expected 'name AS (SELECT …)' or 'expression AS name' in WITH");
      }
      Alias& alias = expr->As<Alias>();
      cte->name = std::move(alias.alias);
      cte->expr = std::move(alias.expr);
    }
    HOGLET_RETURN_IF_ERROR(Finish(*cte));
    ctes.push_back(std::move(cte));
    if (!Accept(TokenKind::kComma)) break;
    if (AtWord("select")) break;
  }
  return Status::Ok();
}

Status Parser::SelectColumns(SelectQuery& query) {
  while (true) {
    const Token& t = Peek();
    if (AtWord("from")) return Expected("a column");
    ExprPtr column;
    if (AtIdentifier(0) && At(TokenKind::kColon, 1)) {  // `name: expr`
      HOGLET_ASSIGN_OR_RETURN(std::string name, Identifier("a name"));
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(ExprPtr value, Expression());
      auto alias = Make<Alias>(t.start);
      alias->alias = std::move(name);
      alias->expr = std::move(value);
      HOGLET_RETURN_IF_ERROR(Finish(*alias));
      column = std::move(alias);
    } else {
      HOGLET_ASSIGN_OR_RETURN(column, Expression());
    }
    if (IsImplicitColumnAlias(Peek())) {
      auto alias = Make<Alias>(column->start);
      HOGLET_ASSIGN_OR_RETURN(alias->alias, Identifier("an alias"));
      alias->expr = std::move(column);
      HOGLET_RETURN_IF_ERROR(Finish(*alias));
      column = std::move(alias);
    }
    query.select.push_back(std::move(column));
    if (!Accept(TokenKind::kComma)) break;
    // A trailing comma before FROM or the end.
    if (AtWord("from") || At(TokenKind::kEnd) || At(TokenKind::kRParen) ||
        At(TokenKind::kSemicolon)) {
      break;
    }
  }
  return Status::Ok();
}

StatusOr<std::string> Parser::JoinOperator(bool* is_join) {
  *is_join = false;
  size_t save = pos_;
  std::string direction;   // LEFT, RIGHT, FULL, INNER, CROSS
  std::string strictness;  // ANY, ALL, ASOF, SEMI, ANTI
  bool outer = false;
  bool strictness_first = false;
  while (At(TokenKind::kWord)) {
    std::string word;
    for (char c : Peek().text) word += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if ((word == "LEFT" || word == "RIGHT" || word == "FULL" || word == "INNER" ||
         word == "CROSS") &&
        direction.empty()) {
      direction = word;
      strictness_first = !strictness.empty();
    } else if (word == "OUTER" && !outer && direction != "INNER" && direction != "CROSS") {
      outer = true;
    } else if ((word == "ANY" || word == "ALL" || word == "ASOF" || word == "SEMI" ||
                word == "ANTI") &&
               strictness.empty()) {
      strictness = word;
    } else {
      break;
    }
    ++pos_;
  }
  if (!AcceptWord("join")) {
    pos_ = save;
    return std::string();
  }
  *is_join = true;
  if (direction == "CROSS") {
    if (!strictness.empty() || outer) return ErrorAt(tokens_[save], "invalid CROSS JOIN");
    return std::string("CROSS JOIN");
  }
  if (outer && direction.empty()) return ErrorAt(tokens_[save], "OUTER needs LEFT, RIGHT or FULL");
  std::string out;
  if (direction.empty() || direction == "INNER") {
    // PostHog's spelling: strictness first for inner joins ("ANY INNER JOIN").
    if (!strictness.empty())
      out = strictness + " INNER JOIN";
    else
      out = direction.empty() ? "JOIN" : "INNER JOIN";
    (void)strictness_first;
    return out;
  }
  out = direction;
  if (outer) out += " OUTER";
  if (!strictness.empty()) out += " " + strictness;
  return out + " JOIN";
}

StatusOr<std::unique_ptr<JoinExpr>> Parser::JoinChain() {
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<JoinExpr> first, TableItem());
  JoinExpr* last = first.get();
  size_t tables = 1;
  while (last->next_join) {
    last = last->next_join.get();
    ++tables;
  }
  while (true) {
    // The chain is a linked list: as deep a tree as it is long.
    if (tables >= options_.max_depth) {
      return InvalidArgumentError(DescribePosition(text_, Peek().start) +
                                      ": the query joins more than " +
                                      std::to_string(options_.max_depth) + " tables",
                                  "hogql_too_deep");
    }
    HOGLET_RETURN_IF_ERROR(RefuseUnsupportedClause());
    std::string join_type;
    if (Accept(TokenKind::kComma)) {
      join_type = "CROSS JOIN";
    } else {
      bool is_join = false;
      HOGLET_ASSIGN_OR_RETURN(join_type, JoinOperator(&is_join));
      if (!is_join) break;
    }
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<JoinExpr> next, TableItem());
    next->join_type = join_type;
    if (join_type != "CROSS JOIN") {
      uint32_t start = Peek().start;
      if (AcceptWord("on")) {
        auto constraint = Make<JoinConstraint>(start);
        HOGLET_ASSIGN_OR_RETURN(constraint->expr, Expression());
        if (At(TokenKind::kComma)) {
          return ErrorAt(Peek(), "JOIN … ON takes one condition; combine them with AND");
        }
        HOGLET_RETURN_IF_ERROR(Finish(*constraint));
        next->constraint = std::move(constraint);
      } else if (AcceptWord("using")) {
        auto constraint = Make<JoinConstraint>(start);
        constraint->using_ = true;
        bool parens = At(TokenKind::kLParen) && !AtParenLambda();
        uint32_t list_start = Peek().start;
        if (parens) ++pos_;
        HOGLET_ASSIGN_OR_RETURN(hogql::ExprList columns, Expressions(parens));
        if (parens) HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
        if (columns.size() == 1 && !parens) {
          constraint->expr = std::move(columns[0]);
        } else {
          auto tuple = Make<Tuple>(list_start);
          tuple->exprs = std::move(columns);
          HOGLET_RETURN_IF_ERROR(Finish(*tuple));
          constraint->expr = std::move(tuple);
        }
        HOGLET_RETURN_IF_ERROR(Finish(*constraint));
        next->constraint = std::move(constraint);
      }
    }
    HOGLET_RETURN_IF_ERROR(Finish(*next));
    last->next_join = std::move(next);
    while (last->next_join) {
      last = last->next_join.get();
      ++tables;
    }
  }
  // Each table holds the rest of the chain, so heights are set from the last table back.
  std::vector<JoinExpr*> chain;
  for (JoinExpr* j = first.get(); j != nullptr; j = j->next_join.get()) chain.push_back(j);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    uint32_t height = 0;
    ForEachChild(**it, [&](const hogql::Expr& child) { height = std::max(height, child.height); });
    (*it)->height = height + 1;
    HOGLET_RETURN_IF_ERROR(CheckHeight(**it));
  }
  first->end = Prev().end;
  return first;
}

StatusOr<std::unique_ptr<JoinExpr>> Parser::TableItem() {
  DepthGuard guard(*this);
  HOGLET_RETURN_IF_ERROR(guard.status());
  const Token& t = Peek();
  auto join = Make<JoinExpr>(t.start);
  if (At(TokenKind::kLParen)) {
    if (AtSelect(pos_ + 1)) {
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(join->table, SelectSet());
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' closing the subquery"));
    } else if (AtWord("values", 1)) {
      return ErrorAt(Peek(1), "VALUES is not supported");
    } else {  // (a JOIN b ON …)
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<JoinExpr> inner, JoinChain());
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')'"));
      return inner;
    }
  } else if (At(TokenKind::kLBrace)) {
    HOGLET_ASSIGN_OR_RETURN(join->table, BracedExpr());
    if (join->table->kind != ExprKind::kPlaceholder) {
      return ErrorAt(t, "expected a table name, a subquery or a {placeholder}");
    }
  } else if (At(TokenKind::kLt)) {
    return ErrorAt(t, "HogQLX tags are not supported");
  } else {
    if (t.kind == TokenKind::kWord && IsClauseWord(t.text)) return Expected("a table name");
    auto field = Make<Field>(t.start);
    HOGLET_ASSIGN_OR_RETURN(std::string name, Identifier("a table name"));
    field->chain.push_back(std::move(name));
    while (At(TokenKind::kDot) && AtIdentifier(1)) {
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(std::string part, Identifier("a name"));
      field->chain.push_back(std::move(part));
    }
    field->end = Prev().end;
    if (At(TokenKind::kLParen)) {  // a table function: numbers(10)
      if (field->chain.size() > 1) return ErrorAt(Peek(), "a table function has a simple name");
      ++pos_;
      join->table_args.emplace();
      if (!At(TokenKind::kRParen)) {
        HOGLET_ASSIGN_OR_RETURN(*join->table_args, Expressions(true));
      }
      HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
    }
    join->table = std::move(field);
  }
  if (AcceptWord("as")) {
    HOGLET_ASSIGN_OR_RETURN(join->alias, Identifier("a table alias"));
  } else if (IsImplicitTableAlias(Peek()) && !AtWord("final") && !AtWord("sample")) {
    HOGLET_ASSIGN_OR_RETURN(join->alias, Identifier("a table alias"));
  }
  if (!join->alias.empty() && At(TokenKind::kLParen)) {  // t AS x (a, b)
    ++pos_;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(std::string column, Identifier("a column alias"));
      join->column_aliases.push_back(std::move(column));
      if (!Accept(TokenKind::kComma)) break;
    }
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "',' or ')'"));
  }
  join->table_final = AcceptWord("final");
  if (AtWord("sample")) {
    HOGLET_ASSIGN_OR_RETURN(join->sample, Sample());
  }
  HOGLET_RETURN_IF_ERROR(Finish(*join));
  return join;
}

StatusOr<std::unique_ptr<SampleExpr>> Parser::Sample() {
  auto sample = Make<SampleExpr>(Peek().start);
  ++pos_;  // SAMPLE
  HOGLET_ASSIGN_OR_RETURN(sample->sample_value, Ratio());
  if (AcceptWord("offset")) {
    HOGLET_ASSIGN_OR_RETURN(sample->offset_value, Ratio());
  }
  HOGLET_RETURN_IF_ERROR(Finish(*sample));
  return sample;
}

StatusOr<ExprPtr> Parser::Ratio() {
  if (At(TokenKind::kLBrace)) return BracedExpr();
  auto ratio = Make<RatioExpr>(Peek().start);
  auto number = [&]() -> StatusOr<ExprPtr> {
    const Token& t = Peek();
    bool sign = t.kind == TokenKind::kDash || t.kind == TokenKind::kPlus;
    if (sign) ++pos_;
    return NumberLiteral(t.kind == TokenKind::kDash, t.start);
  };
  HOGLET_ASSIGN_OR_RETURN(ratio->left, number());
  if (Accept(TokenKind::kSlash)) {
    HOGLET_ASSIGN_OR_RETURN(ratio->right, number());
  }
  HOGLET_RETURN_IF_ERROR(Finish(*ratio));
  return ExprPtr(std::move(ratio));
}

Status Parser::ArrayJoin(SelectQuery& query) {
  std::string op;
  if (AtWord("array") && AtWord("join", 1)) {
    op = "ARRAY JOIN";
  } else if (AtWord("left") && AtWord("array", 1) && AtWord("join", 2)) {
    op = "LEFT ARRAY JOIN";
  } else if (AtWord("inner") && AtWord("array", 1) && AtWord("join", 2)) {
    op = "INNER ARRAY JOIN";
  } else {
    return Status::Ok();
  }
  pos_ += op == "ARRAY JOIN" ? 2 : 3;
  query.array_join_op = op;
  HOGLET_ASSIGN_OR_RETURN(query.array_join_list, Expressions(true));
  for (const ExprPtr& e : query.array_join_list) {
    if (e->kind != ExprKind::kAlias) {
      return ErrorAtOffset(e->start, "ARRAY JOIN arrays must have an alias: 'arr AS item'");
    }
  }
  return Status::Ok();
}

Status Parser::GroupBy(SelectQuery& query) {
  if (!(AtWord("group") && AtWord("by", 1))) return Status::Ok();
  pos_ += 2;
  if (AtWord("grouping") && AtWord("sets", 1)) {
    return ErrorAt(Peek(), "GROUPING SETS is not supported");
  }
  if (AtWord("all") && !At(TokenKind::kLParen, 1) && !At(TokenKind::kDot, 1)) {
    ++pos_;
    query.group_by_mode = "all";
    return Status::Ok();
  }
  if ((AtWord("rollup") || AtWord("cube")) && At(TokenKind::kLParen, 1)) {
    query.group_by_mode = AtWord("rollup") ? "rollup" : "cube";
    pos_ += 2;
    HOGLET_ASSIGN_OR_RETURN(query.group_by, Expressions(true));
    return Expect(TokenKind::kRParen, "',' or ')'");
  }
  HOGLET_ASSIGN_OR_RETURN(query.group_by, Expressions(true));
  return Status::Ok();
}

Status Parser::Windows(SelectQuery& query) {
  if (!AcceptWord("window")) return Status::Ok();
  do {
    HOGLET_ASSIGN_OR_RETURN(std::string name, Identifier("a window name"));
    HOGLET_RETURN_IF_ERROR(ExpectWord("as"));
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "'('"));
    HOGLET_ASSIGN_OR_RETURN(auto window, WindowSpec());
    HOGLET_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "')' closing the window"));
    query.window_exprs.emplace_back(std::move(name), std::move(window));
  } while (Accept(TokenKind::kComma));
  return Status::Ok();
}

// LIMIT n [(, | OFFSET) m] BY …, then LIMIT a [, b] [WITH TIES] / LIMIT a [WITH TIES] OFFSET b /
// OFFSET b. Like PostHog, `LIMIT a, b` is LIMIT a OFFSET b, but `LIMIT a, b BY x` is ClickHouse's
// offset a, limit b.
Status Parser::LimitClauses(SelectQuery& query) {
  for (int round = 0; round < 2; ++round) {
    if (AtWord("offset")) {
      ++pos_;
      HOGLET_ASSIGN_OR_RETURN(query.offset, Expression());
      return Status::Ok();
    }
    if (!AtWord("limit")) return Status::Ok();
    uint32_t start = Peek().start;
    ++pos_;
    HOGLET_ASSIGN_OR_RETURN(ExprPtr first, Expression());
    ExprPtr second;
    bool comma = false;
    bool with_ties = false;
    if (Accept(TokenKind::kComma)) {
      comma = true;
      HOGLET_ASSIGN_OR_RETURN(second, Expression());
    } else if (AtWord("with") && AtWord("ties", 1)) {
      pos_ += 2;
      with_ties = true;
    }
    if (!second && AcceptWord("offset")) {
      HOGLET_ASSIGN_OR_RETURN(second, Expression());
    } else if (comma && AtWord("with") && AtWord("ties", 1)) {
      pos_ += 2;
      with_ties = true;
    }
    if (AtWord("by") && !with_ties) {
      if (query.limit_by) return ErrorAt(Peek(), "only one LIMIT … BY is allowed");
      ++pos_;
      auto limit_by = Make<LimitBy>(start);
      if (comma) {
        limit_by->n = std::move(second);
        limit_by->offset_value = std::move(first);
      } else {
        limit_by->n = std::move(first);
        limit_by->offset_value = std::move(second);
      }
      HOGLET_ASSIGN_OR_RETURN(limit_by->exprs, Expressions(true));
      HOGLET_RETURN_IF_ERROR(Finish(*limit_by));
      query.limit_by = std::move(limit_by);
      continue;
    }
    if (AtWord("percent")) return ErrorAt(Peek(), "LIMIT … PERCENT is not supported");
    query.limit = std::move(first);
    query.offset = std::move(second);
    query.limit_with_ties = with_ties;
    return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace hoglet::hogql::internal
