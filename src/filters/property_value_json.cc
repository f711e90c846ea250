#include "filters/property_value_json.h"

#include <string>

namespace hoglet::filters {

namespace dom = simdjson::dom;

PropertyValue PropertyValueFromJson(const dom::element& element) {
  switch (element.type()) {
    case dom::element_type::NULL_VALUE:
      return PropertyValue::Null();
    case dom::element_type::BOOL:
      return PropertyValue::Bool(element.get_bool().value_unsafe());
    case dom::element_type::INT64:
      return PropertyValue::Number(static_cast<double>(element.get_int64().value_unsafe()),
                                   simdjson::minify(element));
    case dom::element_type::UINT64:
      return PropertyValue::Number(static_cast<double>(element.get_uint64().value_unsafe()),
                                   simdjson::minify(element));
    case dom::element_type::DOUBLE:
      return PropertyValue::Number(element.get_double().value_unsafe(), simdjson::minify(element));
    case dom::element_type::STRING:
      return PropertyValue::String(std::string(element.get_string().value_unsafe()));
    case dom::element_type::ARRAY: {
      PropertyValue value;
      value.kind = PropertyValue::Kind::kArray;
      value.text = simdjson::minify(element);
      return value;
    }
    case dom::element_type::OBJECT: {
      PropertyValue value;
      value.kind = PropertyValue::Kind::kObject;
      value.text = simdjson::minify(element);
      return value;
    }
  }
  return PropertyValue::Null();
}

bool ParseJsonArrayItems(std::string_view json, std::vector<PropertyValue>* items) {
  thread_local dom::parser parser;
  thread_local std::string buffer;
  buffer.assign(json);
  buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  dom::array array;
  if (parser.parse(buffer).get_array().get(array) != simdjson::SUCCESS) return false;
  items->clear();
  for (dom::element item : array) items->push_back(PropertyValueFromJson(item));
  return true;
}

}  // namespace hoglet::filters
