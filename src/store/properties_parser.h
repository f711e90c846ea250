// Splits an event's properties JSON into its top-level keys and typed values (simdjson DOM).
//
// Strings are unescaped, numbers become float64, objects and arrays are kept as minified JSON
// text. When a key repeats, the first occurrence wins. Not thread-safe: one parser per thread
// (it reuses its buffers between calls).
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/column_type.h"

namespace hoglet::store {

class PropertiesParser final {
 public:
  // kInvalidArgument when `json` is not a JSON object.
  Status Parse(std::string_view json, std::vector<std::pair<std::string, PropertyValue>>* out);
  // The value of one top-level key; nullopt when absent or `json` is not an object.
  std::optional<PropertyValue> Find(std::string_view json, std::string_view key);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace hoglet::store
