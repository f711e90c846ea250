// Standard base64 (RFC 4648 §4, alphabet A–Z a–z 0–9 + /, '=' padding).
//
// Example:
//   std::string text = Base64Encode("hi");            // "aGk="
//   std::optional<std::string> raw = Base64Decode(text);  // "hi"
//
// Decoding is strict about the alphabet: any byte outside it (including whitespace, '-' and '_')
// makes the input invalid. Padding may be present or omitted, but a length that cannot come from
// any encoding (4n+1 characters, or '=' anywhere but the end) is invalid. Callers that receive
// base64 through form encoding repair '+' that became ' ' themselves before decoding.
// Pure functions; safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hoglet {

// Padded standard base64 of `data`.
std::string Base64Encode(std::string_view data);

// The bytes `text` encodes, or nullopt when it is not valid standard base64.
std::optional<std::string> Base64Decode(std::string_view text);

// True when `c` is in the standard alphabet or is the '=' padding character.
bool IsBase64Char(char c);

}  // namespace hoglet
