// Fuzzes DecodeFlagsRequest, the decoder of the one flags endpoint anybody can call (/flags and
// /decide take only the public project token): any body must decode or be refused with a
// status, never crash, hang or read out of bounds, and whatever decodes must be within the
// limits.
//
// Input layout: byte 0 selects the request's shape, the rest is the body.
//   bits 0–1  content type (json, form, text/plain, none)
//   bits 2–3  `compression` query parameter (none, gzip, gzip-js, base64)
//   bit 4     gzip the body before decoding
//   bit 5     Content-Encoding: gzip
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/gzip.h"
#include "flags/flags_request.h"

namespace {

constexpr const char* kContentTypes[] = {"application/json", "application/x-www-form-urlencoded",
                                         "text/plain", ""};
constexpr const char* kCompressions[] = {"", "gzip", "gzip-js", "base64"};

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (selector & 0x10) body = hoglet::GzipCompress(body, 1);

  hoglet::flags::FlagsRequestLimits limits;
  limits.max_decoded_bytes = 1 << 20;
  limits.max_flag_keys = 50;
  limits.max_groups = 10;
  limits.max_properties = 100;

  auto decoded =
      hoglet::flags::DecodeFlagsRequest({.content_type = kContentTypes[selector & 3],
                                         .content_encoding = (selector & 0x20) ? "gzip" : "",
                                         .body = body,
                                         .compression = kCompressions[(selector >> 2) & 3]},
                                        limits);
  if (!decoded.ok()) {
    Check(!decoded.status().message().empty());
    return 0;
  }
  const hoglet::flags::FlagsRequest& request = *decoded;
  Check(!request.distinct_id || request.distinct_id->size() <= 200 * 4);  // 200 characters
  Check(!request.flag_keys || request.flag_keys->size() <= limits.max_flag_keys);
  Check(request.groups.size() <= limits.max_groups);
  Check(request.person_properties.size() <= limits.max_properties);

  hoglet::filters::Properties properties = request.person_properties;
  hoglet::flags::FillInitialProperties(&properties);
  hoglet::flags::ResolveRuntime(request.evaluation_runtime, request.token, !body.empty());
  return 0;
}
