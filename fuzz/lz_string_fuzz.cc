// Fuzzes the lz-string (lz64) decompressor: any input must decompress within the output limit
// or be refused, never crash or run away with memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "capture/lz_string.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kLimit = 1 << 16;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto out = hoglet::capture::LzStringDecompressFromBase64(input, kLimit);
  if (out.ok() && out->size() > kLimit) std::abort();
  return 0;
}
