#include "store/block_reader.h"

#include <algorithm>
#include <charconv>

namespace hoglet::store {

bool AnySelected(const RowSelection& rows) {
  return std::find(rows.begin(), rows.end(), 1) != rows.end();
}

const filters::PropertyValueRef* PropertyValueReader::Read(const PropertyValue* value) {
  if (value == nullptr) return nullptr;
  using Kind = filters::PropertyValue::Kind;
  switch (value->kind) {
    case PropertyValue::Kind::kNull:
      ref_ = {Kind::kNull, false, 0, {}};
      break;
    case PropertyValue::Kind::kString:
      ref_ = {Kind::kString, false, 0, value->text};
      break;
    case PropertyValue::Kind::kNumber: {
      auto [end, error] =
          std::to_chars(number_text_, number_text_ + sizeof number_text_, value->number);
      std::string_view text =
          error == std::errc() ? std::string_view(number_text_, end - number_text_) : "null";
      ref_ = {Kind::kNumber, false, value->number, text};
      break;
    }
    case PropertyValue::Kind::kBool:
      ref_ = {Kind::kBool, value->boolean, 0, {}};
      break;
    case PropertyValue::Kind::kJson:
      ref_ = {value->text.starts_with('[') ? Kind::kArray : Kind::kObject, false, 0, value->text};
      break;
  }
  return &ref_;
}

StatusOr<const std::vector<int64_t>*> BlockReader::Timestamps() {
  if (timestamps_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(timestamps_, Decoded<std::vector<int64_t>>("timestamp", [this] {
                              return cursor_->Timestamps(block_);
                            }));
  }
  return timestamps_.get();
}

StatusOr<const DictStrings*> BlockReader::EventNames() {
  if (event_names_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(event_names_, Decoded<DictStrings>("event", [this] {
                              return cursor_->EventNames(block_);
                            }));
  }
  return event_names_.get();
}

StatusOr<const DictStrings*> BlockReader::DistinctIds() {
  if (distinct_ids_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(distinct_ids_, Decoded<DictStrings>("distinct_id", [this] {
                              return cursor_->DistinctIds(block_);
                            }));
  }
  return distinct_ids_.get();
}

StatusOr<const std::vector<Uuid>*> BlockReader::PersonIds() {
  if (person_ids_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(person_ids_, Decoded<std::vector<Uuid>>("person_id", [this] {
                              return cursor_->PersonIds(block_);
                            }));
  }
  return person_ids_.get();
}

StatusOr<const std::vector<Uuid>*> BlockReader::Uuids() {
  if (uuids_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(
        uuids_, Decoded<std::vector<Uuid>>("uuid", [this] { return cursor_->Uuids(block_); }));
  }
  return uuids_.get();
}

StatusOr<const std::vector<int64_t>*> BlockReader::CreatedAts() {
  if (created_ats_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(created_ats_, Decoded<std::vector<int64_t>>("created_at", [this] {
                              return cursor_->CreatedAts(block_);
                            }));
  }
  return created_ats_.get();
}

StatusOr<const std::vector<int64_t>*> BlockReader::PersonModes() {
  if (person_modes_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(person_modes_, Decoded<std::vector<int64_t>>("person_mode", [this] {
                              return cursor_->PersonModes(block_);
                            }));
  }
  return person_modes_.get();
}

StatusOr<const std::vector<std::string>*> BlockReader::PropertiesJson() {
  if (!properties_json_) {
    HOGLET_ASSIGN_OR_RETURN(properties_json_, cursor_->Properties(block_));
  }
  return &*properties_json_;
}

StatusOr<const PropertyColumnData*> BlockReader::Property(std::string_view key) {
  auto found = properties_.find(key);
  if (found != properties_.end()) return found->second.get();
  std::shared_ptr<const PropertyColumnData> column;
  if (part_.meta().FindColumn(key, ColumnType::kProperty) != nullptr) {
    HOGLET_ASSIGN_OR_RETURN(
        column, Decoded<PropertyColumnData>(
                    "property:" + std::string(key), [&]() -> StatusOr<PropertyColumnData> {
                      HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<PropertyColumnData> decoded,
                                              cursor_->Property(key, block_));
                      return std::move(*decoded);
                    }));
  }
  if (column == nullptr && part_.meta().property_overflow) {
    // The key may live only in the properties JSON: read it from there, once.
    if (!properties_json_) {
      HOGLET_ASSIGN_OR_RETURN(properties_json_, cursor_->Properties(block_));
    }
    PropertiesParser parser;
    auto values = std::make_unique<PropertyColumnData>();
    bool any = false;
    for (const std::string& json : *properties_json_) {
      std::optional<PropertyValue> value = parser.Find(json, key);
      if (value) {
        values->Append(std::move(*value));
        any = true;
      } else {
        values->AppendAbsent();
      }
    }
    if (any) column = std::move(values);
  }
  return properties_.emplace(std::string(key), std::move(column)).first->second.get();
}

Status BlockReader::Select(const filters::FilterNode& node, const filters::MatchContext& context,
                           RowSelection* rows, const OtherLeaf* other) {
  switch (node.kind) {
    case filters::FilterNode::Kind::kLeaf:
      if (other != nullptr && node.filter.type != filters::FilterType::kEvent) {
        return (*other)(node.filter, rows);
      }
      return SelectLeaf(node.filter, context, rows);
    case filters::FilterNode::Kind::kAnd:
      for (const filters::FilterNode& child : node.children) {
        if (!AnySelected(*rows)) break;
        HOGLET_RETURN_IF_ERROR(Select(child, context, rows, other));
      }
      return Status::Ok();
    case filters::FilterNode::Kind::kOr: {
      // Each child sees only the rows no earlier child has matched.
      RowSelection matched(rows->size(), 0);
      RowSelection trial;
      for (const filters::FilterNode& child : node.children) {
        trial = *rows;
        for (size_t row = 0; row < trial.size(); ++row) trial[row] &= !matched[row];
        if (!AnySelected(trial)) break;
        HOGLET_RETURN_IF_ERROR(Select(child, context, &trial, other));
        for (size_t row = 0; row < trial.size(); ++row) matched[row] |= trial[row];
      }
      *rows = std::move(matched);
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Status BlockReader::SelectLeaf(const filters::PropertyFilter& filter,
                               const filters::MatchContext& context, RowSelection* rows) {
  PropertyValueReader reader;
  auto holds = [&](const PropertyValue* value) {
    return filters::MatchValue(filter, reader.Read(value), context) != filter.negation;
  };
  HOGLET_ASSIGN_OR_RETURN(const PropertyColumnData* column, Property(filter.key));
  if (column == nullptr) {
    if (!holds(nullptr)) std::fill(rows->begin(), rows->end(), 0);
    return Status::Ok();
  }
  if (column->slots() * 2 > rows->size()) {
    for (size_t row = 0; row < rows->size(); ++row) {
      if ((*rows)[row] && !holds(column->Get(row))) (*rows)[row] = 0;
    }
    return Status::Ok();
  }
  // Rows sharing values (a string block's dictionary): each value is decided once.
  std::vector<char> slot_holds(column->slots());
  for (uint32_t slot = 0; slot < slot_holds.size(); ++slot) {
    slot_holds[slot] = holds(&column->ValueAt(slot));
  }
  static const PropertyValue kNull = PropertyValue::Null();
  const bool null_holds = holds(&kNull);
  const bool absent_holds = holds(nullptr);
  for (size_t row = 0; row < rows->size(); ++row) {
    if (!(*rows)[row]) continue;
    const uint32_t slot = column->SlotOf(row);
    const bool row_holds = slot != PropertyColumnData::kNoSlot ? slot_holds[slot] != 0
                           : column->present(row)              ? null_holds
                                                               : absent_holds;
    if (!row_holds) (*rows)[row] = 0;
  }
  return Status::Ok();
}

}  // namespace hoglet::store
