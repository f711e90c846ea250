// How users' passwords are stored: Argon2id (RFC 9106) in the PHC string format, through the
// reference implementation (libargon2).
//
//   $argon2id$v=19$m=19456,t=2,p=1$<salt, base64>$<hash, base64>
//
// Parameters follow OWASP's password storage recommendation for Argon2id: 19 MiB of memory
// (m=19456 KiB), 2 passes (t=2), one lane (p=1); a 16-byte salt from OpenSSL's CSPRNG
// (base/random.h) and a 32-byte hash. The parameters travel inside every encoding, so raising
// them later leaves stored hashes verifiable.
//
// Cost: each HashPassword or VerifyPassword call takes tens of milliseconds of one core and
// 19 MiB of memory. Call them from a worker thread, never from an I/O thread.
//
// Thread safety: both functions may be called from any thread concurrently.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(std::string encoded, HashPassword(password));
//   ... store `encoded`; later:
//   if (!VerifyPassword(attempt, encoded)) return UnauthenticatedError(...);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::meta {

inline constexpr size_t kMinPasswordBytes = 8;
inline constexpr size_t kMaxPasswordBytes = 256;

inline constexpr uint32_t kArgon2TimeCost = 2;           // passes over memory
inline constexpr uint32_t kArgon2MemoryCostKiB = 19456;  // 19 MiB
inline constexpr uint32_t kArgon2Parallelism = 1;        // lanes
inline constexpr size_t kPasswordSaltBytes = 16;
inline constexpr size_t kPasswordHashBytes = 32;

// The largest parameters VerifyPassword accepts in an encoding: far above what HashPassword
// writes, room to raise the defaults later.
inline constexpr uint32_t kMaxVerifyMemoryCostKiB = 1 << 20;  // 1 GiB
inline constexpr uint32_t kMaxVerifyTimeCost = 32;
inline constexpr uint32_t kMaxVerifyParallelism = 8;

// The encoded Argon2id hash of `password` with a fresh random salt, so two calls with the same
// password give different encodings. kInvalidArgument when the password is shorter than
// kMinPasswordBytes or longer than kMaxPasswordBytes (the message gives the limits, never the
// password); kResourceExhausted when the hash's memory cannot be allocated; kInternal for any
// other failure of the library.
StatusOr<std::string> HashPassword(std::string_view password);

// True when `encoded` (a HashPassword result, with any Argon2id parameters) is the hash of
// `password`. The comparison is constant-time. False for a wrong password, for a password
// outside the length limits, and for an encoding that is not a well-formed Argon2id one
// (including other Argon2 variants, other versions than 19 and an empty string). Parameters
// above kMaxVerifyMemoryCostKiB, kMaxVerifyTimeCost or kMaxVerifyParallelism also count as
// malformed, so a tampered row cannot make one login attempt run for minutes or allocate
// gigabytes.
bool VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace hoglet::meta
