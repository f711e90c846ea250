#include "base/lenient_json.h"

namespace hoglet {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of the non-finite number token at the start of `rest`, or 0.
size_t NonFiniteTokenLength(std::string_view rest) {
  if (rest.starts_with("NaN")) return 3;
  if (rest.starts_with("Infinity")) return 8;
  if (rest.starts_with("-Infinity") || rest.starts_with("+Infinity")) return 9;
  return 0;
}

}  // namespace

bool RewriteLenientJson(std::string_view json, LenientJsonOptions options, std::string* out) {
  if (!options.widen_integers && json.find_first_of("NI") == std::string_view::npos) return false;
  bool in_string = false;
  bool changed = false;
  size_t copied = 0;  // json[0, copied) is already in *out
  auto replace = [&](size_t at, size_t length, std::string_view with) {
    if (!changed) {
      out->clear();
      out->reserve(json.size() + 16);
      changed = true;
    }
    out->append(json.substr(copied, at - copied));
    out->append(with);
    copied = at + length;
  };
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (const size_t length = NonFiniteTokenLength(json.substr(i)); length > 0) {
      replace(i, length, "null");
      i += length - 1;
      continue;
    }
    if (options.widen_integers && (IsDigit(c) || c == '-')) {
      size_t end = i + 1;
      size_t digits = IsDigit(c) ? 1 : 0;
      bool integer = true;
      while (end < json.size()) {
        const char d = json[end];
        if (IsDigit(d)) {
          ++digits;
        } else if (d == '.' || d == 'e' || d == 'E' || d == '+' || d == '-') {
          integer = false;
        } else {
          break;
        }
        ++end;
      }
      if (integer && digits > 19) replace(end, 0, ".0");
      i = end - 1;
    }
  }
  if (changed) out->append(json.substr(copied));
  return changed;
}

}  // namespace hoglet
