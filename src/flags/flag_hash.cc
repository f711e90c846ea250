#include "flags/flag_hash.h"

// SHA1_Init/Update/Final: see Top60 below.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace hoglet::flags {
namespace {

[[noreturn]] void DigestFailed() {
  // Hashing a buffer in memory has no failure mode other than a broken OpenSSL install.
  std::fprintf(stderr, "fatal: OpenSSL SHA-1 failed\n");
  std::abort();
}

// Hashing runs for every flag of every /flags request. SHA-1's low-level functions work on a
// context on the stack: no allocation and no provider dispatch, unlike EVP_Digest*, which frees
// and reallocates its digest state on every init (about 40% slower here). OpenSSL 3 deprecates
// them only in favour of EVP; the digest is the same.
//
// The top 60 bits of SHA-1(a + b + c + d), i.e. its first 15 hex digits as an integer.
uint64_t Top60(std::string_view a, std::string_view b, std::string_view c, std::string_view d) {
  SHA_CTX ctx;
  unsigned char digest[SHA_DIGEST_LENGTH];
  if (SHA1_Init(&ctx) != 1 || SHA1_Update(&ctx, a.data(), a.size()) != 1 ||
      SHA1_Update(&ctx, b.data(), b.size()) != 1 || SHA1_Update(&ctx, c.data(), c.size()) != 1 ||
      SHA1_Update(&ctx, d.data(), d.size()) != 1 || SHA1_Final(digest, &ctx) != 1) {
    DigestFailed();
  }
  uint64_t top64 = 0;
  for (int i = 0; i < 8; ++i) top64 = (top64 << 8) | digest[i];
  return top64 >> 4;
}

// The 60-bit integer converts to double with round-to-nearest and the divisor 0xFFFFFFFFFFFFFFF
// rounds to 2^60: exactly what Python, JavaScript and Rust compute.
double Scaled(uint64_t top60) {
  return static_cast<double>(top60) / static_cast<double>(0xFFFFFFFFFFFFFFFULL);
}

}  // namespace

double FlagHash(std::string_view key, std::string_view id, std::string_view salt) {
  return Scaled(Top60(key, ".", id, salt));
}

double HoldoutHash(std::string_view id) { return Scaled(Top60("holdout-", id, {}, {})); }

}  // namespace hoglet::flags
