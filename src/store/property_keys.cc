#include "store/property_keys.h"

#include "base/json_writer.h"
#include "store/byte_codec.h"

namespace hoglet::store {

void AppendPropertiesJson(std::span<const PropertyRef> properties, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& [key, value] : properties) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(out, key);
    out->push_back(':');
    switch (value->kind) {
      case PropertyValue::Kind::kNull:
        out->append("null");
        break;
      case PropertyValue::Kind::kString:
        AppendJsonString(out, value->text);
        break;
      case PropertyValue::Kind::kNumber:
        out->append(FormatNumber(value->number));
        break;
      case PropertyValue::Kind::kBool:
        out->append(value->boolean ? "true" : "false");
        break;
      case PropertyValue::Kind::kJson:
        out->append(value->text);
        break;
    }
  }
  out->push_back('}');
}

bool KeyedProperties::Parse(std::string_view json) {
  refs_.clear();
  written_back_ = false;
  if (!parser_.Parse(json, &properties_).ok()) return false;
  for (const auto& [key, value] : properties_) refs_.emplace_back(key, &value);
  written_.clear();
  AppendPropertiesJson(refs_, &written_);
  written_back_ = written_ == json;
  return true;
}

void PropertyKeysBuilder::AddKeys(std::span<const PropertyRef> properties) {
  list_key_.clear();
  for (const auto& [key, value] : properties) {
    list_key_.append(std::to_string(key.size())).push_back(':');
    list_key_.append(key);
  }
  auto [it, added] = list_index_.try_emplace(list_key_, static_cast<uint32_t>(lists_.size()));
  if (added) {
    std::vector<std::string>& keys = lists_.emplace_back();
    keys.reserve(properties.size());
    for (const auto& [key, value] : properties) keys.emplace_back(key);
  }
  rows_.push_back(it->second + 1);
}

void PropertyKeysBuilder::AddText(std::string_view json) {
  rows_.push_back(0);
  texts_.emplace_back(json);
}

std::string PropertyKeysBuilder::Encode() const {
  ByteWriter w;
  w.PutVarint(rows_.size());
  w.PutVarint(lists_.size());
  for (const std::vector<std::string>& keys : lists_) {
    w.PutVarint(keys.size());
    for (const std::string& key : keys) w.PutString(key);
  }
  for (uint32_t row : rows_) w.PutVarint(row);
  for (const std::string& text : texts_) w.PutString(text);
  return std::move(w).Take();
}

void PropertyKeysBuilder::Clear() {
  lists_.clear();
  list_index_.clear();
  rows_.clear();
  texts_.clear();
}

StatusOr<PropertyKeysBlock> DecodePropertyKeysBlock(std::string_view raw) {
  const auto malformed = [](std::string_view what) {
    return DataLossError("malformed property keys block: " + std::string(what));
  };
  ByteReader r(raw);
  uint64_t rows = 0, lists = 0;
  if (!r.GetVarint(&rows) || !r.GetVarint(&lists)) return malformed("truncated counts");
  // Every row and every list takes at least a byte: counts beyond the input are corrupt.
  if (rows > r.remaining() || lists > r.remaining()) return malformed("counts beyond the block");
  PropertyKeysBlock block;
  block.lists.resize(lists);
  for (std::vector<std::string>& keys : block.lists) {
    uint64_t count = 0;
    if (!r.GetVarint(&count) || count > r.remaining()) return malformed("truncated key list");
    keys.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      std::string_view key;
      if (!r.GetString(&key)) return malformed("truncated key");
      keys.emplace_back(key);
    }
  }
  block.rows.reserve(rows);
  size_t texts = 0;
  for (uint64_t i = 0; i < rows; ++i) {
    uint64_t row = 0;
    if (!r.GetVarint(&row)) return malformed("truncated rows");
    if (row > lists) return malformed("key list out of range");
    if (row == 0) ++texts;
    block.rows.push_back(static_cast<uint32_t>(row));
  }
  block.texts.reserve(texts);
  for (size_t i = 0; i < texts; ++i) {
    std::string_view text;
    if (!r.GetString(&text)) return malformed("truncated text");
    block.texts.emplace_back(text);
  }
  if (!r.empty()) return malformed("trailing bytes");
  return block;
}

StatusOr<std::vector<std::string>> WritePropertiesJson(
    const PropertyKeysBlock& block,
    const std::unordered_map<std::string_view, const PropertyColumnData*>& columns) {
  std::vector<std::string> out(block.rows.size());
  std::vector<PropertyRef> refs;
  size_t text = 0;
  for (size_t row = 0; row < out.size(); ++row) {
    if (block.rows[row] == 0) {
      out[row] = block.texts[text++];
      continue;
    }
    refs.clear();
    for (const std::string& key : block.lists[block.rows[row] - 1]) {
      auto column = columns.find(key);
      const PropertyValue* value = column == columns.end() || column->second == nullptr ||
                                           column->second->rows() != out.size()
                                       ? nullptr
                                       : column->second->Get(row);
      if (value == nullptr) {
        return DataLossError("row " + std::to_string(row) + " keeps its properties by key '" + key +
                             "', which holds no value for it");
      }
      refs.emplace_back(key, value);
    }
    AppendPropertiesJson(refs, &out[row]);
  }
  return out;
}

}  // namespace hoglet::store
