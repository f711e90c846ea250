#include "store/fixed_columns.h"

#include <cstring>

namespace hoglet::store {
namespace {

Status ExpectEnd(const ByteReader& r) {
  if (!r.empty()) return DataLossError("trailing bytes in column block");
  return Status::Ok();
}

}  // namespace

std::string EncodeUuidBlock(const std::vector<Uuid>& values) {
  std::string out(values.size() * 16, '\0');
  for (size_t i = 0; i < values.size(); ++i) std::memcpy(&out[i * 16], values[i].bytes.data(), 16);
  return out;
}

StatusOr<std::vector<Uuid>> DecodeUuidBlock(std::string_view raw) {
  if (raw.size() % 16 != 0) return DataLossError("uuid block size is not a multiple of 16");
  std::vector<Uuid> out(raw.size() / 16);
  for (size_t i = 0; i < out.size(); ++i) std::memcpy(out[i].bytes.data(), &raw[i * 16], 16);
  return out;
}

std::string EncodeInt64Block(const std::vector<int64_t>& values) {
  ByteWriter w;
  w.PutVarint(values.size());
  uint64_t prev = 0;
  for (int64_t v : values) {
    // Unsigned wrap-around keeps the delta defined for any pair of int64 values.
    uint64_t cur = static_cast<uint64_t>(v);
    w.PutSignedVarint(static_cast<int64_t>(cur - prev));
    prev = cur;
  }
  return std::move(w).Take();
}

StatusOr<std::vector<int64_t>> DecodeInt64Block(std::string_view raw) {
  ByteReader r(raw);
  uint64_t count;
  if (!r.GetVarint(&count) || count > r.remaining()) return DataLossError("corrupt int64 block");
  std::vector<int64_t> out;
  out.reserve(count);
  uint64_t prev = 0;
  for (uint64_t i = 0; i < count; ++i) {
    int64_t delta;
    if (!r.GetSignedVarint(&delta)) return DataLossError("truncated int64 block");
    prev += static_cast<uint64_t>(delta);
    out.push_back(static_cast<int64_t>(prev));
  }
  HOGLET_RETURN_IF_ERROR(ExpectEnd(r));
  return out;
}

std::string EncodeDictStringBlock(const std::vector<std::string_view>& values) {
  ByteWriter w;
  EncodeDictStrings(values, &w);
  return std::move(w).Take();
}

StatusOr<DictStrings> DecodeDictStringBlock(std::string_view raw) {
  ByteReader r(raw);
  HOGLET_ASSIGN_OR_RETURN(DictStrings out, DecodeDictStrings(&r));
  HOGLET_RETURN_IF_ERROR(ExpectEnd(r));
  return out;
}

std::string EncodeTextBlock(const std::vector<std::string_view>& values) {
  ByteWriter w;
  EncodePlainStrings(values, &w);
  return std::move(w).Take();
}

StatusOr<std::vector<std::string>> DecodeTextBlock(std::string_view raw) {
  ByteReader r(raw);
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> out, DecodePlainStrings(&r));
  HOGLET_RETURN_IF_ERROR(ExpectEnd(r));
  return out;
}

}  // namespace hoglet::store
