// distinct_id normalisation (capture-and-flags §1.3).
//
// Strings are used as they are; numbers, booleans, arrays and objects become their compact JSON
// text, with object keys sorted (23 → "23", {"string":"a","number":3} →
// {"number":3,"string":"a"}). Then NUL characters become U+FFFD and the result is cut to at most
// 200 characters (Unicode code points, not bytes), as PostHog's capture does; the caller is told
// the length before the cut so that the cut is not silent. null, "" and whitespace-only strings
// count as missing, which the caller answers with 400 "missing_distinct_id".
//
// Example:
//   std::optional<std::string> id = NormalizeDistinctId(element);  // element: parsed JSON value
//
// Pure; safe to call from any thread.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hoglet::capture {

inline constexpr size_t kMaxDistinctIdChars = 200;

// The normalised distinct_id of a JSON value, or nullopt when it counts as missing. `*chars`,
// when given, receives the id's length in characters before the cut.
std::optional<std::string> NormalizeDistinctId(simdjson::dom::element value,
                                               size_t* chars = nullptr);

// Compact JSON of `value` with the keys of every object sorted bytewise.
std::string CanonicalJson(simdjson::dom::element value);

// NUL → U+FFFD, then truncation to kMaxDistinctIdChars code points. `text` is valid UTF-8.
// `*chars`, when given, receives the length of `text` in code points.
std::string CleanDistinctId(std::string_view text, size_t* chars = nullptr);

}  // namespace hoglet::capture
