// JSON as PostHog's SDKs send it, rewritten into what a strict parser (simdjson) reads. Outside
// strings:
//  - posthog-js serialises NaN and ±Infinity as bare `NaN`, `Infinity`, `-Infinity` (and
//    `+Infinity`): they become `null`, as PostHog reads them;
//  - with `widen_integers`, integer literals of more than 19 digits (beyond 64 bits, which
//    simdjson refuses) get a ".0" so they read as doubles, as serde_json and Python read them.
#pragma once

#include <string>
#include <string_view>

namespace hoglet {

struct LenientJsonOptions {
  bool widen_integers = false;
};

// Writes the rewritten text to `*out` and returns true; returns false and leaves `*out`
// untouched when there is nothing to rewrite, so the common case copies nothing.
bool RewriteLenientJson(std::string_view json, LenientJsonOptions options, std::string* out);

}  // namespace hoglet
