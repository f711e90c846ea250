// A growable bit vector: presence and null masks of property columns, bool values, and the row
// selections of a scan. Encoded as ceil(size / 8) bytes, bit i in byte i / 8 at position i % 8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/byte_codec.h"

namespace hoglet::store {

class Bitmap final {
 public:
  Bitmap() = default;
  explicit Bitmap(size_t size, bool value = false);

  size_t size() const { return size_; }
  bool Get(size_t i) const { return (bytes_[i >> 3] >> (i & 7)) & 1; }
  void Set(size_t i, bool value);
  void PushBack(bool value);
  size_t CountOnes() const;
  // What the bitmap holds in memory.
  size_t MemoryBytes() const { return sizeof *this + bytes_.capacity(); }
  bool Any() const;
  // this &= other (sizes must match).
  void And(const Bitmap& other);

  // Appends the packed bytes (no length: the reader knows the size).
  void EncodeTo(ByteWriter* w) const;
  // Reads `size` bits; false on truncation.
  [[nodiscard]] bool DecodeFrom(ByteReader* r, size_t size);

  friend bool operator==(const Bitmap& a, const Bitmap& b) {
    return a.size_ == b.size_ && a.bytes_ == b.bytes_;
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t size_ = 0;
};

}  // namespace hoglet::store
