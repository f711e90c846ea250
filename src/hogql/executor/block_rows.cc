#include "hogql/executor/block_rows.h"

#include <optional>
#include <string>

#include "store/column_type.h"

namespace hoglet::hogql {

BlockRows::BlockRows(store::BlockReader* block, const PlannedQuery& plan,
                     const HogQLRunContext& context, int64_t team_id)
    : block_(block),
      team_id_(team_id),
      plan_(plan),
      context_(context),
      properties_(plan.property_keys.size()),
      properties_loaded_(plan.property_keys.size(), false) {}

Value BlockRows::Column(EventColumn column) {
  switch (column) {
    case EventColumn::kEvent:
    case EventColumn::kDistinctId: {
      const store::DictStrings* dictionary = Dictionary(column);
      return dictionary != nullptr ? Value::String(dictionary->at(row_)) : Value::Null();
    }
    case EventColumn::kTimestamp: {
      if (timestamps_ == nullptr && !Load(block_->Timestamps(), &timestamps_)) {
        return Value::Null();
      }
      return Value::DateTime((*timestamps_)[row_]);
    }
    case EventColumn::kUuid: {
      if (uuids_ == nullptr && !Load(block_->Uuids(), &uuids_)) return Value::Null();
      return Value::UuidText((*uuids_)[row_].ToString());
    }
    case EventColumn::kProperties: {
      if (properties_json_ == nullptr && !Load(block_->PropertiesJson(), &properties_json_)) {
        return Value::Null();
      }
      return Value::String((*properties_json_)[row_]);
    }
    case EventColumn::kPersonId: {
      if (!ResolvePersons()) return Value::Null();
      return Value::UuidText((*persons_)[row_].ToString());
    }
    case EventColumn::kCreatedAt: {
      if (created_ats_ == nullptr && !Load(block_->CreatedAts(), &created_ats_)) {
        return Value::Null();
      }
      return Value::DateTime((*created_ats_)[row_]);
    }
    case EventColumn::kTeamId:
      return Value::Int(team_id_);
    case EventColumn::kPersonMode: {
      if (person_modes_ == nullptr && !Load(block_->PersonModes(), &person_modes_)) {
        return Value::Null();
      }
      switch ((*person_modes_)[row_]) {
        case 1:
          return Value::String("propertyless");
        case 2:
          return Value::String("force_upgrade");
        default:
          return Value::String("full");
      }
    }
  }
  return Value::Null();
}

std::optional<uint32_t> BlockRows::DictionaryCode(EventColumn column) {
  const store::DictStrings* dictionary = Dictionary(column);
  if (dictionary == nullptr) return std::nullopt;
  return dictionary->index[row_];
}

const store::DictStrings* BlockRows::Dictionary(EventColumn column) {
  if (column == EventColumn::kEvent) {
    if (names_ == nullptr && !Load(block_->EventNames(), &names_)) return nullptr;
    return names_;
  }
  if (column == EventColumn::kDistinctId) {
    if (distinct_ids_ == nullptr && !Load(block_->DistinctIds(), &distinct_ids_)) return nullptr;
    return distinct_ids_;
  }
  return nullptr;
}

Value BlockRows::Property(size_t slot, PropertyRead read) {
  if (!properties_loaded_[slot]) {
    properties_loaded_[slot] = true;
    if (!Load(block_->Property(plan_.property_keys[slot]), &properties_[slot])) {
      return Value::Null();
    }
  }
  const store::PropertyColumnData* column = properties_[slot];
  const store::PropertyValue* value = column != nullptr ? column->Get(row_) : nullptr;
  if (read == PropertyRead::kExtractString) {
    bool is_string = value != nullptr && value->kind == store::PropertyValue::Kind::kString;
    return Value::String(is_string ? value->text : std::string());
  }
  std::optional<std::string> text =
      value != nullptr ? store::StringifyProperty(*value) : std::nullopt;
  if (!text || text->empty()) {
    return read == PropertyRead::kEmptyWhenMissing ? Value::String("") : Value::Null();
  }
  return Value::String(*std::move(text));
}

Value BlockRows::PersonProperty(size_t slot) {
  if (context_.person_properties == nullptr || !ResolvePersons()) return Value::Null();
  if (!person_properties_loaded_) {
    // The block's persons in one read rather than one per person.
    person_properties_loaded_ = true;
    Status loaded = context_.person_properties->Load(*persons_);
    if (!loaded.ok()) {
      if (status_.ok()) status_ = loaded;
      return Value::Null();
    }
  }
  StatusOr<const filters::Properties*> properties =
      context_.person_properties->Of((*persons_)[row_]);
  if (!properties.ok()) {
    status_ = properties.status();
    return Value::Null();
  }
  auto found = (*properties)->find(plan_.person_property_keys[slot]);
  if (found == (*properties)->end() || found->second.kind == filters::PropertyValue::Kind::kNull) {
    return Value::Null();
  }
  std::string text = found->second.ToText();
  if (text.empty()) return Value::Null();
  return Value::String(std::move(text));
}

bool BlockRows::ResolvePersons() {
  if (persons_ != nullptr) return true;
  StatusOr<const std::vector<Uuid>*> resolved =
      query::ResolveEventPersons(block_, context_.overrides, &moved_);
  if (!resolved.ok()) {
    if (status_.ok()) status_ = resolved.status();
    return false;
  }
  persons_ = *resolved;
  return true;
}

}  // namespace hoglet::hogql
