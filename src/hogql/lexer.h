// HogQL's tokens, as PostHog's grammar (HogQLLexer) defines them.
//
// Words are not split into keywords here: HogQL lets almost every keyword be an identifier
// (`SELECT date, left(name, 2) FROM events`), so the parser decides from context what a word is.
// Keywords are matched case-insensitively; identifiers keep their case.
//
// Skipped: whitespace (ASCII and the Unicode spaces), `-- …`, `// …` and `# …` line comments
// (`#` followed by a digit is the positional reference `#2`), and `/* … */` block comments.
//
// Refused with kInvalidArgument and a "line L, column C: …" message: characters outside the
// grammar, unterminated strings, quoted identifiers and comments, unknown string escapes,
// malformed number literals, f'…' template strings and HogQLX tags (`<Sparkline … />`), and more
// than `max_tokens` tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::hogql {

enum class TokenKind {
  kEnd,         // after the last token
  kWord,        // identifier or keyword: [A-Za-z_$][A-Za-z0-9_$]*
  kQuotedWord,  // `…` or "…" identifier; `value` holds it unescaped
  kString,      // '…'; `value` holds it unescaped
  kInteger,     // decimal digits (a leading 0 is still decimal, as in PostHog)
  kHexInteger,  // 0x1F
  kBinInteger,  // 0b101
  kFloat,       // with an exponent (1e5, 1.5e-3, .5e2) or a hex float (0x1.8p1)
  kArrow,       // ->
  kStar,
  kDoubleColon,  // ::
  kColonEquals,  // :=
  kColon,
  kComma,
  kConcat,  // ||
  kDash,
  kDot,
  kEqEq,
  kEq,
  kGtEq,
  kGt,
  kHash,          // # before a digit
  kIRegexSingle,  // ~*
  kIRegexDouble,  // =~*
  kLBrace,
  kLBracket,
  kLParen,
  kLtEq,
  kLt,
  kNotEq,         // != or <>
  kNotIRegex,     // !~*
  kNotRegex,      // !~
  kNullProperty,  // ?.
  kNullish,       // ??
  kPercent,
  kPlus,
  kQuery,        // ?
  kRegexSingle,  // ~
  kRegexDouble,  // =~
  kRBrace,
  kRBracket,
  kRParen,
  kSemicolon,
  kSlash,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  uint32_t start = 0;  // byte offsets into the query
  uint32_t end = 0;
  std::string_view text;  // the source text of the token
  std::string value;      // kString, kQuotedWord: the unescaped text
};

// "line 3, column 14" for a byte offset of `text` (columns count characters, from 1).
std::string DescribePosition(std::string_view text, size_t offset);

// An InvalidArgument error "line L, column C: message" (reason "hogql_syntax_error").
Status SyntaxErrorAt(std::string_view text, size_t offset, std::string_view message);

// Splits `text` into tokens; the last one is kEnd. The tokens point into `text`.
StatusOr<std::vector<Token>> Tokenize(std::string_view text, size_t max_tokens);

}  // namespace hoglet::hogql
