// The log-wide metadata file, DIR/META, written once when the log is created:
//
//   magic "HOGLTMET" (8) | version u32 | partitions u32 | crc32c u32 (of the first 16 bytes)
//
// Little-endian. The partition count is fixed for the life of the directory because it
// decides which partition each key's records live in. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::log {

std::string EncodeWalMetadata(int partitions);

// The partition count recorded in `data` (the contents of `path`). kDataLoss when damaged,
// kInvalidArgument for an unsupported version.
StatusOr<int> DecodeWalMetadata(std::string_view data, const std::string& path);

}  // namespace hoglet::log
