// URL pieces: percent-decoding and query strings (application/x-www-form-urlencoded rules).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoglet {

// Decodes %XX escapes; with `plus_as_space` also '+' → ' ' (form encoding). Malformed escapes
// are kept literally, as browsers do.
std::string PercentDecode(std::string_view text, bool plus_as_space);

// Encodes everything but unreserved characters (RFC 3986) as %XX.
std::string PercentEncode(std::string_view text);

// "a=1&b=x%20y&c" → {{"a","1"},{"b","x y"},{"c",""}} in order, duplicates kept.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
QueryParams ParseQueryString(std::string_view query);

// The first value of `key`, if present.
std::optional<std::string> QueryParam(const QueryParams& params, std::string_view key);

}  // namespace hoglet
