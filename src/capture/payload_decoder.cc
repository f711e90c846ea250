#include "capture/payload_decoder.h"

#include <algorithm>

#include "base/base64.h"
#include "base/gzip.h"
#include "capture/form.h"
#include "capture/lz_string.h"

namespace hoglet::capture {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string_view StripTrailingSlash(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

Status TooLarge(size_t size, size_t limit) {
  return PayloadTooLargeError("the decoded payload is " + std::to_string(size) +
                                  " bytes, over the limit of " + std::to_string(limit) +
                                  " bytes; send fewer events per request",
                              "payload_too_large");
}

// The first hint that names a supported encoding wins (§1.2 step 4).
Compression ChooseCompression(std::string_view query_hint, std::string_view form_hint,
                              std::string_view header_hint) {
  for (std::string_view hint : {query_hint, form_hint, header_hint}) {
    if (auto c = ParseCompressionHint(hint)) return *c;
  }
  return Compression::kNone;
}

}  // namespace

std::optional<Compression> ParseCompressionHint(std::string_view hint) {
  std::string h = Lower(hint);
  if (h == "gzip" || h == "gzip-js") return Compression::kGzip;
  if (h == "lz64" || h == "lz-string") return Compression::kLzString;
  if (h == "base64" || h == "b64") return Compression::kBase64;
  if (h == "none" || h == "identity") return Compression::kNone;
  return std::nullopt;
}

bool LooksLikeBase64(std::string_view payload) {
  if (payload.empty() || payload.size() % 4 != 0 || HasFormPrefix(payload)) return false;
  std::string_view head = payload.substr(0, 128);
  return std::all_of(head.begin(), head.end(), IsBase64Char);
}

bool IsLegacyCapturePath(std::string_view path) {
  std::string_view p = StripTrailingSlash(path);
  return p == "/e" || p == "/capture" || p == "/engage" || p == "/track";
}

bool IsEngagePath(std::string_view path) { return StripTrailingSlash(path) == "/engage"; }

StatusOr<DecodedPayload> DecodePayload(const CaptureRequest& request, const CaptureQuery& query,
                                       const CaptureLimits& limits) {
  // Step 1: the legacy GET `data` parameter wins over the body.
  std::string payload = query.data ? RepairBase64Spaces(*query.data) : std::string(request.body);
  if (payload.empty()) {
    return InvalidArgumentError(
        "the request has no payload; send the events as the request body (or as ?data=)",
        "empty_payload");
  }

  // Step 2: a whole payload in base64; when it does not decode, the bytes are kept as they are.
  if (LooksLikeBase64(payload)) {
    if (auto decoded = Base64Decode(payload)) payload = std::move(*decoded);
  }

  // Step 3: form fields.
  CaptureForm form;
  bool is_form = IsFormContentType(request.content_type);
  if (is_form) {
    HOGLET_ASSIGN_OR_RETURN(form, ParseCaptureForm(payload));
  }
  DecodedPayload out;
  out.lib_version = !form.lib_version.empty() ? form.lib_version : query.lib_version;

  // Steps 4 and 5.
  Compression hint =
      ChooseCompression(query.compression, form.compression, request.content_encoding);
  std::string bytes = form.data ? std::move(*form.data) : std::move(payload);

  // Step 6. The gzip magic is authoritative: a gzip hint on bytes that are not gzip (a form
  // body sent with `compression=gzip-js`) falls through to the text path.
  if (HasGzipMagic(bytes)) {
    HOGLET_ASSIGN_OR_RETURN(out.json, Inflate(bytes, limits.max_payload_bytes));
  } else if (hint == Compression::kLzString) {
    HOGLET_ASSIGN_OR_RETURN(out.json,
                            LzStringDecompressFromBase64(bytes, limits.max_payload_bytes));
  } else if (hint == Compression::kBase64) {
    // Decoded here on every path, not only on the legacy ones of step 7.
    std::string repaired = RepairBase64Spaces(std::move(bytes));
    std::optional<std::string> decoded = Base64Decode(repaired);
    out.json = decoded ? std::move(*decoded) : std::move(repaired);
  } else {
    out.json = std::move(bytes);
  }

  // Step 7: the legacy endpoints accept one more base64 layer (form `data=` + base64).
  if (IsLegacyCapturePath(request.path) && LooksLikeBase64(out.json)) {
    if (auto decoded = Base64Decode(out.json)) out.json = std::move(*decoded);
  }
  if (out.json.size() > limits.max_payload_bytes) {
    return TooLarge(out.json.size(), limits.max_payload_bytes);
  }
  return out;
}

}  // namespace hoglet::capture
