#include "hogql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hoglet::hogql {
namespace {

std::vector<TokenKind> Kinds(std::string_view text) {
  auto tokens = Tokenize(text, 1000);
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  std::vector<TokenKind> kinds;
  if (!tokens.ok()) return kinds;
  for (const Token& t : *tokens) kinds.push_back(t.kind);
  return kinds;
}

std::string Error(std::string_view text) {
  auto tokens = Tokenize(text, 1000);
  EXPECT_FALSE(tokens.ok());
  if (tokens.ok()) return "";
  EXPECT_EQ(tokens.status().code(), StatusCode::kInvalidArgument);
  return tokens.status().message();
}

TEST(Tokenize, SplitsOperatorsByLongestMatch) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("a=~*b"), (std::vector<K>{K::kWord, K::kIRegexDouble, K::kWord, K::kEnd}));
  EXPECT_EQ(Kinds("a!~*b !~ c"),
            (std::vector<K>{K::kWord, K::kNotIRegex, K::kWord, K::kNotRegex, K::kWord, K::kEnd}));
  EXPECT_EQ(Kinds("a<>b<=c::d"), (std::vector<K>{K::kWord, K::kNotEq, K::kWord, K::kLtEq, K::kWord,
                                                 K::kDoubleColon, K::kWord, K::kEnd}));
  EXPECT_EQ(Kinds("x?.y??z?w"), (std::vector<K>{K::kWord, K::kNullProperty, K::kWord, K::kNullish,
                                                K::kWord, K::kQuery, K::kWord, K::kEnd}));
  EXPECT_EQ(Kinds("x->y||z:=1"), (std::vector<K>{K::kWord, K::kArrow, K::kWord, K::kConcat,
                                                 K::kWord, K::kColonEquals, K::kInteger, K::kEnd}));
}

TEST(Tokenize, ReadsNumbersAsPostHogsLexerDoes) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("1e5 1.5e-3 .5e2 0x1.8p1"),
            (std::vector<K>{K::kFloat, K::kFloat, K::kFloat, K::kFloat, K::kEnd}));
  // A plain 1.5 is INTEGER DOT INTEGER, so that `t.1.2` stays two tuple accesses.
  EXPECT_EQ(Kinds("1.5"), (std::vector<K>{K::kInteger, K::kDot, K::kInteger, K::kEnd}));
  EXPECT_EQ(Kinds("0x1F 0b101 0777"),
            (std::vector<K>{K::kHexInteger, K::kBinInteger, K::kInteger, K::kEnd}));
  EXPECT_EQ(Kinds("1e"), (std::vector<K>{K::kInteger, K::kWord, K::kEnd}));
  EXPECT_EQ(Error("select 0b12"),
            "line 1, column 8: malformed binary literal '0b12': only the digits 0 and 1 may "
            "follow 0b");
  // A digit after the first one that is not binary ends the literal too (it once looped).
  EXPECT_EQ(Error("select 0b181"),
            "line 1, column 8: malformed binary literal '0b181': only the digits 0 and 1 may "
            "follow 0b");
  EXPECT_EQ(Error("select 0o17"),
            "line 1, column 8: octal literals (0o…) are not supported; write the number in "
            "decimal");
}

TEST(Tokenize, UnescapesStringsAndQuotedNames) {
  auto tokens = Tokenize(R"('it''s' 'a\'b\n\t\\' `we``ird` "x""y" '\x41' 'a\0b')", 100);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ((*tokens)[0].value, "it's");
  EXPECT_EQ((*tokens)[1].value, "a'b\n\t\\");
  EXPECT_EQ((*tokens)[2].kind, TokenKind::kQuotedWord);
  EXPECT_EQ((*tokens)[2].value, "we`ird");
  EXPECT_EQ((*tokens)[3].value, "x\"y");
  EXPECT_EQ((*tokens)[4].value, "\\x41");  // kept as written, as PostHog does
  EXPECT_EQ((*tokens)[5].value, "ab");     // \0 is dropped, as PostHog does
  EXPECT_EQ(Error("'\\q'"), "line 1, column 2: unknown escape '\\q'; write '\\\\' for a backslash");
}

TEST(Tokenize, SkipsCommentsAndUnicodeSpaces) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("a -- x\n// y\n# z\n#!w\n/* multi\nline */ b"),
            (std::vector<K>{K::kWord, K::kWord, K::kEnd}));
  EXPECT_EQ(Kinds("a\u00a0b\u3000c\ufeff"),
            (std::vector<K>{K::kWord, K::kWord, K::kWord, K::kEnd}));
  EXPECT_EQ(Kinds("#2"), (std::vector<K>{K::kHash, K::kInteger, K::kEnd}));
}

TEST(Tokenize, NamesLineAndColumnOfErrors) {
  EXPECT_EQ(Error("select 1\nfrom t where x & y"), "line 2, column 16: unexpected character '&'");
  // Columns count characters, not bytes.
  EXPECT_EQ(Error("'é' ^"), "line 1, column 5: unexpected character '^'");
  EXPECT_EQ(Error("select 'abc"), "line 1, column 8: unterminated string: ' has no closing '");
  EXPECT_EQ(Error("a /* b"), "line 1, column 3: unterminated comment: '/*' has no closing '*/'");
  EXPECT_EQ(Error("a \x01"), "line 1, column 3: unexpected character U+0001");
  EXPECT_EQ(Error("a € b"), "line 1, column 3: unexpected character '€' (U+20AC)");
}

TEST(Tokenize, RefusesTemplateStringsAndTags) {
  EXPECT_EQ(Error("select f'{x}'"),
            "line 1, column 8: template strings (f'…') are not supported in HogQL queries");
  EXPECT_EQ(Error("select <Sparkline data={x} />"),
            "line 1, column 8: HogQLX tags (<tag …>) are not supported; for a comparison, put a "
            "space after '<'");
  EXPECT_TRUE(Tokenize("a<b", 10).ok());
  EXPECT_TRUE(Tokenize("a < b and c", 10).ok());
}

TEST(Tokenize, BoundsTheNumberOfTokens) {
  EXPECT_TRUE(Tokenize("1, 2, 3", 5).ok());
  auto tokens = Tokenize("1, 2, 3, 4", 5);
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tokens.status().reason(), "hogql_too_many_tokens");
}

TEST(DescribePosition, CountsLinesAndCharacters) {
  EXPECT_EQ(DescribePosition("abc", 0), "line 1, column 1");
  EXPECT_EQ(DescribePosition("a\nbc", 3), "line 2, column 2");
  EXPECT_EQ(DescribePosition("éé x", 5), "line 1, column 4");
  EXPECT_EQ(DescribePosition("ab", 99), "line 1, column 3");
}

}  // namespace
}  // namespace hoglet::hogql
