// The `properties` column from part format version 3: a row's properties JSON is kept as the
// order of its top-level keys (one of the block's few distinct key lists), its values being those
// of the part's property columns, and as text only when those would not give the text back byte
// for byte (a number sent as `1.0`, a string sent with `\u00e9`, a repeated key, a key beyond the
// part's property columns, properties that are not an object). The JSON is not kept twice, once
// as text and once by key.
//
// Raw block (before block compression):
//
//   varint rows | varint lists | lists × (varint keys, keys × string)
//   | rows × varint (0: kept as text; k: key list k - 1) | the texts, as strings in row order
//
// Example: rows {"a":1,"b":"x"}, {"a":2,"b":"y"} and {"a":1.0} are one key list ["a", "b"] used by
// rows 0 and 1, and the text of row 2.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/column_type.h"
#include "store/properties_parser.h"
#include "store/property_column.h"

namespace hoglet::store {

// One property of an event: its key and value.
using PropertyRef = std::pair<std::string_view, const PropertyValue*>;

// Appends `{"key":value,...}` in the order given, minified: keys and strings escaped as
// AppendJsonString does, numbers in shortest round-trip form, bools and null as themselves,
// objects and arrays as their text.
void AppendPropertiesJson(std::span<const PropertyRef> properties, std::string* out);

// A text parsed to be kept by its keys: its properties, the same by reference, and whether
// AppendPropertiesJson of them gives the text back byte for byte. Reused from row to row; not
// thread-safe.
class KeyedProperties final {
 public:
  // False when `json` is not a JSON object (then there are no properties).
  bool Parse(std::string_view json);

  // The values may be moved out; refs() keeps naming the keys.
  std::vector<std::pair<std::string, PropertyValue>>& properties() { return properties_; }
  std::span<const PropertyRef> refs() const { return refs_; }
  bool written_back() const { return written_back_; }

 private:
  PropertiesParser parser_;
  std::vector<std::pair<std::string, PropertyValue>> properties_;
  std::vector<PropertyRef> refs_;
  std::string written_;
  bool written_back_ = false;
};

// One block's rows, added in order.
class PropertyKeysBuilder final {
 public:
  // A row whose JSON is AppendPropertiesJson of its properties in this key order.
  void AddKeys(std::span<const PropertyRef> properties);
  // A row kept as its text.
  void AddText(std::string_view json);

  size_t rows() const { return rows_.size(); }
  std::string Encode() const;
  void Clear();

 private:
  std::vector<std::vector<std::string>> lists_;
  std::unordered_map<std::string, uint32_t>
      list_index_;              // by the list's keys, each length-prefixed
  std::string list_key_;        // reused by AddKeys
  std::vector<uint32_t> rows_;  // 0: text; k: lists_[k - 1]
  std::vector<std::string> texts_;
};

struct PropertyKeysBlock {
  std::vector<std::vector<std::string>> lists;
  std::vector<uint32_t> rows;      // 0: kept as text; k: lists[k - 1]
  std::vector<std::string> texts;  // the text rows', in row order
};

// kDataLoss on malformed input, a key list number out of range or a count of texts that does not
// match the rows kept as text.
StatusOr<PropertyKeysBlock> DecodePropertyKeysBlock(std::string_view raw);

// Each row's JSON: a text row's text, any other written by AppendPropertiesJson from the values
// `columns` holds for it (by key; each column has the block's rows), in its key list's order.
// kDataLoss when a list names a key `columns` lacks (or maps to null), or a row lacks the value
// of one of its keys.
StatusOr<std::vector<std::string>> WritePropertiesJson(
    const PropertyKeysBlock& block,
    const std::unordered_map<std::string_view, const PropertyColumnData*>& columns);

}  // namespace hoglet::store
