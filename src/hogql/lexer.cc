#include "hogql/lexer.h"

#include <cstdio>
#include <string>

namespace hoglet::hogql {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsWordStart(char c) { return IsLetter(c) || c == '_' || c == '$'; }
bool IsWordChar(char c) { return IsWordStart(c) || IsDigit(c); }
bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The byte length of the Unicode white space at `pos` (PostHog's lexer treats the whole Unicode
// White_Space set and the byte-order mark as spaces), or 0.
size_t UnicodeSpaceLength(std::string_view s, size_t pos) {
  auto byte = [&](size_t i) -> unsigned char {
    return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) : 0;
  };
  unsigned char b0 = byte(0);
  if (b0 == 0xC2 && (byte(1) == 0x85 || byte(1) == 0xA0)) return 2;  // U+0085, U+00A0
  if (b0 == 0xE1 && byte(1) == 0x9A && byte(2) == 0x80) return 3;    // U+1680
  if (b0 == 0xE2 && byte(1) == 0x80) {
    unsigned char b2 = byte(2);
    if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) return 3;
  }
  if (b0 == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F) return 3;  // U+205F
  if (b0 == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80) return 3;  // U+3000
  if (b0 == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) return 3;  // U+FEFF
  return 0;
}

// The character at `pos` for an error message: itself if printable, U+XXXX otherwise.
std::string DescribeChar(std::string_view s, size_t pos) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c >= 0x21 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  uint32_t code = c;
  size_t len = 1;
  if (c >= 0xC0 && c < 0xE0) {
    code = c & 0x1F;
    len = 2;
  } else if (c >= 0xE0 && c < 0xF0) {
    code = c & 0x0F;
    len = 3;
  } else if (c >= 0xF0 && c < 0xF8) {
    code = c & 0x07;
    len = 4;
  }
  if (len > 1 && pos + len <= s.size()) {
    for (size_t i = 1; i < len; ++i) code = (code << 6) | (s[pos + i] & 0x3F);
    std::string out = "'" + std::string(s.substr(pos, len)) + "' ";
    char buf[16];
    std::snprintf(buf, sizeof buf, "(U+%04X)", code);
    return out + buf;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", code);
  return buf;
}

class Lexer {
 public:
  Lexer(std::string_view text, size_t max_tokens) : s_(text), max_tokens_(max_tokens) {}

  StatusOr<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      HOGLET_RETURN_IF_ERROR(SkipSpaceAndComments());
      if (pos_ >= s_.size()) break;
      if (tokens.size() >= max_tokens_) {
        return InvalidArgumentError("the query has more than " + std::to_string(max_tokens_) +
                                        " tokens; split it or shorten IN lists",
                                    "hogql_too_many_tokens");
      }
      Token token;
      token.start = static_cast<uint32_t>(pos_);
      HOGLET_RETURN_IF_ERROR(Next(token));
      token.end = static_cast<uint32_t>(pos_);
      token.text = s_.substr(token.start, token.end - token.start);
      tokens.push_back(std::move(token));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.start = end.end = static_cast<uint32_t>(s_.size());
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  char At(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  Status Error(size_t offset, std::string_view message) const {
    return SyntaxErrorAt(s_, offset, message);
  }

  void SkipToEndOfLine() {
    while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
  }

  Status SkipSpaceAndComments() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (IsAsciiSpace(c)) {
        ++pos_;
      } else if (size_t n = UnicodeSpaceLength(s_, pos_); n > 0) {
        pos_ += n;
      } else if ((c == '-' && At(pos_ + 1) == '-') || (c == '/' && At(pos_ + 1) == '/')) {
        SkipToEndOfLine();
      } else if (c == '#' && !IsDigit(At(pos_ + 1))) {
        SkipToEndOfLine();
      } else if (c == '/' && At(pos_ + 1) == '*') {
        size_t close = s_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) {
          return Error(pos_, "unterminated comment: '/*' has no closing '*/'");
        }
        pos_ = close + 2;
      } else {
        break;
      }
    }
    return Status::Ok();
  }

  // PostHog's lexer reads `<name` as the start of a HogQLX tag when the name is followed by '>',
  // '/', or by space and then a name or '>' / '/'.
  bool IsOpeningTag() const {
    size_t i = pos_ + 1;
    if (!IsLetter(At(i)) && At(i) != '_') return false;
    while (IsWordChar(At(i)) || At(i) == '-') ++i;
    char c = At(i);
    if (c == '>' || c == '/') return true;
    if (!IsAsciiSpace(c)) return false;
    while (true) {
      while (IsAsciiSpace(At(i))) ++i;
      if ((At(i) == '-' && At(i + 1) == '-') || (At(i) == '/' && At(i + 1) == '/') ||
          At(i) == '#') {
        while (i < s_.size() && s_[i] != '\n' && s_[i] != '\r') ++i;
        continue;
      }
      break;
    }
    c = At(i);
    return IsLetter(c) || IsDigit(c) || c == '_' || c == '>' || c == '/';
  }

  Status Next(Token& t) {
    char c = s_[pos_];
    if (IsWordStart(c)) {
      if ((c == 'f' || c == 'F') && At(pos_ + 1) == '\'') {
        return Error(pos_, "template strings (f'…') are not supported in HogQL queries");
      }
      while (IsWordChar(At(pos_))) ++pos_;
      t.kind = TokenKind::kWord;
      return Status::Ok();
    }
    if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)))) return Number(t);
    if (c == '\'') return Quoted(t, '\'', TokenKind::kString);
    if (c == '`' || c == '"') return Quoted(t, c, TokenKind::kQuotedWord);
    return Punctuation(t);
  }

  // Length of an exponent `e[+-]digits` / `p[+-]digits` at `i`, or 0.
  size_t ExponentLength(size_t i, char lower) const {
    char c = At(i);
    if (c != lower && c != lower - 'a' + 'A') return 0;
    size_t j = i + 1;
    if (At(j) == '+' || At(j) == '-') ++j;
    if (!IsDigit(At(j))) return 0;
    while (IsDigit(At(j))) ++j;
    return j - i;
  }

  Status Number(Token& t) {
    size_t start = pos_;
    if (s_[pos_] == '.') {  // .5e3 (a bare .5 is DOT INTEGER: the parser joins them)
      size_t j = pos_ + 1;
      while (IsDigit(At(j))) ++j;
      if (size_t e = ExponentLength(j, 'e'); e > 0) {
        pos_ = j + e;
        t.kind = TokenKind::kFloat;
      } else {
        pos_ += 1;
        t.kind = TokenKind::kDot;
      }
      return Status::Ok();
    }
    char next = At(pos_ + 1);
    if (s_[pos_] == '0' && (next == 'x' || next == 'X') && IsHexDigit(At(pos_ + 2))) {
      size_t j = pos_ + 2;
      while (IsHexDigit(At(j))) ++j;
      if (At(j) == '.') {
        size_t k = j + 1;
        while (IsHexDigit(At(k))) ++k;
        if (size_t e = ExponentLength(k, 'p'); e > 0) {
          pos_ = k + e;
          t.kind = TokenKind::kFloat;
          return Status::Ok();
        }
      } else if (size_t e = ExponentLength(j, 'p'); e > 0) {
        pos_ = j + e;
        t.kind = TokenKind::kFloat;
        return Status::Ok();
      }
      pos_ = j;
      t.kind = TokenKind::kHexInteger;
      return Status::Ok();
    }
    if (s_[pos_] == '0' && (next == 'b' || next == 'B') && IsDigit(At(pos_ + 2))) {
      size_t j = pos_ + 2;
      bool binary = true;
      for (; IsDigit(At(j)); ++j) binary = binary && s_[j] <= '1';
      if (!binary) {
        return Error(start, "malformed binary literal '" +
                                std::string(s_.substr(start, j - start)) +
                                "': only the digits 0 and 1 may follow 0b");
      }
      pos_ = j;
      t.kind = TokenKind::kBinInteger;
      return Status::Ok();
    }
    if (s_[pos_] == '0' && (next == 'o' || next == 'O') && IsDigit(At(pos_ + 2))) {
      return Error(start, "octal literals (0o…) are not supported; write the number in decimal");
    }
    size_t j = pos_;
    while (IsDigit(At(j))) ++j;
    if (At(j) == '.') {
      size_t k = j + 1;
      while (IsDigit(At(k))) ++k;
      if (size_t e = ExponentLength(k, 'e'); e > 0) {
        pos_ = k + e;
        t.kind = TokenKind::kFloat;
        return Status::Ok();
      }
    } else if (size_t e = ExponentLength(j, 'e'); e > 0) {
      pos_ = j + e;
      t.kind = TokenKind::kFloat;
      return Status::Ok();
    }
    pos_ = j;
    t.kind = TokenKind::kInteger;
    return Status::Ok();
  }

  // '…' strings and `…` / "…" identifiers. Escapes are ClickHouse's (\b \f \r \n \t \0 \a \v,
  // a backslash, \xHH) and an escaped or doubled quote. Like PostHog, \xHH is kept as written and
  // \0 is dropped.
  Status Quoted(Token& t, char quote, TokenKind kind) {
    size_t start = pos_;
    ++pos_;
    std::string value;
    while (true) {
      if (pos_ >= s_.size()) {
        const char* what = kind == TokenKind::kString ? "string" : "quoted identifier";
        return Error(
            start, std::string("unterminated ") + what + ": " + quote + " has no closing " + quote);
      }
      char c = s_[pos_];
      if (c == quote) {
        if (At(pos_ + 1) == quote) {
          value += quote;
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c != '\\') {
        value += c;
        ++pos_;
        continue;
      }
      char e = At(pos_ + 1);
      switch (e) {
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case 'r':
          value += '\r';
          break;
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'a':
          value += '\a';
          break;
        case 'v':
          value += '\v';
          break;
        case '0':
          break;
        case '\\':
          value += '\\';
          break;
        case 'x':
        case 'X':
          if (!IsHexDigit(At(pos_ + 2)) || !IsHexDigit(At(pos_ + 3))) {
            return Error(pos_, "'\\x' must be followed by two hexadecimal digits");
          }
          value.append(s_.substr(pos_, 4));
          pos_ += 4;
          continue;
        default:
          if (e == quote || (e == '\'' && quote == '`')) {
            value += e;
            break;
          }
          if (pos_ + 1 >= s_.size()) {
            const char* what = kind == TokenKind::kString ? "string" : "quoted identifier";
            return Error(start, std::string("unterminated ") + what + ": " + quote +
                                    " has no closing " + quote);
          }
          return Error(
              pos_, "unknown escape '\\" + std::string(1, e) + "'; write '\\\\' for a backslash");
      }
      pos_ += 2;
    }
    t.kind = kind;
    t.value = std::move(value);
    return Status::Ok();
  }

  Status Punctuation(Token& t) {
    char c = s_[pos_];
    char n = At(pos_ + 1);
    char n2 = At(pos_ + 2);
    auto take = [&](TokenKind kind, size_t len) {
      t.kind = kind;
      pos_ += len;
      return Status::Ok();
    };
    switch (c) {
      case '-':
        return n == '>' ? take(TokenKind::kArrow, 2) : take(TokenKind::kDash, 1);
      case '*':
        return take(TokenKind::kStar, 1);
      case ':':
        if (n == ':') return take(TokenKind::kDoubleColon, 2);
        if (n == '=') return take(TokenKind::kColonEquals, 2);
        return take(TokenKind::kColon, 1);
      case ',':
        return take(TokenKind::kComma, 1);
      case '|':
        if (n == '|') return take(TokenKind::kConcat, 2);
        break;
      case '.':
        return take(TokenKind::kDot, 1);
      case '=':
        if (n == '=') return take(TokenKind::kEqEq, 2);
        if (n == '~') {
          return n2 == '*' ? take(TokenKind::kIRegexDouble, 3) : take(TokenKind::kRegexDouble, 2);
        }
        return take(TokenKind::kEq, 1);
      case '>':
        return n == '=' ? take(TokenKind::kGtEq, 2) : take(TokenKind::kGt, 1);
      case '#':
        return take(TokenKind::kHash, 1);
      case '~':
        return n == '*' ? take(TokenKind::kIRegexSingle, 2) : take(TokenKind::kRegexSingle, 1);
      case '{':
        return take(TokenKind::kLBrace, 1);
      case '[':
        return take(TokenKind::kLBracket, 1);
      case '(':
        return take(TokenKind::kLParen, 1);
      case '<':
        if (n == '=') return take(TokenKind::kLtEq, 2);
        if (n == '>') return take(TokenKind::kNotEq, 2);
        if (n == '/' || IsOpeningTag()) {
          return Error(pos_,
                       "HogQLX tags (<tag …>) are not supported; for a comparison, put a space "
                       "after '<'");
        }
        return take(TokenKind::kLt, 1);
      case '!':
        if (n == '=') return take(TokenKind::kNotEq, 2);
        if (n == '~') {
          return n2 == '*' ? take(TokenKind::kNotIRegex, 3) : take(TokenKind::kNotRegex, 2);
        }
        return Error(pos_, "unexpected character '!'; use NOT, != or !~");
      case '?':
        if (n == '.') return take(TokenKind::kNullProperty, 2);
        if (n == '?') return take(TokenKind::kNullish, 2);
        return take(TokenKind::kQuery, 1);
      case '%':
        return take(TokenKind::kPercent, 1);
      case '+':
        return take(TokenKind::kPlus, 1);
      case '}':
        return take(TokenKind::kRBrace, 1);
      case ']':
        return take(TokenKind::kRBracket, 1);
      case ')':
        return take(TokenKind::kRParen, 1);
      case ';':
        return take(TokenKind::kSemicolon, 1);
      case '/':
        return take(TokenKind::kSlash, 1);
      default:
        break;
    }
    return Error(pos_, "unexpected character " + DescribeChar(s_, pos_));
  }

  std::string_view s_;
  size_t max_tokens_;
  size_t pos_ = 0;
};

}  // namespace

std::string DescribePosition(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  size_t column = 1;
  for (size_t i = line_start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Status SyntaxErrorAt(std::string_view text, size_t offset, std::string_view message) {
  return InvalidArgumentError(DescribePosition(text, offset) + ": " + std::string(message),
                              "hogql_syntax_error");
}

StatusOr<std::vector<Token>> Tokenize(std::string_view text, size_t max_tokens) {
  return Lexer(text, max_tokens).Run();
}

}  // namespace hoglet::hogql
