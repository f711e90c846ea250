// lz-string's `decompressFromBase64`, the "lz64" encoding very old posthog-js versions used
// (capture-and-flags §1.2 step 6).
//
// lz-string is an LZW variant over UTF-16 code units; `compressToBase64` packs the bit stream
// six bits per character of the standard base64 alphabet ('=' pads and reads as zero bits). The
// decompressed UTF-16 text is returned as UTF-8; surrogate pairs become one 4-byte sequence and
// a lone surrogate becomes U+FFFD.
//
// Example:
//   StatusOr<std::string> json = LzStringDecompressFromBase64("IZA=", 1 << 20);  // "a"
//
// Errors:
//   kInvalidArgument  a character outside the alphabet, a bit stream that ends early or refers
//                     to a dictionary entry that does not exist (reason "request_decoding_error")
//   kPayloadTooLarge  the output would exceed max_output_bytes
// Pure; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::capture {

StatusOr<std::string> LzStringDecompressFromBase64(std::string_view input, size_t max_output_bytes);

// Appends UTF-16 code units as UTF-8 (pairs combined, lone surrogates as U+FFFD).
void AppendUtf16AsUtf8(const char16_t* units, size_t count, std::string* out);

}  // namespace hoglet::capture
