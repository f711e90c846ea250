#include "capture/form.h"

#include <algorithm>
#include <array>

#include "base/base64.h"
#include "base/url.h"

namespace hoglet::capture {
namespace {

constexpr std::array<std::string_view, 5> kFormPrefixes = {
    "data=", "ver=", "_=", "ip=", "compression="};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

}  // namespace

bool IsFormContentType(std::string_view content_type) {
  std::string_view media = Trim(content_type.substr(0, content_type.find(';')));
  return EqualsIgnoreCase(media, "application/x-www-form-urlencoded");
}

bool HasFormPrefix(std::string_view payload) {
  return std::any_of(kFormPrefixes.begin(), kFormPrefixes.end(),
                     [&](std::string_view p) { return payload.substr(0, p.size()) == p; });
}

std::string RepairBase64Spaces(std::string value) {
  bool base64_with_spaces =
      std::all_of(value.begin(), value.end(), [](char c) { return c == ' ' || IsBase64Char(c); });
  if (base64_with_spaces) std::replace(value.begin(), value.end(), ' ', '+');
  return value;
}

StatusOr<CaptureForm> ParseCaptureForm(std::string_view payload) {
  if (!HasFormPrefix(payload)) {
    return InvalidArgumentError(
        "the body is sent as application/x-www-form-urlencoded but is not a capture form; send "
        "'data=<base64 of the JSON events>' or send the JSON with Content-Type application/json",
        "request_decoding_error");
  }
  QueryParams fields = ParseQueryString(payload);
  CaptureForm form;
  if (auto data = QueryParam(fields, "data")) form.data = RepairBase64Spaces(std::move(*data));
  if (auto c = QueryParam(fields, "compression")) form.compression = *c;
  if (auto v = QueryParam(fields, "ver")) {
    form.lib_version = *v;
  } else if (auto lv = QueryParam(fields, "lib_version")) {
    form.lib_version = *lv;
  }
  return form;
}

}  // namespace hoglet::capture
