// Repair of lone UTF-16 surrogate escapes in JSON text.
//
// JavaScript strings may hold half of a surrogate pair (a truncated emoji in a console log), and
// JSON.stringify writes it as "\ud83c". Strict JSON parsers reject such escapes; capture must not
// fail the request for them (fixtures invalid_surrogate.json), so before parsing every escape of
// a high surrogate not followed by an escaped low surrogate, and every escaped low surrogate not
// preceded by a high one, is rewritten to "\ufffd" (the replacement character). Properly paired
// escapes and escaped backslashes ("\\ud83c" is text, not an escape) are left alone.
//
// Example:
//   std::string json = R"({"a":"\ud83c!"})";
//   RepairLoneSurrogateEscapes(&json);  // json == R"({"a":"\ufffd!"})", returns true
//
// Pure; safe to call from any thread.
#pragma once

#include <string>

namespace hoglet::capture {

// Rewrites lone surrogate escapes in place; returns true when anything changed. The length of
// the text never changes (each escape is six characters before and after).
bool RepairLoneSurrogateEscapes(std::string* json);

}  // namespace hoglet::capture
