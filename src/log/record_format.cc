#include "log/record_format.h"

#include <cstring>

#include "log/crc32c.h"

namespace hoglet::log {
namespace {

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

void PutU64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

std::string EncodeSegmentHeader(uint64_t base_offset) {
  std::string out(kSegmentHeaderBytes, '\0');
  std::memcpy(out.data(), kSegmentMagic.data(), kSegmentMagic.size());
  PutU32(out.data() + 8, kFormatVersion);
  PutU64(out.data() + 12, base_offset);
  PutU32(out.data() + 20, Crc32c(std::string_view(out.data(), 20)));
  return out;
}

StatusOr<uint64_t> DecodeSegmentHeader(std::string_view bytes, const std::string& path) {
  if (bytes.size() < kSegmentHeaderBytes) {
    return DataLossError(path + ": segment header is truncated (" + std::to_string(bytes.size()) +
                         " bytes)");
  }
  if (bytes.substr(0, kSegmentMagic.size()) != kSegmentMagic) {
    return DataLossError(path + ": not a WAL segment (bad magic)");
  }
  if (GetU32(bytes.data() + 20) != Crc32c(bytes.substr(0, 20))) {
    return DataLossError(path + ": segment header checksum mismatch");
  }
  uint32_t version = GetU32(bytes.data() + 8);
  if (version != kFormatVersion) {
    return InvalidArgumentError(path + ": segment format version " + std::to_string(version) +
                                " is not supported (this build reads version " +
                                std::to_string(kFormatVersion) + ")");
  }
  return GetU64(bytes.data() + 12);
}

void AppendFrame(std::string* out, uint64_t offset, uint32_t batch_index,
                 std::string_view payload) {
  char header[kFrameHeaderBytes];
  PutU32(header + 4, static_cast<uint32_t>(payload.size()));
  PutU64(header + 8, offset);
  PutU32(header + 16, batch_index);
  uint32_t crc = Crc32c(std::string_view(header + 4, kFrameHeaderBytes - 4));
  PutU32(header, Crc32cExtend(crc, payload));
  out->append(header, kFrameHeaderBytes);
  out->append(payload);
}

FrameHeader DecodeFrameHeader(const char* bytes) {
  FrameHeader h;
  h.crc = GetU32(bytes);
  h.payload_length = GetU32(bytes + 4);
  h.offset = GetU64(bytes + 8);
  h.batch_index = GetU32(bytes + 16);
  return h;
}

bool FrameChecksumMatches(const char* header_bytes, const FrameHeader& header,
                          std::string_view payload) {
  uint32_t crc = Crc32c(std::string_view(header_bytes + 4, kFrameHeaderBytes - 4));
  return Crc32cExtend(crc, payload) == header.crc;
}

}  // namespace hoglet::log
