// Compression of one column block. A compressed block is self-describing:
//
//   u8 codec (0 none, 1 LZ4, 2 ZSTD) | varint raw_size | payload
//
// LZ4 is used for fixed-width numeric data (fast to decode), ZSTD for strings and JSON (better
// ratio). Decompress returns kDataLoss when the frame is malformed or does not inflate to exactly
// raw_size bytes. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::store {

enum class Codec : uint8_t { kNone = 0, kLz4 = 1, kZstd = 2 };

std::string CompressBlock(Codec codec, std::string_view raw);
StatusOr<std::string> DecompressBlock(std::string_view block);

}  // namespace hoglet::store
