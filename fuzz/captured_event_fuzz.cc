// Fuzzes DecodeCapturedEvent on arbitrary log records: garbage must be refused with kDataLoss
// and never crash; whatever decodes must re-encode to exactly the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "capture/captured_event.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view record(reinterpret_cast<const char*>(data), size);
  auto event = hoglet::capture::DecodeCapturedEvent(record);
  if (!event.ok()) {
    if (event.status().code() != hoglet::StatusCode::kDataLoss) std::abort();
    return 0;
  }
  if (hoglet::capture::EncodeCapturedEvent(*event) != record) std::abort();
  return 0;
}
