// One block of a property column: the values of one top-level property key for up to
// block_rows rows. Raw layout (before block compression):
//
//   varint rows | u8 PropertyBlockType | presence bitmap (rows bits) | null bitmap (rows bits)
//   | payload for the present, non-null rows in row order:
//       kString  dictionary strings (string_column.h)
//       kNumber  count × float64
//       kBool    count bits
//       kJson    plain strings (minified JSON text)
//       kMixed   count × u8 PropertyValue::Kind, then each value in its kind's encoding
//                (string/json: length-prefixed, number: float64, bool: u8)
//
// A row is absent (key not in the event), null (key present with JSON null) or holds a value.
// Every value's kind and content survive a round trip, whatever mix of kinds the block holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/bitmap.h"
#include "store/block_codec.h"
#include "store/column_type.h"

namespace hoglet::store {

class PropertyColumnData final {
 public:
  void AppendAbsent();
  void AppendNull();
  void Append(PropertyValue value);  // a kNull value is stored as null

  size_t rows() const { return present_.size(); }
  bool present(size_t row) const { return present_.Get(row); }
  // nullptr when absent; a kNull value when null; the value otherwise. Valid until modified.
  const PropertyValue* Get(size_t row) const;

  // The column's values by slot: each present, non-null row's own, in row order, or (decoded
  // string blocks) the block dictionary's strings once each, so that a predicate of a value can
  // be decided once per slot. Get(row) is ValueAt(SlotOf(row)) for those rows.
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  size_t slots() const { return values_.size(); }
  const PropertyValue& ValueAt(uint32_t slot) const { return values_[slot]; }
  // kNoSlot for absent and null rows.
  uint32_t SlotOf(size_t row) const { return slot_[row]; }
  // The block type the values call for (kMixed when they differ in kind).
  PropertyBlockType BlockType() const;
  // LZ4 for numbers and bools, ZSTD otherwise.
  Codec PreferredCodec() const;

  // What the column holds in memory.
  size_t MemoryBytes() const;

  std::string Encode() const;
  // kDataLoss on malformed input.
  static StatusOr<PropertyColumnData> Decode(std::string_view raw);

  void Clear();

 private:
  static const PropertyValue kNullValue;

  // The present, non-null rows' values in row order.
  std::vector<const PropertyValue*> RowValues() const;

  Bitmap present_;
  Bitmap null_;
  std::vector<PropertyValue> values_;  // by slot
  std::vector<uint32_t> slot_;         // row → index into values_ (for present non-null rows)
};

}  // namespace hoglet::store
