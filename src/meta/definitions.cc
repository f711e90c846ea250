#include "meta/definitions.h"

namespace hoglet::meta {

std::string_view PropertyTypeName(PropertyType type) {
  switch (type) {
    case PropertyType::kString:
      return "String";
    case PropertyType::kNumeric:
      return "Numeric";
    case PropertyType::kBoolean:
      return "Boolean";
    case PropertyType::kDateTime:
      return "DateTime";
  }
  return "String";
}

std::optional<PropertyType> ParsePropertyType(std::string_view name) {
  for (PropertyType type : {PropertyType::kString, PropertyType::kNumeric, PropertyType::kBoolean,
                            PropertyType::kDateTime}) {
    if (PropertyTypeName(type) == name) return type;
  }
  return std::nullopt;
}

}  // namespace hoglet::meta
