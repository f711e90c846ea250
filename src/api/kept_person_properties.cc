#include "api/kept_person_properties.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

#include "filters/property_value_json.h"

namespace hoglet::api {

namespace {

// What a value of the table's maps costs beyond its text, roughly: the node, the key's string
// and the bucket.
constexpr size_t kMemberOverheadBytes = 96;
constexpr size_t kSetOverheadBytes = 128;

void AppendLength(size_t length, std::string* out) {
  const auto n = static_cast<uint32_t>(length);
  out->append(reinterpret_cast<const char*>(&n), sizeof(n));
}

}  // namespace

KeptPersonProperties::KeptPersonProperties(std::vector<std::string> keys) : keys_(std::move(keys)) {
  std::sort(keys_.begin(), keys_.end());
  keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
}

const filters::Properties* KeptPersonProperties::Find(const Uuid& person) const {
  std::optional<uint32_t> set = persons_.Find(person);
  return set ? &sets_[*set] : nullptr;
}

void KeptPersonProperties::FindMany(const Uuid* persons, size_t count,
                                    const filters::Properties** out) const {
  // Far enough ahead to overlap a few fetches, near enough that they are still cached.
  constexpr size_t kAhead = 8;
  for (size_t i = 0; i < std::min(count, kAhead); ++i) persons_.Prefetch(persons[i]);
  for (size_t i = 0; i < count; ++i) {
    if (i + kAhead < count) persons_.Prefetch(persons[i + kAhead]);
    out[i] = Find(persons[i]);
  }
}

const filters::Properties* KeptPersonProperties::Add(const Uuid& person,
                                                     std::string_view properties_json) {
  if (const filters::Properties* found = Find(person)) return found;
  auto kept = [this](std::string_view key) {
    return std::binary_search(keys_.begin(), keys_.end(), key, std::less<>());
  };
  filters::Properties properties;
  // Only the kept members are converted: what a breakdown over many persons would otherwise
  // spend building and freeing maps of every property.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(properties_json.data(), properties_json.size()).get(object) ==
      simdjson::SUCCESS) {
    for (simdjson::dom::key_value_pair field : object) {
      if (!kept(field.key)) continue;
      properties.insert_or_assign(std::string(field.key),
                                  filters::PropertyValueFromJson(field.value));
    }
  } else if (StatusOr<filters::Properties> all = filters::ParseProperties(properties_json);
             all.ok()) {
    // Not strict JSON (NaN, large integers…): as ParseProperties reads it.
    properties = *std::move(all);
    std::erase_if(properties, [&kept](const auto& member) { return !kept(member.first); });
  }
  const uint32_t set = Intern(std::move(properties));
  persons_.Insert(person, set);
  return &sets_[set];
}

const filters::Properties* KeptPersonProperties::AddNone(const Uuid& person) {
  if (const filters::Properties* found = Find(person)) return found;
  const uint32_t none = Intern({});
  persons_.Insert(person, none);
  return &sets_[none];
}

uint32_t KeptPersonProperties::Intern(filters::Properties properties) {
  // The canonical text: each present key's index, the value's kind and text, in key order.
  std::string canonical;
  for (size_t i = 0; i < keys_.size(); ++i) {
    auto member = properties.find(keys_[i]);
    if (member == properties.end()) continue;
    const filters::PropertyValue& value = member->second;
    AppendLength(i, &canonical);
    canonical.push_back(static_cast<char>(value.kind));
    canonical.push_back(value.boolean ? '1' : '0');
    AppendLength(value.text.size(), &canonical);
    canonical += value.text;
  }
  auto [number, added] =
      set_numbers_.try_emplace(std::move(canonical), static_cast<uint32_t>(sets_.size()));
  if (added) {
    for (const auto& [key, value] : properties) {
      set_bytes_ += kMemberOverheadBytes + key.size() + value.text.size();
    }
    set_bytes_ += kSetOverheadBytes + 2 * number->first.size();
    sets_.push_back(std::move(properties));
  }
  return number->second;
}

size_t KeptPersonProperties::ApproximateBytes() const { return persons_.bytes() + set_bytes_; }

}  // namespace hoglet::api
