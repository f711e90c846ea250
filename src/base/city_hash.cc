#include "base/city_hash.h"

#include <cstring>
#include <utility>

namespace hoglet {
namespace {

using Pair = std::pair<uint64_t, uint64_t>;  // (low, high)

constexpr uint64_t kK0 = 0xc3a5c85c97cb3127ULL;
constexpr uint64_t kK1 = 0xb492b66fbe98f273ULL;
constexpr uint64_t kK2 = 0x9ae16a3b2f90404fULL;
constexpr uint64_t kK3 = 0xc949d7c7509e6557ULL;
constexpr uint64_t kMul = 0x9ddfea08eb382d69ULL;

// Little-endian loads (the hash is defined on little-endian words; every target here is one).
uint64_t Load64(const char* p) {
  uint64_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

uint64_t Load32(const char* p) {
  uint32_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

uint64_t RotateRight(uint64_t value, int shift) {
  return shift == 0 ? value : (value >> shift) | (value << (64 - shift));
}

uint64_t ShiftMix(uint64_t value) { return value ^ (value >> 47); }

// Folds two words into one (Murmur-style).
uint64_t Mix16(uint64_t low, uint64_t high) {
  uint64_t a = (low ^ high) * kMul;
  a ^= a >> 47;
  uint64_t b = (high ^ a) * kMul;
  b ^= b >> 47;
  return b * kMul;
}

uint64_t Short(const char* s, size_t len) {
  if (len > 8) {
    const uint64_t a = Load64(s);
    const uint64_t b = Load64(s + len - 8);
    return Mix16(a, RotateRight(b + len, static_cast<int>(len))) ^ b;
  }
  if (len >= 4) {
    const uint64_t a = Load32(s);
    return Mix16(len + (a << 3), Load32(s + len - 4));
  }
  if (len > 0) {
    const uint32_t first = static_cast<uint8_t>(s[0]);
    const uint32_t middle = static_cast<uint8_t>(s[len >> 1]);
    const uint32_t last = static_cast<uint8_t>(s[len - 1]);
    const uint32_t y = first + (middle << 8);
    const uint32_t z = static_cast<uint32_t>(len) + (last << 2);
    return ShiftMix(static_cast<uint64_t>(y) * kK2 ^ static_cast<uint64_t>(z) * kK3) * kK2;
  }
  return kK2;
}

uint64_t Medium(const char* s, size_t len) {  // 17 to 32 bytes
  const uint64_t a = Load64(s) * kK1;
  const uint64_t b = Load64(s + 8);
  const uint64_t c = Load64(s + len - 8) * kK2;
  const uint64_t d = Load64(s + len - 16) * kK0;
  return Mix16(RotateRight(a - b, 43) + RotateRight(c, 30) + d,
               a + RotateRight(b ^ kK3, 20) - c + len);
}

uint64_t Long(const char* s, size_t len) {  // 33 to 64 bytes
  uint64_t z = Load64(s + 24);
  uint64_t a = Load64(s) + (len + Load64(s + len - 16)) * kK0;
  uint64_t b = RotateRight(a + z, 52);
  uint64_t c = RotateRight(a, 37);
  a += Load64(s + 8);
  c += RotateRight(a, 7);
  a += Load64(s + 16);
  const uint64_t vf = a + z;
  const uint64_t vs = b + RotateRight(a, 31) + c;
  a = Load64(s + 16) + Load64(s + len - 32);
  z = Load64(s + len - 8);
  b = RotateRight(a + z, 52);
  c = RotateRight(a, 37);
  a += Load64(s + len - 24);
  c += RotateRight(a, 7);
  a += Load64(s + len - 16);
  const uint64_t wf = a + z;
  const uint64_t ws = b + RotateRight(a, 31) + c;
  const uint64_t r = ShiftMix((vf + ws) * kK2 + (wf + vs) * kK0);
  return ShiftMix(r * kK0 + vs) * kK2;
}

// 16 bytes of state from 32 bytes of input and two seeds.
Pair Weak32(const char* s, uint64_t a, uint64_t b) {
  const uint64_t w = Load64(s);
  const uint64_t x = Load64(s + 8);
  const uint64_t y = Load64(s + 16);
  const uint64_t z = Load64(s + 24);
  a += w;
  b = RotateRight(b + a + z, 21);
  const uint64_t c = a;
  a += x;
  a += y;
  b += RotateRight(a, 44);
  return {a + z, b + c};
}

}  // namespace

uint64_t CityHash64(std::string_view data) {
  const char* s = data.data();
  size_t len = data.size();
  if (len <= 16) return Short(s, len);
  if (len <= 32) return Medium(s, len);
  if (len <= 64) return Long(s, len);

  // The tail first, then 64-byte chunks from the start, keeping 56 bytes of state.
  uint64_t x = Load64(s);
  uint64_t y = Load64(s + len - 16) ^ kK1;
  uint64_t z = Load64(s + len - 56) ^ kK0;
  Pair v = Weak32(s + len - 64, len, y);
  Pair w = Weak32(s + len - 32, len * kK1, kK0);
  z += ShiftMix(v.second) * kK1;
  x = RotateRight(z + x, 39) * kK1;
  y = RotateRight(y, 33) * kK1;
  len = (len - 1) & ~static_cast<size_t>(63);
  do {
    x = RotateRight(x + y + v.first + Load64(s + 16), 37) * kK1;
    y = RotateRight(y + v.second + Load64(s + 48), 42) * kK1;
    x ^= w.second;
    y ^= v.first;
    z = RotateRight(z ^ w.first, 33);
    v = Weak32(s, v.second * kK1, x + w.first);
    w = Weak32(s + 32, z + w.second, y);
    std::swap(z, x);
    s += 64;
    len -= 64;
  } while (len != 0);
  return Mix16(Mix16(v.first, w.first) + ShiftMix(y) * kK1 + z, Mix16(v.second, w.second) + x);
}

}  // namespace hoglet
