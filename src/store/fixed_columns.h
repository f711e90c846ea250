// Block encodings of the fixed event columns (raw bytes, before block compression):
//
//   kUuid        16 bytes per row
//   kInt64       varint count, then zig-zag varint deltas from the previous row (rows of one
//                person are time-ordered, so timestamp deltas are small)
//   kDictString  see string_column.h
//   kText        plain length-prefixed strings (the exact properties JSON)
//
// Decoders return kDataLoss on any malformed input, including trailing bytes. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "store/block_codec.h"
#include "store/string_column.h"

namespace hoglet::store {

std::string EncodeUuidBlock(const std::vector<Uuid>& values);
StatusOr<std::vector<Uuid>> DecodeUuidBlock(std::string_view raw);

std::string EncodeInt64Block(const std::vector<int64_t>& values);
StatusOr<std::vector<int64_t>> DecodeInt64Block(std::string_view raw);

std::string EncodeDictStringBlock(const std::vector<std::string_view>& values);
StatusOr<DictStrings> DecodeDictStringBlock(std::string_view raw);

std::string EncodeTextBlock(const std::vector<std::string_view>& values);
StatusOr<std::vector<std::string>> DecodeTextBlock(std::string_view raw);

}  // namespace hoglet::store
