// The query parameters capture reads (capture-and-flags §1.2, §1.6): `compression`, `ver` /
// `lib_version`, `_` / `sent_at` and `data`. Every other parameter (`ip`, `beacon`,
// `retry_count`, ...) is ignored here; `beacon` is the HTTP layer's business.
//
// Example:
//   CaptureQuery q = ParseCaptureQuery("compression=gzip-js&ip=1&_=1694769305355&ver=1.78.5");
//   // q.compression == "gzip-js", q.sent_at_ms == 1694769305355, q.lib_version == "1.78.5"
//
// Values are percent-decoded with form rules ('+' is a space). Never fails: a malformed value is
// treated as absent. Pure; safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoglet::capture {

struct CaptureQuery {
  std::string compression;            // raw hint, e.g. "gzip-js"; empty when absent
  std::string lib_version;            // `ver`, else `lib_version`; empty when absent
  std::optional<int64_t> sent_at_ms;  // `_`, else `sent_at`, when it is an integer (Unix ms)
  std::optional<std::string> data;    // legacy GET payload, when present and non-empty
};

CaptureQuery ParseCaptureQuery(std::string_view query);

// Parses an optionally signed decimal integer that fits in int64 (the whole string).
std::optional<int64_t> ParseInt64(std::string_view text);

}  // namespace hoglet::capture
