// Reading what person processing needs from an event's properties, and writing the properties
// the stored event keeps (analytics §2.4, §2.5, §2.8).
//
// Both functions are pure and thread-safe (parsers are thread-local). Properties that are not a
// JSON object read as {}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoglet::persons {

enum class ProcessPersonProfile {
  kAbsent,   // on
  kTrue,     // on
  kFalse,    // off: the only value that disables person processing
  kInvalid,  // any other value: on, with an ingestion warning
};

struct EventFields {
  ProcessPersonProfile process_person_profile = ProcessPersonProfile::kAbsent;
  std::string process_person_profile_json;  // the raw value when kInvalid

  // Raw JSON of $set / $set_once (objects) and $unset (array or object); empty when absent.
  std::string set;
  std::string set_once;
  std::string unset;
  // Names of operations present with the wrong type ("$set" holding a string, …); ignored.
  std::vector<std::string> invalid_operations;
  bool has_person_operations = false;  // any of $set, $set_once, $unset present
  bool has_group_columns = false;      // any $group_<N> key present

  // Merge partners: strings as they are, numbers as their JSON text; other types are absent.
  std::optional<std::string> anon_distinct_id;  // $anon_distinct_id
  std::optional<std::string> alias;             // alias

  // $groups entries in order: (group type, group key); keys may be strings or numbers.
  std::vector<std::pair<std::string, std::string>> groups;

  // $groupidentify fields.
  std::optional<std::string> group_type;
  std::optional<std::string> group_key;
  std::string group_set;  // raw JSON object; empty when absent or not an object
};

EventFields ReadEventFields(std::string_view properties);

struct PropertyRewrite {
  bool remove_person_operations = false;                   // drop $set, $set_once, $unset
  bool remove_process_person_profile = false;              // drop $process_person_profile
  bool strip_group_columns = false;                        // drop every $group_<N>
  std::vector<std::pair<int, std::string>> group_columns;  // add $group_<index> = key
};

// True when `rewrite` would change properties that `fields` were read from.
bool RewriteChangesProperties(const EventFields& fields, const PropertyRewrite& rewrite);

// The properties with `rewrite` applied. Added $group_<N> replace existing keys of that name.
std::string RewriteEventProperties(std::string_view properties, const PropertyRewrite& rewrite);

}  // namespace hoglet::persons
