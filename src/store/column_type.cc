#include "store/column_type.h"

#include <charconv>
#include <cmath>

namespace hoglet::store {

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kUuid:
      return "uuid";
    case ColumnType::kInt64:
      return "int64";
    case ColumnType::kDictString:
      return "dict_string";
    case ColumnType::kText:
      return "text";
    case ColumnType::kProperty:
      return "property";
    case ColumnType::kPropertyKeys:
      return "property_keys";
    case ColumnType::kJsonObjects:
      return "json_objects";
  }
  return "unknown";
}

std::string_view PropertyBlockTypeName(PropertyBlockType type) {
  switch (type) {
    case PropertyBlockType::kEmpty:
      return "empty";
    case PropertyBlockType::kString:
      return "string";
    case PropertyBlockType::kNumber:
      return "number";
    case PropertyBlockType::kBool:
      return "bool";
    case PropertyBlockType::kJson:
      return "json";
    case PropertyBlockType::kMixed:
      return "mixed";
  }
  return "unknown";
}

std::string FormatNumber(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

std::optional<std::string> StringifyProperty(const PropertyValue& value) {
  switch (value.kind) {
    case PropertyValue::Kind::kNull:
      return std::nullopt;
    case PropertyValue::Kind::kString:
    case PropertyValue::Kind::kJson:
      return value.text;
    case PropertyValue::Kind::kNumber:
      return FormatNumber(value.number);
    case PropertyValue::Kind::kBool:
      return std::string(value.boolean ? "true" : "false");
  }
  return std::nullopt;
}

}  // namespace hoglet::store
