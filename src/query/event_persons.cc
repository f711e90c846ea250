#include "query/event_persons.h"

#include <algorithm>

namespace hoglet::query {

Status ResolveEventPersons(store::BlockReader* block, const PersonOverrides* overrides,
                           std::vector<Uuid>* persons) {
  HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* distinct_ids, block->DistinctIds());
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* person_ids, block->PersonIds());
  // The override of each distinct id of the block's dictionary, looked up once.
  std::vector<const Uuid*> override_of(distinct_ids->dict.size(), nullptr);
  if (overrides != nullptr) {
    for (size_t i = 0; i < distinct_ids->dict.size(); ++i) {
      auto found = overrides->person_of.find(distinct_ids->dict[i]);
      if (found != overrides->person_of.end()) override_of[i] = &found->second;
    }
  }
  persons->resize(person_ids->size());
  for (size_t row = 0; row < persons->size(); ++row) {
    const Uuid* moved = override_of[distinct_ids->index[row]];
    (*persons)[row] = moved != nullptr ? *moved : (*person_ids)[row];
  }
  return Status::Ok();
}

Status SelectEventNames(store::BlockReader* block, const std::vector<std::string>& names,
                        store::RowSelection* rows) {
  HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* dictionary, block->EventNames());
  std::vector<char> wanted(dictionary->dict.size());
  bool any = false;
  for (size_t i = 0; i < dictionary->dict.size(); ++i) {
    wanted[i] = std::find(names.begin(), names.end(), dictionary->dict[i]) != names.end();
    any |= wanted[i];
  }
  if (!any) {
    std::fill(rows->begin(), rows->end(), 0);
    return Status::Ok();
  }
  for (size_t row = 0; row < rows->size(); ++row) (*rows)[row] &= wanted[dictionary->index[row]];
  return Status::Ok();
}

}  // namespace hoglet::query
