#include "filters/property_value.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "base/lenient_json.h"
#include "filters/property_value_json.h"

namespace hoglet::filters {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxDepth = 64;

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
  if (RewriteLenientJson(json, {}, &rewritten)) json = rewritten;

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
      RewriteLenientJson(buffer, {.widen_integers = true}, &rewritten)) {
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
