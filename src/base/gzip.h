// gzip and zlib (RFC 1952 / RFC 1950) decompression with a hard output limit, and gzip
// compression.
//
// Example:
//   StatusOr<std::string> text = Inflate(body, /*max_output_bytes=*/20 << 20);
//
// Inflate stops as soon as the output would pass `max_output_bytes`, so a small "gzip bomb"
// never allocates more than the limit. Errors:
//   kPayloadTooLarge  the decompressed data is larger than max_output_bytes
//   kInvalidArgument  the input is not a complete, valid gzip or zlib stream
// Pure functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet {

// True when `data` starts with the gzip magic and the deflate method byte (1f 8b 08).
bool HasGzipMagic(std::string_view data);

// Decompresses a gzip stream (or a zlib stream; the header is detected). Concatenated gzip
// members are decompressed one after another, as gunzip does.
StatusOr<std::string> Inflate(std::string_view data, size_t max_output_bytes);

// Compresses `data` into one gzip member. `level` is zlib's 0–9 (-1 = default).
std::string GzipCompress(std::string_view data, int level = -1);

}  // namespace hoglet
