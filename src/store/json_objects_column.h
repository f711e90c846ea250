// The encoding of a column of JSON object texts that has no property columns of its own, the
// person properties on events (part format version 3): each block keeps its distinct texts once,
// by their keys (property_keys.h) with each key's values as one property column block
// (property_column.h), and which distinct text each row holds. A part's rows are ordered by
// person, so a person's rows mostly hold one text, and persons' values share a dictionary per key.
//
//   varint rows | rows × varint (the row's distinct text)
//   | string (property keys block of the distinct texts)
//   | varint keys | keys × (string key, string property column block over the distinct texts)
//
// The texts read back are the texts written, byte for byte (a text the keys and values would not
// give back is kept as text). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::store {

std::string EncodeJsonObjectsBlock(const std::vector<std::string_view>& texts);
// kDataLoss on malformed input.
StatusOr<std::vector<std::string>> DecodeJsonObjectsBlock(std::string_view raw);

}  // namespace hoglet::store
