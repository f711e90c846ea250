// The byte layout of WAL segment files (docs/wal.md is the reference; change both together).
//
//   segment   = header frame*
//   header    = magic "HOGLTWAL" (8) | version u32 | base_offset u64 | crc32c u32   (24 bytes)
//   frame     = crc32c u32 | payload_length u32 | offset u64 | batch_index u32 | payload
//
// Integers are little-endian. A header's crc covers its first 20 bytes; a frame's crc covers
// everything after the crc field (length, offset, batch index, payload). `batch_index` is the
// record's position in the group commit that wrote it (offset - batch_index is the offset of
// the group's first record); recovery uses it to tell a torn last group from damage inside
// acknowledged data.
//
// Pure functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::log {

inline constexpr std::string_view kSegmentMagic = "HOGLTWAL";
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderBytes = 24;
inline constexpr size_t kFrameHeaderBytes = 20;
// The largest payload one record may carry; larger appends are refused, and a length field
// above it is damage.
inline constexpr size_t kMaxPayloadBytes = 64 << 20;

// The 24-byte header of a segment whose first record has offset `base_offset`.
std::string EncodeSegmentHeader(uint64_t base_offset);

// The base offset recorded in a segment header. kDataLoss when `bytes` is not a header (bad
// magic or checksum); kInvalidArgument when it is a header of an unsupported format version.
// `path` only names the file in messages.
StatusOr<uint64_t> DecodeSegmentHeader(std::string_view bytes, const std::string& path);

struct FrameHeader {
  uint32_t crc = 0;
  uint32_t payload_length = 0;
  uint64_t offset = 0;
  uint32_t batch_index = 0;

  // Offset of the first record of the group commit that wrote this record.
  uint64_t batch_first_offset() const { return offset - batch_index; }
};

// Appends one frame to `out`.
void AppendFrame(std::string* out, uint64_t offset, uint32_t batch_index, std::string_view payload);

// Parses the fixed part of a frame; `bytes` holds at least kFrameHeaderBytes.
FrameHeader DecodeFrameHeader(const char* bytes);

// True when the frame whose header bytes are `header_bytes` (kFrameHeaderBytes of them) and
// whose payload is `payload` carries a matching checksum.
bool FrameChecksumMatches(const char* header_bytes, const FrameHeader& header,
                          std::string_view payload);

}  // namespace hoglet::log
