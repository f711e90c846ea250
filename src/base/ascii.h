// ASCII text helpers for protocol tokens (header names, option values, identifiers): case folding
// and trimming that touch only the ASCII letters and the named blank characters, whatever the
// process locale. Bytes outside ASCII (UTF-8 sequences) are left as they are.
//
// Example:
//   if (EqualsIgnoreAsciiCase(TrimBlanks(value), "https")) ...
#pragma once

#include <string>
#include <string_view>

namespace hoglet {

// Spaces and tabs: the blanks HTTP headers and option values may carry around a token.
inline constexpr std::string_view kBlanks = " \t";
// Every ASCII whitespace character (C's isspace in the "C" locale).
inline constexpr std::string_view kAsciiWhitespace = " \t\n\r\f\v";

// `text` without the leading and trailing characters listed in `chars`; a view into `text`.
std::string_view TrimAscii(std::string_view text, std::string_view chars);
// `text` without leading and trailing spaces and tabs.
inline std::string_view TrimBlanks(std::string_view text) { return TrimAscii(text, kBlanks); }

// Whether `a` and `b` are equal once ASCII letters are folded to lower case.
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);

// `text` with the ASCII letters A-Z folded to a-z.
std::string AsciiLower(std::string_view text);

}  // namespace hoglet
