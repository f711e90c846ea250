// Little-endian fixed-width integers, LEB128 varints and length-prefixed strings: the primitive
// encoding of every store file (docs/event-store.md).
//
// ByteWriter appends to a std::string it owns. ByteReader walks a borrowed buffer and never reads
// past its end: every getter returns false on truncation, and callers turn that into kDataLoss.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hoglet::store {

class ByteWriter final {
 public:
  void PutU8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void PutFixed32(uint32_t v);
  void PutFixed64(uint64_t v);
  void PutVarint(uint64_t v);
  void PutSignedVarint(int64_t v);  // zig-zag
  void PutDouble(double v);
  void PutBytes(std::string_view bytes) { out_.append(bytes); }
  void PutString(std::string_view s);  // varint length + bytes

  const std::string& data() const { return out_; }
  std::string& mutable_data() { return out_; }
  std::string Take() && { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  std::string out_;
};

class ByteReader final {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  [[nodiscard]] bool GetU8(uint8_t* v);
  [[nodiscard]] bool GetFixed32(uint32_t* v);
  [[nodiscard]] bool GetFixed64(uint64_t* v);
  [[nodiscard]] bool GetVarint(uint64_t* v);
  [[nodiscard]] bool GetSignedVarint(int64_t* v);
  [[nodiscard]] bool GetDouble(double* v);
  [[nodiscard]] bool GetBytes(size_t n, std::string_view* v);
  [[nodiscard]] bool GetString(std::string_view* v);

  size_t remaining() const { return in_.size(); }
  bool empty() const { return in_.empty(); }

 private:
  std::string_view in_;
};

// CRC-32 (zlib polynomial) of `data`.
uint32_t Crc32(std::string_view data);

}  // namespace hoglet::store
