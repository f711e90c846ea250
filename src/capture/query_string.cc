#include "capture/query_string.h"

#include <charconv>

#include "base/url.h"

namespace hoglet::capture {

std::optional<int64_t> ParseInt64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || begin == ptr) return std::nullopt;
  return value;
}

CaptureQuery ParseCaptureQuery(std::string_view query) {
  QueryParams params = ParseQueryString(query);
  CaptureQuery out;
  if (auto v = QueryParam(params, "compression")) out.compression = *v;
  if (auto v = QueryParam(params, "ver")) {
    out.lib_version = *v;
  } else if (auto lv = QueryParam(params, "lib_version")) {
    out.lib_version = *lv;
  }
  std::optional<std::string> sent_at = QueryParam(params, "_");
  if (!sent_at) sent_at = QueryParam(params, "sent_at");
  if (sent_at) out.sent_at_ms = ParseInt64(*sent_at);
  if (auto v = QueryParam(params, "data"); v && !v->empty()) out.data = std::move(*v);
  return out;
}

}  // namespace hoglet::capture
