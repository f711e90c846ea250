#include "store/property_column.h"

#include "store/string_column.h"

namespace hoglet::store {
namespace {

bool ValidKind(uint8_t kind) {
  return kind >= static_cast<uint8_t>(PropertyValue::Kind::kString) &&
         kind <= static_cast<uint8_t>(PropertyValue::Kind::kJson);
}

}  // namespace

const PropertyValue PropertyColumnData::kNullValue = PropertyValue::Null();

void PropertyColumnData::AppendAbsent() {
  present_.PushBack(false);
  null_.PushBack(false);
  slot_.push_back(kNoSlot);
}

void PropertyColumnData::AppendNull() {
  present_.PushBack(true);
  null_.PushBack(true);
  slot_.push_back(kNoSlot);
}

void PropertyColumnData::Append(PropertyValue value) {
  if (value.kind == PropertyValue::Kind::kNull) return AppendNull();
  present_.PushBack(true);
  null_.PushBack(false);
  slot_.push_back(static_cast<uint32_t>(values_.size()));
  values_.push_back(std::move(value));
}

const PropertyValue* PropertyColumnData::Get(size_t row) const {
  if (!present_.Get(row)) return nullptr;
  if (null_.Get(row)) return &kNullValue;
  return &values_[slot_[row]];
}

void PropertyColumnData::Clear() { *this = PropertyColumnData(); }

size_t PropertyColumnData::MemoryBytes() const {
  size_t bytes = sizeof *this + present_.MemoryBytes() + null_.MemoryBytes() - 2 * sizeof(Bitmap) +
                 values_.capacity() * sizeof(PropertyValue) + slot_.capacity() * sizeof(uint32_t);
  for (const PropertyValue& value : values_) {
    if (value.text.capacity() > 15) bytes += value.text.capacity() + 1;  // past the inline buffer
  }
  return bytes;
}

PropertyBlockType PropertyColumnData::BlockType() const {
  if (values_.empty()) return PropertyBlockType::kEmpty;
  PropertyValue::Kind kind = values_[0].kind;
  for (const PropertyValue& v : values_) {
    if (v.kind != kind) return PropertyBlockType::kMixed;
  }
  switch (kind) {
    case PropertyValue::Kind::kString:
      return PropertyBlockType::kString;
    case PropertyValue::Kind::kNumber:
      return PropertyBlockType::kNumber;
    case PropertyValue::Kind::kBool:
      return PropertyBlockType::kBool;
    case PropertyValue::Kind::kJson:
      return PropertyBlockType::kJson;
    case PropertyValue::Kind::kNull:
      break;
  }
  return PropertyBlockType::kMixed;
}

Codec PropertyColumnData::PreferredCodec() const {
  PropertyBlockType type = BlockType();
  return type == PropertyBlockType::kNumber || type == PropertyBlockType::kBool ||
                 type == PropertyBlockType::kEmpty
             ? Codec::kLz4
             : Codec::kZstd;
}

std::vector<const PropertyValue*> PropertyColumnData::RowValues() const {
  std::vector<const PropertyValue*> out;
  out.reserve(values_.size());
  for (uint32_t slot : slot_) {
    if (slot != kNoSlot) out.push_back(&values_[slot]);
  }
  return out;
}

std::string PropertyColumnData::Encode() const {
  ByteWriter w;
  PropertyBlockType type = BlockType();
  const std::vector<const PropertyValue*> values = RowValues();
  w.PutVarint(rows());
  w.PutU8(static_cast<uint8_t>(type));
  present_.EncodeTo(&w);
  null_.EncodeTo(&w);
  switch (type) {
    case PropertyBlockType::kEmpty:
      break;
    case PropertyBlockType::kString: {
      std::vector<std::string_view> views;
      views.reserve(values.size());
      for (const PropertyValue* v : values) views.push_back(v->text);
      EncodeDictStrings(views, &w);
      break;
    }
    case PropertyBlockType::kNumber:
      for (const PropertyValue* v : values) w.PutDouble(v->number);
      break;
    case PropertyBlockType::kBool: {
      Bitmap bits;
      for (const PropertyValue* v : values) bits.PushBack(v->boolean);
      bits.EncodeTo(&w);
      break;
    }
    case PropertyBlockType::kJson: {
      std::vector<std::string_view> views;
      views.reserve(values.size());
      for (const PropertyValue* v : values) views.push_back(v->text);
      EncodePlainStrings(views, &w);
      break;
    }
    case PropertyBlockType::kMixed:
      for (const PropertyValue* v : values) w.PutU8(static_cast<uint8_t>(v->kind));
      for (const PropertyValue* v : values) {
        switch (v->kind) {
          case PropertyValue::Kind::kString:
          case PropertyValue::Kind::kJson:
            w.PutString(v->text);
            break;
          case PropertyValue::Kind::kNumber:
            w.PutDouble(v->number);
            break;
          case PropertyValue::Kind::kBool:
            w.PutU8(v->boolean ? 1 : 0);
            break;
          case PropertyValue::Kind::kNull:
            break;
        }
      }
      break;
  }
  return std::move(w).Take();
}

StatusOr<PropertyColumnData> PropertyColumnData::Decode(std::string_view raw) {
  ByteReader r(raw);
  uint64_t rows;
  uint8_t type_byte;
  PropertyColumnData out;
  if (!r.GetVarint(&rows) || rows > uint64_t{8} * r.remaining() || !r.GetU8(&type_byte) ||
      !out.present_.DecodeFrom(&r, rows) || !out.null_.DecodeFrom(&r, rows)) {
    return DataLossError("corrupt property block header");
  }
  size_t count = 0;
  out.slot_.assign(rows, kNoSlot);
  for (size_t i = 0; i < rows; ++i) {
    if (out.null_.Get(i) && !out.present_.Get(i)) return DataLossError("null but absent row");
    if (out.present_.Get(i) && !out.null_.Get(i)) out.slot_[i] = static_cast<uint32_t>(count++);
  }
  auto type = static_cast<PropertyBlockType>(type_byte);
  out.values_.reserve(count);
  switch (type) {
    case PropertyBlockType::kEmpty:
      if (count != 0) return DataLossError("empty property block with values");
      break;
    case PropertyBlockType::kString: {
      // The dictionary's strings once each, the rows' slots pointing at them.
      HOGLET_ASSIGN_OR_RETURN(DictStrings strings, DecodeDictStrings(&r));
      if (strings.size() != count) return DataLossError("property string count mismatch");
      for (std::string& text : strings.dict)
        out.values_.push_back(PropertyValue::String(std::move(text)));
      size_t i = 0;
      for (uint32_t& slot : out.slot_) {
        if (slot != kNoSlot) slot = strings.index[i++];
      }
      break;
    }
    case PropertyBlockType::kNumber:
      for (size_t i = 0; i < count; ++i) {
        double v;
        if (!r.GetDouble(&v)) return DataLossError("truncated property numbers");
        out.values_.push_back(PropertyValue::Number(v));
      }
      break;
    case PropertyBlockType::kBool: {
      Bitmap bits;
      if (!bits.DecodeFrom(&r, count)) return DataLossError("truncated property bools");
      for (size_t i = 0; i < count; ++i) out.values_.push_back(PropertyValue::Bool(bits.Get(i)));
      break;
    }
    case PropertyBlockType::kJson: {
      HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> texts, DecodePlainStrings(&r));
      if (texts.size() != count) return DataLossError("property json count mismatch");
      for (std::string& t : texts) out.values_.push_back(PropertyValue::Json(std::move(t)));
      break;
    }
    case PropertyBlockType::kMixed: {
      std::string_view kinds;
      if (!r.GetBytes(count, &kinds)) return DataLossError("truncated property type tags");
      for (size_t i = 0; i < count; ++i) {
        uint8_t kind = static_cast<uint8_t>(kinds[i]);
        if (!ValidKind(kind)) return DataLossError("bad property type tag");
        PropertyValue v;
        v.kind = static_cast<PropertyValue::Kind>(kind);
        bool ok = true;
        std::string_view s;
        uint8_t b;
        switch (v.kind) {
          case PropertyValue::Kind::kString:
          case PropertyValue::Kind::kJson:
            ok = r.GetString(&s);
            v.text.assign(s);
            break;
          case PropertyValue::Kind::kNumber:
            ok = r.GetDouble(&v.number);
            break;
          case PropertyValue::Kind::kBool:
            ok = r.GetU8(&b);
            v.boolean = b != 0;
            break;
          case PropertyValue::Kind::kNull:
            break;
        }
        if (!ok) return DataLossError("truncated mixed property values");
        out.values_.push_back(std::move(v));
      }
      break;
    }
    default:
      return DataLossError("unknown property block type " + std::to_string(type_byte));
  }
  if (!r.empty()) return DataLossError("trailing bytes in property block");
  return out;
}

}  // namespace hoglet::store
