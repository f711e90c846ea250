// Fuzzes DecodeCaptureRequest: any request must decode or be refused with a status, never
// crash, hang or read out of bounds; every accepted event must satisfy the decoder's contract.
//
// Input layout: byte 0 selects the request's shape, the rest is the body.
//   bits 0–2  path (/batch/, /e/, /engage/, /i/v0/e/, /capture, /track/, /s/, /flags)
//   bits 3–4  content type (json, form, text/plain, none)
//   bit 5     gzip the body before decoding (reaches the JSON layer through inflate)
//   bit 6     add a query string (compression hint and `_`)
//   bit 7     Content-Encoding: gzip
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/gzip.h"
#include "capture/capture_request.h"
#include "capture/captured_event.h"

namespace {

constexpr const char* kPaths[] = {"/batch/",  "/e/",     "/engage/", "/i/v0/e/",
                                  "/capture", "/track/", "/s/",      "/flags"};
constexpr const char* kContentTypes[] = {"application/json", "application/x-www-form-urlencoded",
                                         "text/plain", ""};
constexpr const char* kQueries[] = {"compression=gzip-js&_=1694769305355&ver=1.0",
                                    "compression=lz64&_=1694769305355", "compression=base64&ip=1",
                                    "_=1694769305"};

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (selector & 0x20) body = hoglet::GzipCompress(body, 1);

  hoglet::capture::CaptureRequest request;
  request.path = kPaths[selector & 7];
  request.content_type = kContentTypes[(selector >> 3) & 3];
  request.content_encoding = (selector & 0x80) ? "gzip" : "";
  request.query = (selector & 0x40) ? kQueries[(size + selector) % 4] : "";
  request.body = body;
  request.ip = "127.0.0.1";
  request.now_us = 1'694'769'305'358'000;

  hoglet::capture::CaptureLimits limits;
  limits.max_payload_bytes = 1 << 20;
  limits.max_events = 1000;
  limits.max_json_depth = 32;
  limits.max_properties = 500;

  auto batch = hoglet::capture::DecodeCaptureRequest(request, limits);
  if (!batch.ok()) {
    Check(!batch.status().message().empty());
    return 0;
  }
  Check(batch->events.size() <= limits.max_events);
  for (const hoglet::capture::CapturedEvent& event : batch->events) {
    Check(!event.event.empty());
    Check(!event.distinct_id.empty());
    Check(event.token == batch->token);
    Check(event.uuid.size() == 36);
    Check(event.timestamp_us <= request.now_us + 23LL * 3600 * 1'000'000);
    auto back = hoglet::capture::DecodeCapturedEvent(hoglet::capture::EncodeCapturedEvent(event));
    Check(back.ok() && *back == event);
  }
  return 0;
}
