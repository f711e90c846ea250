// 128-bit UUIDs: parsing, canonical formatting, UUIDv7 (time-ordered) and UUIDv5 (name-based).
#pragma once

#include <array>
#include <cstdint>
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

  friend bool operator==(const Uuid& a, const Uuid& b) { return a.bytes == b.bytes; }
  friend bool operator<(const Uuid& a, const Uuid& b) { return a.bytes < b.bytes; }
};

}  // namespace hoglet
