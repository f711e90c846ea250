// Event and property definitions (analytics §1.9): per project, every event name and every
// property key ingestion has seen, with the value type the property was first seen with. Queries
// cast property values by this type, and the UI's pickers list these names.
//
// Ingestion reports what it saw with EventDefinitionSeen / PropertyDefinitionSeen
// (MetaStore::RecordDefinitions) and EventPropertySeen (MetaStore::RecordEventProperties); the API
// reads EventDefinition / PropertyDefinition pages (MetaStore::ListEventDefinitions /
// ListPropertyDefinitions). Instants are microseconds since the Unix epoch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hoglet::meta {

// PostHog's property_type. Stored and served by its PostHog name ("String", "Numeric", ...).
enum class PropertyType { kString, kNumeric, kBoolean, kDateTime };

// "String", "Numeric", "Boolean" or "DateTime".
std::string_view PropertyTypeName(PropertyType type);
// The inverse of PropertyTypeName (exact, case-sensitive); nullopt for anything else.
std::optional<PropertyType> ParsePropertyType(std::string_view name);

// PostHog's PropertyDefinition.type: what kind of object the property belongs to. Stored as the
// integer value. Ingestion records event properties, person properties (the keys of `$set` and
// `$set_once`) and group properties (the keys of a `$groupidentify`'s `$group_set`, per group
// type).
enum class PropertyOwner { kEvent = 1, kPerson = 2, kGroup = 3 };

// The longest event name or property key recorded (PostHog's definitions are Postgres
// varchar(200) columns; longer names are not recorded).
inline constexpr size_t kMaxDefinitionNameBytes = 199;

// Bounds on the definitions one MetaStore::RecordDefinitions call may create. Definitions that
// exist are always updated; a new name over a bound is left out and counted. The defaults bound
// nothing.
struct DefinitionLimits {
  // New rows this call may insert, event and property definitions together (event names first).
  size_t max_new = SIZE_MAX;
  // Event definitions, event property definitions, person property definitions and group
  // property definitions (of all its group types) a project may hold in all.
  size_t max_event_definitions = SIZE_MAX;
  size_t max_property_definitions = SIZE_MAX;
  size_t max_person_property_definitions = SIZE_MAX;
  size_t max_group_property_definitions = SIZE_MAX;
};

// What one RecordDefinitions call did.
struct RecordedDefinitions {
  size_t new_events = 0;      // event definitions inserted
  size_t new_properties = 0;  // property definitions inserted, of every owner together
  // New names left out because a DefinitionLimits bound was reached: their positions in the
  // call's `events` and `properties`, ascending.
  std::vector<size_t> skipped_events;
  std::vector<size_t> skipped_properties;
  // The project's event, event property, person property and group property definitions after
  // the call.
  size_t event_definitions = 0;
  size_t property_definitions = 0;
  size_t person_property_definitions = 0;
  size_t group_property_definitions = 0;
};

// An event name seen at `seen_at_us`.
struct EventDefinitionSeen {
  std::string name;
  int64_t seen_at_us = 0;
};

// A property key of `owner` seen at `seen_at_us` with a value of `property_type` (nullopt when
// the value had no type: null, an object or an array). A group property names its group type's
// index (0–4) in `group_type_index`; the others leave it unset (a sighting that does not is not
// recorded).
struct PropertyDefinitionSeen {
  std::string name;
  std::optional<PropertyType> property_type;
  int64_t seen_at_us = 0;
  PropertyOwner owner = PropertyOwner::kEvent;
  std::optional<int> group_type_index = std::nullopt;
};

// An event property key seen on an event of this name (PostHog's EventProperty row): the pairs
// that answer which properties an event has. Pairs carry no times; once seen, a pair stays.
struct EventPropertySeen {
  std::string event;
  std::string property;
};

// Bounds on the pairs one MetaStore::RecordEventProperties call may create; the defaults bound
// nothing.
struct EventPropertyLimits {
  size_t max_new = SIZE_MAX;               // new pairs this call may insert
  size_t max_event_properties = SIZE_MAX;  // pairs a project may hold in all
};

// What one RecordEventProperties call did.
struct RecordedEventProperties {
  size_t new_pairs = 0;
  // New pairs left out by a bound: their positions in the call's `pairs`, ascending.
  std::vector<size_t> skipped;
  size_t event_properties = 0;  // the project's pairs after the call
};

// What people write on a definition (PostHog's description, tags and verification); ingestion
// never changes it. `updated_at_us` is 0 until the first change.
struct DefinitionNotes {
  std::string description;
  std::string tags_json = "[]";  // a JSON array of strings
  bool verified = false;
  int64_t updated_at_us = 0;
  std::optional<int64_t> updated_by;  // user id
};

struct EventDefinition {
  int64_t id = 0;
  std::string uuid;  // the id PostHog's API shows
  int64_t team_id = 0;
  std::string name;
  int64_t created_at_us = 0;
  int64_t last_seen_at_us = 0;
  DefinitionNotes notes;
};

struct PropertyDefinition {
  int64_t id = 0;
  std::string uuid;  // the id PostHog's API shows
  int64_t team_id = 0;
  PropertyOwner owner = PropertyOwner::kEvent;
  std::optional<int> group_type_index;  // kGroup only: the group type's index
  std::string name;
  // The type of the first typed value seen; it never changes afterwards (as in PostHog).
  std::optional<PropertyType> property_type;
  bool is_numerical = false;  // property_type == kNumeric
  int64_t created_at_us = 0;
  std::optional<int64_t> last_seen_at_us;
  DefinitionNotes notes;
  // Set in a list answer whose query named event_names: whether the property was seen with one
  // of them (PostHog's is_seen_on_filtered_events). nullopt otherwise.
  std::optional<bool> seen_on_filtered_events;
};

// A change to a definition's notes: each field that is set replaces the stored one.
struct DefinitionNotesChange {
  std::optional<std::string> description;
  std::optional<std::string> tags_json;  // a JSON array of strings
  std::optional<bool> verified;
};

// A page of definitions of one project, ordered by name.
struct DefinitionListQuery {
  int64_t team_id = 0;
  // Whitespace-separated words; a definition matches when its name contains every word
  // (case-insensitive for ASCII). Empty: every definition. At most kMaxSearchBytes.
  std::string search;
  PropertyOwner owner = PropertyOwner::kEvent;  // property definitions only
  // Group property definitions only: when set, only those of this group type.
  std::optional<int> group_type_index = std::nullopt;
  // Event property definitions only (PostHog's event_names and filter_by_event_names). With
  // event names, each result says whether it was seen with one of them, and those seen come
  // first. filter_by_event_names keeps only the properties seen with one of the names (with no
  // names: seen with any event). At most kMaxEventNames names.
  std::vector<std::string> event_names;
  bool filter_by_event_names = false;
  // Property definitions only: when set, only those whose is_numerical is this.
  std::optional<bool> is_numerical;
  size_t limit = 100;
  size_t offset = 0;

  static constexpr size_t kMaxSearchBytes = 200;
  static constexpr size_t kMaxEventNames = 100;
};

template <typename T>
struct DefinitionPage {
  std::vector<T> results;
  int64_t total = 0;  // matches in the project, ignoring limit and offset
};

}  // namespace hoglet::meta
