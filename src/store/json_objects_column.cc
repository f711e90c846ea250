#include "store/json_objects_column.h"

#include <unordered_map>
#include <utility>

#include "store/byte_codec.h"
#include "store/property_column.h"
#include "store/property_keys.h"

namespace hoglet::store {

std::string EncodeJsonObjectsBlock(const std::vector<std::string_view>& texts) {
  ByteWriter w;
  w.PutVarint(texts.size());
  std::unordered_map<std::string_view, uint32_t> distinct;
  std::vector<std::string_view> objects;
  for (std::string_view text : texts) {
    auto [it, added] = distinct.try_emplace(text, static_cast<uint32_t>(objects.size()));
    if (added) objects.push_back(text);
    w.PutVarint(it->second);
  }

  thread_local KeyedProperties keyed;
  PropertyKeysBuilder keys;
  std::vector<std::pair<std::string, PropertyColumnData>> columns;
  std::unordered_map<std::string, size_t> column_of;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (!keyed.Parse(objects[i]) || !keyed.written_back()) {
      keys.AddText(objects[i]);
      continue;
    }
    for (auto& [key, value] : keyed.properties()) {
      auto [it, added] = column_of.try_emplace(key, columns.size());
      if (added) columns.emplace_back(key, PropertyColumnData());
      PropertyColumnData& column = columns[it->second].second;
      while (column.rows() < i) column.AppendAbsent();
      column.Append(std::move(value));
    }
    keys.AddKeys(keyed.refs());  // reads the keys only
  }
  w.PutString(keys.Encode());
  w.PutVarint(columns.size());
  for (auto& [key, column] : columns) {
    while (column.rows() < objects.size()) column.AppendAbsent();
    w.PutString(key);
    w.PutString(column.Encode());
  }
  return std::move(w).Take();
}

StatusOr<std::vector<std::string>> DecodeJsonObjectsBlock(std::string_view raw) {
  const auto malformed = [](std::string_view what) {
    return DataLossError("malformed JSON objects block: " + std::string(what));
  };
  ByteReader r(raw);
  uint64_t rows = 0;
  if (!r.GetVarint(&rows) || rows > r.remaining()) return malformed("truncated row count");
  std::vector<uint32_t> object_of(rows);
  for (uint32_t& object : object_of) {
    uint64_t index = 0;
    if (!r.GetVarint(&index) || index >= rows) return malformed("row out of range");
    object = static_cast<uint32_t>(index);
  }
  std::string_view keys_raw;
  if (!r.GetString(&keys_raw)) return malformed("truncated keys");
  HOGLET_ASSIGN_OR_RETURN(PropertyKeysBlock keys, DecodePropertyKeysBlock(keys_raw));
  uint64_t count = 0;
  if (!r.GetVarint(&count) || count > r.remaining()) return malformed("truncated columns");
  std::vector<std::string> names(count);
  std::vector<PropertyColumnData> decoded(count);
  std::unordered_map<std::string_view, const PropertyColumnData*> columns;
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name, column;
    if (!r.GetString(&name) || !r.GetString(&column)) return malformed("truncated column");
    names[i] = name;
    HOGLET_ASSIGN_OR_RETURN(decoded[i], PropertyColumnData::Decode(column));
    columns.emplace(names[i], &decoded[i]);
  }
  if (!r.empty()) return malformed("trailing bytes");
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> objects, WritePropertiesJson(keys, columns));
  std::vector<std::string> out(rows);
  for (size_t row = 0; row < rows; ++row) {
    if (object_of[row] >= objects.size()) return malformed("row out of range");
    out[row] = objects[object_of[row]];
  }
  return out;
}

}  // namespace hoglet::store
