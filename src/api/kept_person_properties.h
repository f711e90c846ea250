// Persons' current properties as a query reads them when it reads only some keys
// (query/person_keys_read.h): each person points at one of the table's distinct sets of kept
// values, so the persons of a project with a handful of plans share a handful of sets. Memory is
// a map of persons to pointers rather than a map of properties per person, and a breakdown keys
// each set once rather than each person (query/breakdown_keys.h).
//
// Example:
//   KeptPersonProperties kept({"email", "plan"});
//   kept.Add(person, R"({"plan": "pro", "name": "Ada"})");  // keeps {"plan": "pro"}
//   const filters::Properties* properties = kept.Find(person);
//
// Filled by one thread; once complete it may be shared (api/person_properties_cache.h) and read
// by any number of threads (Find and the accessors only read).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/uuid.h"
#include "base/uuid_index.h"
#include "filters/property_value.h"

namespace hoglet::api {

class KeptPersonProperties {
 public:
  // `keys`: the keys kept, in any order.
  explicit KeptPersonProperties(std::vector<std::string> keys);
  KeptPersonProperties(const KeptPersonProperties&) = delete;
  KeptPersonProperties& operator=(const KeptPersonProperties&) = delete;

  // The kept keys, sorted.
  const std::vector<std::string>& keys() const { return keys_; }

  // The properties of `person`; null when it was not added. The pointer lives as long as the
  // table, and persons with the same kept values get the same pointer.
  const filters::Properties* Find(const Uuid& person) const;
  // Find of each of persons[0, count) into out[i], fetching the persons' slots from memory a
  // few lookups ahead: what a scan asks for a block's persons.
  void FindMany(const Uuid* persons, size_t count, const filters::Properties** out) const;
  // Adds `person` with the kept members of `properties_json` (a JSON object's text; anything
  // else reads as no properties) unless it is present; its properties either way. A repeated
  // key keeps its last value.
  const filters::Properties* Add(const Uuid& person, std::string_view properties_json);
  // Adds `person` without properties (no record) unless it is present.
  const filters::Properties* AddNone(const Uuid& person);

  size_t persons() const { return persons_.size(); }
  size_t distinct_sets() const { return sets_.size(); }
  // The heap the table holds, roughly.
  size_t ApproximateBytes() const;

 private:
  // The number of the table's set equal to `properties`, added when new.
  uint32_t Intern(filters::Properties properties);

  std::vector<std::string> keys_;  // sorted, unique
  UuidIndex persons_;              // person → its set's number
  // Each distinct set once, by number (a deque: they keep their address), and the number of
  // each by its canonical text (Intern).
  std::deque<filters::Properties> sets_;
  std::unordered_map<std::string, uint32_t> set_numbers_;
  size_t set_bytes_ = 0;
};

}  // namespace hoglet::api
