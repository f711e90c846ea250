#include "store/bitmap.h"

#include <bit>

namespace hoglet::store {

Bitmap::Bitmap(size_t size, bool value) : bytes_((size + 7) / 8, value ? 0xff : 0), size_(size) {
  // Keep the bits past size() zero so equality and CountOnes need no masking.
  if (value && (size & 7) != 0) bytes_.back() = static_cast<uint8_t>((1u << (size & 7)) - 1);
}

void Bitmap::Set(size_t i, bool value) {
  uint8_t mask = static_cast<uint8_t>(1u << (i & 7));
  if (value) {
    bytes_[i >> 3] |= mask;
  } else {
    bytes_[i >> 3] &= static_cast<uint8_t>(~mask);
  }
}

void Bitmap::PushBack(bool value) {
  if ((size_ & 7) == 0) bytes_.push_back(0);
  ++size_;
  if (value) Set(size_ - 1, true);
}

size_t Bitmap::CountOnes() const {
  size_t n = 0;
  for (uint8_t b : bytes_) n += static_cast<size_t>(std::popcount(b));
  return n;
}

bool Bitmap::Any() const {
  for (uint8_t b : bytes_) {
    if (b != 0) return true;
  }
  return false;
}

void Bitmap::And(const Bitmap& other) {
  for (size_t i = 0; i < bytes_.size() && i < other.bytes_.size(); ++i)
    bytes_[i] &= other.bytes_[i];
}

void Bitmap::EncodeTo(ByteWriter* w) const {
  w->PutBytes(std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size()));
}

bool Bitmap::DecodeFrom(ByteReader* r, size_t size) {
  std::string_view raw;
  if (!r->GetBytes((size + 7) / 8, &raw)) return false;
  bytes_.assign(raw.begin(), raw.end());
  size_ = size;
  if ((size & 7) != 0 && !bytes_.empty()) {
    bytes_.back() &= static_cast<uint8_t>((1u << (size & 7)) - 1);
  }
  return true;
}

}  // namespace hoglet::store
