#include "filters/value_text.h"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

namespace hoglet::filters {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The next code point of `text` at `*pos`. A malformed sequence yields its first byte mapped
// outside Unicode (so it only equals the same malformed byte) and advances by one.
uint32_t NextCodePoint(std::string_view text, size_t* pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(*pos);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 0;
  if (length == 1) {
    ++*pos;
    return lead;
  }
  if (length == 0 || *pos + length > text.size()) {
    ++*pos;
    return 0x110000u + lead;
  }
  uint32_t cp = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    unsigned char next = byte(*pos + i);
    if ((next & 0xC0) != 0x80) {
      ++*pos;
      return 0x110000u + lead;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  *pos += length;
  return cp;
}

// Simple (one-to-one) lowercase mapping for the common alphabets.
uint32_t LowerCodePoint(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;  // Latin-1 (Ð, Þ included)
  if (cp >= 0x100 && cp <= 0x177) {  // Latin Extended-A: upper/lower pairs
    if (cp == 0x130 || cp == 0x138 || cp == 0x149) return cp;
    bool odd_upper = cp >= 0x139 && cp <= 0x148;
    return (cp % 2 == (odd_upper ? 1u : 0u)) ? cp + 1 : cp;
  }
  if (cp == 0x178) return 0xFF;                                      // Ÿ
  if (cp >= 0x179 && cp <= 0x17E) return cp % 2 == 1 ? cp + 1 : cp;  // Ź Ż Ž
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;     // Greek
  if (cp == 0x386) return 0x3AC;
  if (cp >= 0x388 && cp <= 0x38A) return cp + 37;
  if (cp == 0x38C) return 0x3CC;
  if (cp == 0x38E || cp == 0x38F) return cp + 63;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;  // Cyrillic Ѐ..Џ
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;  // Cyrillic А..Я
  return cp;
}

bool EqualsIgnoreCaseAt(std::string_view text, size_t at, std::string_view needle) {
  for (size_t i = 0; i < needle.size(); ++i) {
    if (AsciiLower(text[at + i]) != AsciiLower(needle[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view TextOf(const PropertyValueRef& value) {
  switch (value.kind) {
    case PropertyValue::Kind::kNull:
      return "null";
    case PropertyValue::Kind::kBool:
      return value.boolean ? "true" : "false";
    case PropertyValue::Kind::kNumber:
    case PropertyValue::Kind::kString:
    case PropertyValue::Kind::kArray:
    case PropertyValue::Kind::kObject:
      return value.text;
  }
  return value.text;
}

std::optional<double> ParseNumberText(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreAsciiCase(body, "inf") || EqualsIgnoreAsciiCase(body, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (EqualsIgnoreAsciiCase(body, "nan")) return std::numeric_limits<double>::quiet_NaN();

  // Validate the decimal grammar first: from_chars accepts forms Rust does not.
  size_t i = 0;
  size_t digits = 0;
  while (i < body.size() && IsDigit(body[i])) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && IsDigit(body[i])) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < body.size() && IsDigit(body[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;

  double value = 0;
  auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (error == std::errc::result_out_of_range) {
    // Rust saturates to infinity or zero; strtod does the same.
    value = std::strtod(std::string(body).c_str(), nullptr);
  } else if (error != std::errc() || end != body.data() + body.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<double> NumberOf(const PropertyValueRef& value) {
  if (value.kind == PropertyValue::Kind::kNumber) return value.number;
  return ParseNumberText(TextOf(value));
}

bool EqualsLowercased(std::string_view a, std::string_view b) {
  size_t i = 0;
  // ASCII fast path; on the first non-ASCII byte both sides are at a code point boundary.
  while (i < a.size() && i < b.size()) {
    char x = a[i];
    char y = b[i];
    if ((x & 0x80) || (y & 0x80)) break;
    if (AsciiLower(x) != AsciiLower(y)) return false;
    ++i;
  }
  size_t j = i;
  while (i < a.size() && j < b.size()) {
    if (LowerCodePoint(NextCodePoint(a, &i)) != LowerCodePoint(NextCodePoint(b, &j))) {
      return false;
    }
  }
  return i == a.size() && j == b.size();
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && EqualsIgnoreCaseAt(a, 0, b);
}

bool ContainsIgnoreAsciiCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  char first = AsciiLower(needle[0]);
  for (size_t at = 0; at + needle.size() <= haystack.size(); ++at) {
    if (AsciiLower(haystack[at]) == first && EqualsIgnoreCaseAt(haystack, at, needle)) {
      return true;
    }
  }
  return false;
}

bool StartsWithIgnoreAsciiCase(std::string_view text, std::string_view prefix) {
  return prefix.size() <= text.size() && EqualsIgnoreCaseAt(text, 0, prefix);
}

bool EndsWithIgnoreAsciiCase(std::string_view text, std::string_view suffix) {
  return suffix.size() <= text.size() &&
         EqualsIgnoreCaseAt(text, text.size() - suffix.size(), suffix);
}

}  // namespace hoglet::filters
