// 128-bit UUIDs: parsing, canonical formatting, UUIDv7 (time-ordered) and UUIDv5 (name-based).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace hoglet {

struct Uuid {
  std::array<uint8_t, 16> bytes{};

  // Canonical lower-case 8-4-4-4-12 form.
  std::string ToString() const;
  // Accepts the canonical form in either case, with or without hyphens, and in braces.
  static std::optional<Uuid> Parse(std::string_view text);
  // A version-7 UUID: 48-bit Unix milliseconds, then random bits. Thread-safe.
  static Uuid V7(int64_t unix_micros);
  // A version-5 UUID (SHA-1 of namespace + name), as RFC 4122 defines it.
  static Uuid V5(const Uuid& name_space, std::string_view name);

  // Byte order (the canonical text's order), compared as two big-endian words: sorts of
  // persons, the hot loop of every per-person insight, then compare integers instead of calling
  // memcmp.
  friend bool operator==(const Uuid& a, const Uuid& b) {
    return a.Word(0) == b.Word(0) && a.Word(1) == b.Word(1);
  }
  friend bool operator<(const Uuid& a, const Uuid& b) {
    const uint64_t a0 = a.HighWord(), b0 = b.HighWord();
    return a0 != b0 ? a0 < b0 : a.LowWord() < b.LowWord();
  }

  // The first and last eight bytes as big-endian numbers.
  uint64_t HighWord() const { return FromBigEndian(Word(0)); }
  uint64_t LowWord() const { return FromBigEndian(Word(1)); }

 private:
  uint64_t Word(int i) const {
    uint64_t word;
    std::memcpy(&word, bytes.data() + 8 * i, sizeof word);
    return word;
  }
  static uint64_t FromBigEndian(uint64_t word) {
    if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(word);
    return word;
  }
};

}  // namespace hoglet
