// What a personal API key may do, in PostHog's vocabulary (posthog/scopes.py).
//
// A key carries a list of scopes. Each is either
//   "*"                 everything the key's user may do (keys made without scopes, and every key
//                       stored before scopes existed), or
//   "<object>:<action>" one of PostHog's scope objects ("feature_flag", "query", "person", …) and
//                       "read" or "write", e.g. "feature_flag:read".
// Write implies read: "feature_flag:write" also grants "feature_flag:read".
//
// Every public scope object PostHog accepts is valid here, including objects of products Hoglet
// does not serve yet (a key made for PostHog's tooling keeps its scopes); PostHog's internal,
// server-minted objects are not.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(auto scopes, NormalizeScopes({"feature_flag:write", "query:read"}));
//   ScopesAllow(scopes, "feature_flag", ScopeAction::kRead);  // true: write implies read
//   ScopesAllow(scopes, "person", ScopeAction::kRead);        // false
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::meta {

inline constexpr std::string_view kFullAccessScope = "*";
// Bound on what a client may store: PostHog has about 110 public objects, two actions each.
inline constexpr size_t kMaxScopesPerKey = 256;

enum class ScopeAction { kRead, kWrite };

// "read" or "write".
std::string_view ScopeActionName(ScopeAction action);

// True when `object` is one of PostHog's public scope objects.
bool IsScopeObject(std::string_view object);

// OK when `scope` is "*" or "<object>:<action>" with a known object and action "read" or
// "write". Otherwise kInvalidArgument, reason "invalid_scope", whose message names the scope and
// what is wrong with it.
Status ValidateScope(std::string_view scope);

// A key's scope list as it is stored: every entry valid (else ValidateScope's error), duplicates
// dropped, order kept. kInvalidArgument, reason "invalid_scope", when the list is empty (a key
// that may do nothing is a mistake; ["*"] is full access) or longer than kMaxScopesPerKey.
StatusOr<std::vector<std::string>> NormalizeScopes(std::vector<std::string> scopes);

// True when `scopes` grant `action` on `object`: "*", "<object>:<action>", or for a read also
// "<object>:write".
bool ScopesAllow(std::span<const std::string> scopes, std::string_view object, ScopeAction action);

// "feature_flag:read".
std::string ScopeName(std::string_view object, ScopeAction action);

// The stored form: the scopes joined by single spaces (a scope never contains whitespace), and
// back. ParseStoredScopes does not validate.
std::string JoinScopes(std::span<const std::string> scopes);
std::vector<std::string> ParseStoredScopes(std::string_view stored);

}  // namespace hoglet::meta
