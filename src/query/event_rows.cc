#include "query/event_rows.h"

#include <algorithm>
#include <string>

#include "filters/element_filter.h"
#include "query/sampling.h"

namespace hoglet::query {

Status EventRows::Narrow(const EventConditions& conditions, store::RowSelection* rows) {
  if (!store::AnySelected(*rows)) return Status::Ok();
  if (conditions.sampling_factor) {
    HOGLET_RETURN_IF_ERROR(NarrowToSample(*conditions.sampling_factor, rows));
    if (!store::AnySelected(*rows)) return Status::Ok();
  }
  const store::BlockReader::OtherLeaf leaf = [this](const filters::PropertyFilter& filter,
                                                    store::RowSelection* selected) {
    return NarrowOtherLeaf(filter, selected);
  };
  if (conditions.event) {
    HOGLET_RETURN_IF_ERROR(SelectEventNames(block_, {*conditions.event}, rows));
    if (!store::AnySelected(*rows)) return Status::Ok();
  }
  if (conditions.action_id) {
    HOGLET_RETURN_IF_ERROR(NarrowAction(*conditions.action_id, leaf, rows));
    if (!store::AnySelected(*rows)) return Status::Ok();
  }
  for (const filters::FilterNode* filters : conditions.filters) {
    if (filters == nullptr || filters->empty()) continue;
    HOGLET_RETURN_IF_ERROR(block_->Select(*filters, context_.match, rows, &leaf));
    if (!store::AnySelected(*rows)) return Status::Ok();
  }
  if (conditions.person) {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, Persons());
    for (size_t row = 0; row < rows->size(); ++row) {
      if ((*rows)[row] && (*persons)[row] != *conditions.person) (*rows)[row] = 0;
    }
  }
  return Status::Ok();
}

// Keeps the rows whose distinct id is in the sample; each distinct id of the block is hashed once.
Status EventRows::NarrowToSample(double factor, store::RowSelection* rows) {
  HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* distinct_ids, block_->DistinctIds());
  std::vector<char> kept(distinct_ids->dict.size());
  for (size_t entry = 0; entry < kept.size(); ++entry) {
    kept[entry] = InSample(distinct_ids->dict[entry], factor) ? 1 : 0;
  }
  for (size_t row = 0; row < rows->size(); ++row) {
    if ((*rows)[row] && !kept[distinct_ids->index[row]]) (*rows)[row] = 0;
  }
  return Status::Ok();
}

Status EventRows::NarrowOtherLeaf(const filters::PropertyFilter& filter,
                                  store::RowSelection* selected) {
  if (filter.type == filters::FilterType::kElement) return NarrowElementLeaf(filter, selected);
  if (filter.type == filters::FilterType::kHogQL) return NarrowHogQLLeaf(filter, selected);
  if (filter.type == filters::FilterType::kGroup) {
    for (size_t row = 0; row < selected->size(); ++row) {
      if (!(*selected)[row]) continue;
      HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties,
                              GroupPropertiesOf(filter.group_type_index.value_or(0), row));
      if (filters::MatchProperty(filter, *properties, context_.match) == filter.negation) {
        (*selected)[row] = 0;
      }
    }
    return Status::Ok();
  }
  const bool cohort = filter.type == filters::FilterType::kCohort;
  if (filter.type != filters::FilterType::kPerson && !cohort) {
    return InternalError("a filter of type '" + filter.type_name + "' reached the scan");
  }
  if (cohort && context_.cohorts == nullptr) {
    return InternalError("a cohort filter reached a query run without cohorts");
  }
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, Persons());
  HOGLET_RETURN_IF_ERROR(LoadPersonProperties(*selected));
  for (size_t row = 0; row < selected->size(); ++row) {
    if (!(*selected)[row]) continue;
    HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties, PersonPropertiesOf(row));
    bool matches = false;
    if (cohort) {
      HOGLET_ASSIGN_OR_RETURN(matches,
                              context_.cohorts->Matches(filter, (*persons)[row], *properties));
    } else {
      matches = filters::MatchProperty(filter, *properties, context_.match);
    }
    if (matches == filter.negation) (*selected)[row] = 0;
  }
  return Status::Ok();
}

Status EventRows::NarrowElementLeaf(const filters::PropertyFilter& filter,
                                    store::RowSelection* selected) {
  HOGLET_ASSIGN_OR_RETURN(const store::PropertyColumnData* column,
                          block_->Property("$elements_chain"));
  for (size_t row = 0; row < selected->size(); ++row) {
    if (!(*selected)[row]) continue;
    const store::PropertyValue* value = column != nullptr ? column->Get(row) : nullptr;
    const std::string chain =
        value != nullptr ? store::StringifyProperty(*value).value_or("") : std::string();
    if (filters::MatchElementFilter(filter, chain, context_.match) == filter.negation) {
      (*selected)[row] = 0;
    }
  }
  return Status::Ok();
}

Status EventRows::NarrowHogQLLeaf(const filters::PropertyFilter& filter,
                                  store::RowSelection* selected) {
  if (context_.hogql_filters == nullptr) {
    return InvalidArgumentError(
        "a HogQL filter (" + filters::QuotedFilterText(filter.key) + ") is not supported here",
        "not_supported");
  }
  HOGLET_ASSIGN_OR_RETURN(const RowExpression* condition,
                          context_.hogql_filters->Condition(filter));
  return condition->Narrow(block_, selected);
}

// Keeps the rows that match a step of the action (none for an unknown or deleted one).
Status EventRows::NarrowAction(int64_t action_id, const store::BlockReader::OtherLeaf& leaf,
                               store::RowSelection* rows) {
  const ResolvedAction* action = nullptr;
  if (context_.actions != nullptr) {
    auto found = context_.actions->find(action_id);
    if (found != context_.actions->end()) action = &found->second;
  }
  if (action == nullptr || action->deleted) {
    std::fill(rows->begin(), rows->end(), 0);
    return Status::Ok();
  }
  if (action->steps.empty()) return Status::Ok();  // an action without steps matches every event
  store::RowSelection any(rows->size(), 0);
  for (const ActionStep& step : action->steps) {
    store::RowSelection matched = *rows;
    if (step.event) HOGLET_RETURN_IF_ERROR(SelectEventNames(block_, {*step.event}, &matched));
    if (store::AnySelected(matched) && !step.filters.empty()) {
      HOGLET_RETURN_IF_ERROR(block_->Select(step.filters, context_.match, &matched, &leaf));
    }
    for (size_t row = 0; row < any.size(); ++row) any[row] |= matched[row];
  }
  *rows = std::move(any);
  return Status::Ok();
}

StatusOr<const std::vector<Uuid>*> EventRows::Persons() {
  if (persons_ == nullptr) {
    HOGLET_ASSIGN_OR_RETURN(persons_, ResolveEventPersons(block_, context_.overrides, &moved_));
  }
  return persons_;
}

StatusOr<const std::vector<uint32_t>*> EventRows::PersonNumbers() {
  if (person_numbers_ == nullptr) {
    const PersonOverrides* overrides = context_.overrides;
    if (overrides == nullptr) return InternalError("the persons' numbers need the overrides");
    // Kept with the block's columns: the name says which overrides (and numbers) they are of.
    const std::string name = "person_number@" + std::to_string(overrides->serial());
    HOGLET_ASSIGN_OR_RETURN(
        person_numbers_,
        block_->Derived<std::vector<uint32_t>>(name, [&]() -> StatusOr<std::vector<uint32_t>> {
          HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, Persons());
          std::vector<uint32_t> numbers(persons->size());
          HOGLET_RETURN_IF_ERROR(
              overrides->numbers().Number(persons->data(), persons->size(), numbers.data()));
          return numbers;
        }));
  }
  return person_numbers_.get();
}

StatusOr<const filters::Properties*> EventRows::PersonPropertiesOf(size_t row) {
  if (context_.person_properties == nullptr) {
    return InternalError("person properties were asked of a query run without them");
  }
  if (row < row_properties_.size() && row_properties_[row] != nullptr) return row_properties_[row];
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, Persons());
  // A block keeps each person's events together: the rows of one person ask one after another.
  const Uuid& person = (*persons)[row];
  if (last_properties_ == nullptr || person != last_person_) {
    HOGLET_ASSIGN_OR_RETURN(last_properties_, context_.person_properties->Of(person));
    last_person_ = person;
  }
  return last_properties_;
}

Status EventRows::LoadPersonProperties(const store::RowSelection& rows) {
  if (context_.person_properties == nullptr) {
    return InternalError("person properties were asked of a query run without them");
  }
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, Persons());
  row_properties_.resize(rows.size(), nullptr);
  // The persons of the selected rows not answered yet, in row order; a part keeps each person's
  // events together, so repeats next to each other are asked once.
  std::vector<Uuid> asked;
  std::vector<uint32_t> asked_of_row(rows.size());
  for (size_t row = 0; row < rows.size(); ++row) {
    if (!rows[row] || row_properties_[row] != nullptr) continue;
    if (asked.empty() || asked.back() != (*persons)[row]) asked.push_back((*persons)[row]);
    asked_of_row[row] = static_cast<uint32_t>(asked.size() - 1);
  }
  if (asked.empty()) return Status::Ok();
  HOGLET_RETURN_IF_ERROR(context_.person_properties->Load(asked));
  std::vector<const filters::Properties*> answers(asked.size());
  HOGLET_RETURN_IF_ERROR(
      context_.person_properties->OfMany(asked.data(), asked.size(), answers.data()));
  for (size_t row = 0; row < rows.size(); ++row) {
    if (rows[row] && row_properties_[row] == nullptr) {
      row_properties_[row] = answers[asked_of_row[row]];
    }
  }
  return Status::Ok();
}

StatusOr<std::string> EventRows::GroupKeyOf(int index, size_t row) {
  HOGLET_ASSIGN_OR_RETURN(const store::PropertyColumnData* column,
                          block_->Property("$group_" + std::to_string(index)));
  const store::PropertyValue* value = column != nullptr ? column->Get(row) : nullptr;
  if (value == nullptr) return std::string();
  return store::StringifyProperty(*value).value_or("");
}

StatusOr<const filters::Properties*> EventRows::GroupPropertiesOf(int index, size_t row) {
  if (context_.group_properties == nullptr) {
    return InternalError("group properties were asked of a query run without them");
  }
  HOGLET_ASSIGN_OR_RETURN(std::string key, GroupKeyOf(index, row));
  if (key.empty()) return &no_properties_;
  return context_.group_properties->Of(index, key);
}

}  // namespace hoglet::query
