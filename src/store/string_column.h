// Dictionary encoding of a block of strings (event names, distinct ids, string properties):
//
//   varint dict_size | dict_size × (varint len, bytes) | varint count | count × varint index
//
// Dictionary entries appear in first-use order. Decoding keeps the dictionary and the indexes
// apart so a filter can compare each distinct value once. Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/byte_codec.h"

namespace hoglet::store {

struct DictStrings {
  std::vector<std::string> dict;
  std::vector<uint32_t> index;  // one per row, into dict

  size_t size() const { return index.size(); }
  const std::string& at(size_t row) const { return dict[index[row]]; }
};

// Appends the encoding of `values` to `w`.
void EncodeDictStrings(const std::vector<std::string_view>& values, ByteWriter* w);
// Reads one encoding; kDataLoss when truncated or an index is out of range.
StatusOr<DictStrings> DecodeDictStrings(ByteReader* r);

// Plain length-prefixed strings (no dictionary): varint count | count × (varint len, bytes).
void EncodePlainStrings(const std::vector<std::string_view>& values, ByteWriter* w);
StatusOr<std::vector<std::string>> DecodePlainStrings(ByteReader* r);

}  // namespace hoglet::store
