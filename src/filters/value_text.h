// PostHog's coercions of property values for matching (capture-and-flags §3.5): a value's text
// (a string is itself, anything else its compact JSON), its number (a JSON number, or a string
// in Rust's f64 syntax), and the case-insensitive comparisons the string operators use. Private
// to filters/; used by property_match.cc. Nothing here allocates.
//
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "filters/property_value.h"

namespace hoglet::filters {

// PropertyValue::ToText() as a view into `value` (or a literal for null and booleans).
std::string_view TextOf(const PropertyValueRef& value);

// Rust's `str::parse::<f64>`: an optional sign, then digits with an optional fraction and
// exponent (".5" and "5." included), or "inf", "infinity", "nan" in any case. No whitespace.
std::optional<double> ParseNumberText(std::string_view text);

// A JSON number as is; any other value's text through ParseNumberText.
std::optional<double> NumberOf(const PropertyValueRef& value);

// Equality after lowercasing both sides: ASCII letters plus the single-code-point case pairs
// of Latin-1, Latin Extended-A, Greek and Cyrillic (the server lowercases with Unicode rules;
// rarer letters compare case-sensitively here).
bool EqualsLowercased(std::string_view a, std::string_view b);

// ASCII-case-insensitive comparisons, as the server's icontains / starts_with / ends_with.
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);
bool ContainsIgnoreAsciiCase(std::string_view haystack, std::string_view needle);
bool StartsWithIgnoreAsciiCase(std::string_view text, std::string_view prefix);
bool EndsWithIgnoreAsciiCase(std::string_view text, std::string_view suffix);

}  // namespace hoglet::filters
