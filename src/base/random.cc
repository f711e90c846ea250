#include "base/random.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace hoglet {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// The largest multiple of 62 that fits in a byte: bytes at or above it are rejected so every
// character is equally likely.
constexpr unsigned kAcceptBelow = 256 / 62 * 62;  // 248

}  // namespace

void SecureRandomBytes(std::span<uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::fprintf(stderr, "fatal: the system random source (OpenSSL RAND_bytes) failed\n");
    std::abort();
  }
}

std::string RandomBase62(size_t length) {
  std::string out;
  out.reserve(length);
  std::array<uint8_t, 64> buffer;
  while (out.size() < length) {
    SecureRandomBytes(buffer);
    for (uint8_t byte : buffer) {
      if (byte >= kAcceptBelow) continue;
      out.push_back(kBase62[byte % 62]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string RandomToken(std::string_view prefix) {
  std::string token(prefix);
  token += RandomBase62(kRandomTokenChars);
  return token;
}

}  // namespace hoglet
