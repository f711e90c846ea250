#include "store/properties_parser.h"

#include <unordered_set>

namespace hoglet::store {
namespace {

PropertyValue ToValue(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return PropertyValue::String(std::string(value.get_string().value_unsafe()));
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return PropertyValue::Number(value.get_double().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return PropertyValue::Bool(value.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      return PropertyValue::Null();
    case simdjson::dom::element_type::ARRAY:
    case simdjson::dom::element_type::OBJECT:
      break;
  }
  return PropertyValue::Json(simdjson::minify(value));
}

}  // namespace

Status PropertiesParser::Parse(std::string_view json,
                               std::vector<std::pair<std::string, PropertyValue>>* out) {
  out->clear();
  simdjson::dom::object object;
  if (parser_.parse(json.data(), json.size(), true).get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError("properties are not a JSON object");
  }
  std::unordered_set<std::string_view> seen;
  for (simdjson::dom::key_value_pair field : object) {
    if (!seen.insert(field.key).second) continue;
    out->emplace_back(std::string(field.key), ToValue(field.value));
  }
  return Status::Ok();
}

std::optional<PropertyValue> PropertiesParser::Find(std::string_view json, std::string_view key) {
  simdjson::dom::object object;
  if (parser_.parse(json.data(), json.size(), true).get_object().get(object) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  for (simdjson::dom::key_value_pair field : object) {
    if (field.key == key) return ToValue(field.value);
  }
  return std::nullopt;
}

}  // namespace hoglet::store
