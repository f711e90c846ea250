#include "store/string_column.h"

#include <unordered_map>

namespace hoglet::store {
namespace {

// A decoded count larger than the remaining bytes cannot be genuine; refusing it early keeps a
// corrupt file from forcing a huge allocation.
bool PlausibleCount(uint64_t count, const ByteReader& r) { return count <= r.remaining(); }

}  // namespace

void EncodeDictStrings(const std::vector<std::string_view>& values, ByteWriter* w) {
  std::unordered_map<std::string_view, uint32_t> ids;
  std::vector<std::string_view> dict;
  std::vector<uint32_t> index;
  index.reserve(values.size());
  for (std::string_view v : values) {
    auto [it, inserted] = ids.emplace(v, static_cast<uint32_t>(dict.size()));
    if (inserted) dict.push_back(v);
    index.push_back(it->second);
  }
  w->PutVarint(dict.size());
  for (std::string_view d : dict) w->PutString(d);
  w->PutVarint(index.size());
  for (uint32_t i : index) w->PutVarint(i);
}

StatusOr<DictStrings> DecodeDictStrings(ByteReader* r) {
  DictStrings out;
  uint64_t dict_size;
  if (!r->GetVarint(&dict_size) || !PlausibleCount(dict_size, *r)) {
    return DataLossError("corrupt string dictionary size");
  }
  out.dict.reserve(dict_size);
  for (uint64_t i = 0; i < dict_size; ++i) {
    std::string_view s;
    if (!r->GetString(&s)) return DataLossError("truncated string dictionary");
    out.dict.emplace_back(s);
  }
  uint64_t count;
  if (!r->GetVarint(&count) || !PlausibleCount(count, *r)) {
    return DataLossError("corrupt string index count");
  }
  out.index.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t idx;
    if (!r->GetVarint(&idx) || idx >= dict_size) return DataLossError("corrupt string index");
    out.index.push_back(static_cast<uint32_t>(idx));
  }
  return out;
}

void EncodePlainStrings(const std::vector<std::string_view>& values, ByteWriter* w) {
  w->PutVarint(values.size());
  for (std::string_view v : values) w->PutString(v);
}

StatusOr<std::vector<std::string>> DecodePlainStrings(ByteReader* r) {
  uint64_t count;
  if (!r->GetVarint(&count) || !PlausibleCount(count, *r)) {
    return DataLossError("corrupt string count");
  }
  std::vector<std::string> out;
  out.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view s;
    if (!r->GetString(&s)) return DataLossError("truncated strings");
    out.emplace_back(s);
  }
  return out;
}

}  // namespace hoglet::store
