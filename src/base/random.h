// Cryptographically secure random bytes and tokens, from OpenSSL's CSPRNG (RAND_bytes).
//
// Use these for secrets (API tokens, personal API keys, session ids); use a seeded generator
// for anything that only needs to look random. Every function is thread-safe.
//
// Example:
//   std::string token = RandomToken("phc_");  // "phc_" + 43 base62 characters (~256 bits)
//
// Failure of the system's random source cannot be handled meaningfully (a token from a broken
// source is not a secret), so it aborts the process with a message instead of returning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hoglet {

// Fills `out` with random bytes.
void SecureRandomBytes(std::span<uint8_t> out);

// `length` characters drawn uniformly from [0-9A-Za-z] (no modulo bias).
std::string RandomBase62(size_t length);

// Length of the random part of a RandomToken: 43 base62 characters carry 256 bits, as much as
// the 32 random bytes PostHog encodes into its tokens.
inline constexpr size_t kRandomTokenChars = 43;

// `prefix` followed by kRandomTokenChars base62 characters.
std::string RandomToken(std::string_view prefix);

}  // namespace hoglet
