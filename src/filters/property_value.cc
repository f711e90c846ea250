#include "filters/property_value.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "filters/property_value_json.h"

namespace hoglet::filters {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxDepth = 64;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Rewrites what strict JSON parsers reject but PostHog reads, outside strings:
//  - posthog-js serialises NaN and ±Infinity as bare `NaN`, `Infinity` and `-Infinity`: they
//    become `null`;
//  - with `widen_integers`, integer literals of more than 19 digits (beyond 64 bits, which
//    simdjson refuses) get a ".0" so they read as doubles, as serde_json and Python read them.
// Returns false and leaves `*out` untouched when there is nothing to rewrite, so the common case
// copies nothing.
bool RewriteTokens(std::string_view json, bool widen_integers, std::string* out) {
  if (!widen_integers && json.find_first_of("NI") == std::string_view::npos) return false;
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
    char c = json[i];
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
    std::string_view rest = json.substr(i);
    size_t length = 0;
    if (c == 'N' && rest.starts_with("NaN")) {
      length = 3;
    } else if (c == 'I' && rest.starts_with("Infinity")) {
      length = 8;
    } else if (c == '-' && rest.starts_with("-Infinity")) {
      length = 9;
    }
    if (length > 0) {
      replace(i, length, "null");
      i += length - 1;
      continue;
    }
    if (widen_integers && (IsDigit(c) || c == '-')) {
      size_t end = i + 1;
      size_t digits = IsDigit(c) ? 1 : 0;
      bool integer = true;
      while (end < json.size()) {
        char d = json[end];
        if (IsDigit(d)) {
          ++digits;
        } else if (d == '.' || d == 'e' || d == 'E' || d == '+' || d == '-') {
          integer = false;
        } else {
          break;
        }
        ++end;
      }
      if (integer && digits > 19) {
        replace(end, 0, ".0");
      }
      i = end - 1;
    }
  }
  if (changed) out->append(json.substr(copied));
  return changed;
}

}  // namespace

std::string PropertyValue::ToText() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return boolean ? "true" : "false";
    case Kind::kNumber:
    case Kind::kString:
    case Kind::kArray:
    case Kind::kObject:
      return text;
  }
  return text;
}

StatusOr<Properties> ParseProperties(std::string_view json) {
  std::string rewritten;
  if (RewriteTokens(json, /*widen_integers=*/false, &rewritten)) json = rewritten;

  // One parser and one padded buffer per thread, reused: properties are parsed on every /flags
  // request. The parser grows to the largest document seen and keeps the depth limit.
  thread_local dom::parser parser;
  thread_local std::string buffer;
  if (parser.max_depth() != kMaxDepth && parser.allocate(4096, kMaxDepth) != simdjson::SUCCESS) {
    return InternalError("cannot allocate a JSON parser");
  }
  buffer.assign(json);
  buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  dom::element root;
  simdjson::error_code error = parser.parse(buffer).get(root);
  if (error == simdjson::NUMBER_ERROR &&
      RewriteTokens(buffer, /*widen_integers=*/true, &rewritten)) {
    buffer.assign(rewritten);
    buffer.reserve(buffer.size() + simdjson::SIMDJSON_PADDING);
    error = parser.parse(buffer).get(root);
  }
  if (error == simdjson::DEPTH_ERROR) {
    return InvalidArgumentError(
        "properties JSON is nested more than " + std::to_string(kMaxDepth) + " levels deep",
        "invalid_properties");
  }
  if (error != simdjson::SUCCESS) {
    return InvalidArgumentError(
        std::string("properties are not valid JSON: ") + simdjson::error_message(error),
        "invalid_properties");
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError("properties must be a JSON object", "invalid_properties");
  }
  Properties properties;
  properties.reserve(object.size());
  for (dom::key_value_pair field : object) {
    // A repeated key keeps its last value, as PostHog's JSON decoders do.
    properties.insert_or_assign(std::string(field.key), PropertyValueFromJson(field.value));
  }
  return properties;
}

void Overlay(const Properties& overrides, Properties* base) {
  for (const auto& [key, value] : overrides) base->insert_or_assign(key, value);
}

}  // namespace hoglet::filters
