// What follows an expression: subscripts, property access, `::` casts and window calls; and the
// ORDER BY items and window specifications built from them.
#include <charconv>
#include <cstdint>
#include <string>
#include <utility>

#include "hogql/keywords.h"
#include "hogql/parser_impl.h"

namespace hoglet::hogql::internal {

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

}  // namespace hoglet::hogql::internal
