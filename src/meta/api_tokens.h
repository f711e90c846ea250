// The shapes of Hoglet's credentials and how they are made, checked, hashed and masked.
//
//   phc_…  project API token (public; capture)          stored as is
//   phs_…  project secret token                         stored as is
//   phx_…  personal API key (a user's; query API)       stored as SHA-256 hex, plus a mask
//
// Generated values are the prefix and 43 base62 characters (256 random bits). Values given by
// an operator (HOGLET_INIT_PROJECT_TOKEN, HOGLET_INIT_PERSONAL_API_KEY) must have the right
// prefix and be 8 to 64 characters from [A-Za-z0-9_] in total.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::meta {

inline constexpr std::string_view kProjectTokenPrefix = "phc_";
inline constexpr std::string_view kSecretTokenPrefix = "phs_";
inline constexpr std::string_view kPersonalApiKeyPrefix = "phx_";

inline constexpr size_t kMinTokenLength = 8;
inline constexpr size_t kMaxTokenLength = 64;

// A fresh random credential with `prefix`.
std::string GenerateToken(std::string_view prefix);

// OK when `token` starts with `prefix` and has the allowed length and characters; otherwise
// kInvalidArgument whose message names `what` (e.g. "project token") and the rule.
Status ValidateToken(std::string_view token, std::string_view prefix, std::string_view what);

// What is stored instead of a personal API key: lower-case SHA-256 hex of the plain value.
std::string HashPersonalApiKey(std::string_view plain_key);

// "phx_...wxyz": the prefix and last four characters, to tell keys apart in a list.
std::string MaskPersonalApiKey(std::string_view plain_key);

}  // namespace hoglet::meta
