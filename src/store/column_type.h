// The types of the store's columns and of one property value.
//
// Fixed columns (one per Event field) have a fixed ColumnType. A property column holds one
// top-level property key; each of its blocks picks a PropertyBlockType from the values it holds,
// so a key whose values change type inside a part stays exact (kMixed keeps a type tag per row).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoglet::store {

enum class ColumnType : uint8_t {
  kUuid = 1,          // 16 bytes per row
  kInt64 = 2,         // delta + zig-zag varints
  kDictString = 3,    // per-block dictionary + varint indexes
  kText = 4,          // length-prefixed strings (the properties JSON)
  kProperty = 5,      // a top-level property key: presence/null bitmaps + typed values
  kPropertyKeys = 6,  // the properties JSON by its keys' order (store/property_keys.h)
  kJsonObjects = 7,   // JSON objects by key, each block whole (store/json_objects_column.h)
};

enum class PropertyBlockType : uint8_t {
  kEmpty = 0,   // no present non-null values
  kString = 1,  // dictionary-encoded strings
  kNumber = 2,  // float64
  kBool = 3,    // bits
  kJson = 4,    // objects and arrays as minified JSON text
  kMixed = 5,   // a type tag per value, then the value in its own encoding
};

std::string_view ColumnTypeName(ColumnType type);
std::string_view PropertyBlockTypeName(PropertyBlockType type);

// One present property value. Strings are unescaped; kJson holds minified JSON text.
struct PropertyValue {
  enum class Kind : uint8_t { kNull = 0, kString = 1, kNumber = 2, kBool = 3, kJson = 4 };
  Kind kind = Kind::kNull;
  std::string text;  // kString, kJson
  double number = 0;
  bool boolean = false;

  static PropertyValue Null() { return {}; }
  static PropertyValue String(std::string s) { return {Kind::kString, std::move(s), 0, false}; }
  static PropertyValue Number(double v) { return {Kind::kNumber, {}, v, false}; }
  static PropertyValue Bool(bool v) { return {Kind::kBool, {}, 0, v}; }
  static PropertyValue Json(std::string s) { return {Kind::kJson, std::move(s), 0, false}; }

  friend bool operator==(const PropertyValue&, const PropertyValue&) = default;
};

// The value as PostHog's toString() shows it: strings as themselves, numbers in shortest
// round-trip form ("5", "1.5"), bools "true"/"false", objects/arrays as JSON text. nullopt for
// JSON null (which reads as NULL in queries).
std::optional<std::string> StringifyProperty(const PropertyValue& value);

// Shortest round-trip decimal form of a double ("5", "0.1", "1e+21").
std::string FormatNumber(double v);

}  // namespace hoglet::store
