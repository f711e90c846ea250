#include "query/event_persons.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace hoglet::query {

namespace {

size_t HashOf(std::string_view distinct_id) { return std::hash<std::string_view>()(distinct_id); }

}  // namespace

void PersonOverrides::Set(std::string distinct_id, const Uuid& person) {
  const size_t hash = HashOf(distinct_id);
  person_of_.insert_or_assign(std::move(distinct_id), person);
  if (bits_.size() * 64 >= person_of_.size() * 8) {
    Mark(hash);
    return;
  }
  // Grown past eight bits an id: a bigger array, every id marked again.
  size_t words = 1;
  while (words * 64 < person_of_.size() * 16) words *= 2;
  bits_.assign(words, 0);
  for (const auto& entry : person_of_) Mark(HashOf(entry.first));
}

void PersonOverrides::Mark(size_t hash) {
  const size_t mask = bits_.size() * 64 - 1;
  const size_t a = hash & mask;
  const size_t b = (hash >> 32) & mask;
  bits_[a / 64] |= uint64_t{1} << (a % 64);
  bits_[b / 64] |= uint64_t{1} << (b % 64);
}

bool PersonOverrides::MaybeListed(size_t hash) const {
  if (bits_.empty()) return false;
  const size_t mask = bits_.size() * 64 - 1;
  const size_t a = hash & mask;
  const size_t b = (hash >> 32) & mask;
  return (bits_[a / 64] >> (a % 64) & 1) != 0 && (bits_[b / 64] >> (b % 64) & 1) != 0;
}

const Uuid* PersonOverrides::Find(std::string_view distinct_id) const {
  if (!MaybeListed(HashOf(distinct_id))) return nullptr;
  auto found = person_of_.find(std::string(distinct_id));
  return found != person_of_.end() ? &found->second : nullptr;
}

Status ResolveEventPersons(store::BlockReader* block, const PersonOverrides* overrides,
                           std::vector<Uuid>* persons) {
  HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* distinct_ids, block->DistinctIds());
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* person_ids, block->PersonIds());
  // The override of each distinct id of the block's dictionary, looked up once.
  std::vector<const Uuid*> override_of(distinct_ids->dict.size(), nullptr);
  if (overrides != nullptr) {
    for (size_t i = 0; i < distinct_ids->dict.size(); ++i) {
      override_of[i] = overrides->Find(distinct_ids->dict[i]);
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
