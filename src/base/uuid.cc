#include "base/uuid.h"

#include <openssl/evp.h>

#include <random>

namespace hoglet {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint64_t RandomBits() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

}  // namespace

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xF]);
  }
  return out;
}

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, 36);
  }
  bool hyphenated = text.size() == 36;
  if (!hyphenated && text.size() != 32) return std::nullopt;
  Uuid uuid;
  size_t pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (hyphenated && (i == 4 || i == 6 || i == 8 || i == 10)) {
      if (text[pos] != '-') return std::nullopt;
      ++pos;
    }
    int hi = HexValue(text[pos]);
    int lo = HexValue(text[pos + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    uuid.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    pos += 2;
  }
  return uuid;
}

Uuid Uuid::V7(int64_t unix_micros) {
  Uuid uuid;
  uint64_t millis = static_cast<uint64_t>(unix_micros / 1000);
  for (int i = 0; i < 6; ++i) uuid.bytes[i] = static_cast<uint8_t>(millis >> (40 - 8 * i));
  uint64_t a = RandomBits();
  uint64_t b = RandomBits();
  for (int i = 0; i < 2; ++i) uuid.bytes[6 + i] = static_cast<uint8_t>(a >> (8 * i));
  for (int i = 0; i < 8; ++i) uuid.bytes[8 + i] = static_cast<uint8_t>(b >> (8 * i));
  uuid.bytes[6] = (uuid.bytes[6] & 0x0F) | 0x70;
  uuid.bytes[8] = (uuid.bytes[8] & 0x3F) | 0x80;
  return uuid;
}

Uuid Uuid::V5(const Uuid& name_space, std::string_view name) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, name_space.bytes.data(), name_space.bytes.size());
  EVP_DigestUpdate(ctx, name.data(), name.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_DigestFinal_ex(ctx, digest, &digest_size);
  EVP_MD_CTX_free(ctx);
  Uuid uuid;
  for (int i = 0; i < 16; ++i) uuid.bytes[i] = digest[i];
  uuid.bytes[6] = (uuid.bytes[6] & 0x0F) | 0x50;
  uuid.bytes[8] = (uuid.bytes[8] & 0x3F) | 0x80;
  return uuid;
}

}  // namespace hoglet
