#include "query/event_persons.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace hoglet::query {

namespace {

uint64_t HashOf(std::string_view distinct_id) { return std::hash<std::string_view>()(distinct_id); }

uint64_t NextSerial() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

PersonOverrides::PersonOverrides() : serial_(NextSerial()) {}

void PersonOverrides::Set(std::string distinct_id, const Uuid& person) {
  serial_ = NextSerial();
  {
    std::lock_guard lock(remembered_mu_);  // what was resolved before may have changed
    remembered_.clear();
    remembered_ids_ = 0;
  }
  const uint64_t hash = HashOf(distinct_id);
  if (!slots_.empty()) {
    const Slot& slot = slots_[SlotOf(distinct_id, hash)];
    if (slot.entry != 0) {
      entries_[slot.entry - 1].person = person;
      return;
    }
  }
  entries_.push_back(Entry{std::move(distinct_id), person});
  if (slots_.size() < entries_.size() * 2) {
    Rebuild(std::max<size_t>(64, slots_.size() * 2));
    return;
  }
  slots_[SlotOf(entries_.back().distinct_id, hash)] =
      Slot{hash, static_cast<uint32_t>(entries_.size())};
  Mark(hash);
}

size_t PersonOverrides::SlotOf(std::string_view distinct_id, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.entry == 0) return i;
    if (slot.hash == hash && entries_[slot.entry - 1].distinct_id == distinct_id) return i;
  }
}

void PersonOverrides::Rebuild(size_t slots) {
  slots_.assign(slots, Slot{});
  bits_.assign(slots / 8, 0);  // 64 bits a word: eight bits per slot, sixteen per entry at most
  for (size_t index = 0; index < entries_.size(); ++index) {
    const uint64_t hash = HashOf(entries_[index].distinct_id);
    slots_[SlotOf(entries_[index].distinct_id, hash)] =
        Slot{hash, static_cast<uint32_t>(index + 1)};
    Mark(hash);
  }
}

void PersonOverrides::Mark(uint64_t hash) {
  const size_t mask = bits_.size() * 64 - 1;
  const size_t a = hash & mask;
  const size_t b = (hash >> 32) & mask;
  bits_[a / 64] |= uint64_t{1} << (a % 64);
  bits_[b / 64] |= uint64_t{1} << (b % 64);
}

bool PersonOverrides::MaybeListed(uint64_t hash) const {
  if (bits_.empty()) return false;
  const size_t mask = bits_.size() * 64 - 1;
  const size_t a = hash & mask;
  const size_t b = (hash >> 32) & mask;
  return (bits_[a / 64] >> (a % 64) & 1) != 0 && (bits_[b / 64] >> (b % 64) & 1) != 0;
}

const Uuid* PersonOverrides::Find(std::string_view distinct_id) const {
  const uint64_t hash = HashOf(distinct_id);
  if (!MaybeListed(hash)) return nullptr;
  const Slot& slot = slots_[SlotOf(distinct_id, hash)];
  return slot.entry != 0 ? &entries_[slot.entry - 1].person : nullptr;
}

std::shared_ptr<const std::vector<const Uuid*>> PersonOverrides::ResolveDictionary(
    uint64_t part_id, size_t block, const std::vector<std::string>& dictionary) const {
  const std::pair<uint64_t, size_t> key{part_id, block};
  {
    std::lock_guard lock(remembered_mu_);
    auto found = remembered_.find(key);
    if (found != remembered_.end() && found->second->size() == dictionary.size()) {
      return found->second;
    }
  }
  auto resolved = std::make_shared<std::vector<const Uuid*>>(dictionary.size());
  for (size_t i = 0; i < dictionary.size(); ++i) (*resolved)[i] = Find(dictionary[i]);
  std::lock_guard lock(remembered_mu_);
  if (remembered_ids_ + dictionary.size() <= kMaxRemembered &&
      remembered_.try_emplace(key, resolved).second) {
    remembered_ids_ += dictionary.size();
  }
  return resolved;
}

StatusOr<const std::vector<Uuid>*> ResolveEventPersons(store::BlockReader* block,
                                                       const PersonOverrides* overrides,
                                                       std::vector<Uuid>* moved) {
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* stored, block->PersonIds());
  if (overrides == nullptr || overrides->size() == 0) return stored;
  HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* distinct_ids, block->DistinctIds());
  // The override of each distinct id of the block's dictionary, looked up once.
  const std::shared_ptr<const std::vector<const Uuid*>> override_of = overrides->ResolveDictionary(
      block->part().meta().part_id, block->block(), distinct_ids->dict);
  if (std::all_of(override_of->begin(), override_of->end(),
                  [](const Uuid* person) { return person == nullptr; })) {
    return stored;
  }
  moved->assign(stored->begin(), stored->end());
  for (size_t row = 0; row < moved->size(); ++row) {
    if (const Uuid* person = (*override_of)[distinct_ids->index[row]]) (*moved)[row] = *person;
  }
  return moved;
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
