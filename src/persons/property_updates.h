// Person and group property updates (analytics §2.6, §2.8) as pure functions over JSON text.
//
//   $set_once  sets a key only when it is undefined on the person; a stored null is defined.
//   $set       sets a key when the value differs by JavaScript strict inequality (`!==`), so an
//              object or array value always counts as a change.
//   $unset     removes keys: given as an array of key strings, or as an object whose keys are
//              removed (its values are ignored).
// They apply in that order. Keys keep their position; new keys are appended.
//
// Inputs that are not what the operation expects (a $set that is not an object, a properties
// text that is not an object) are treated as empty: the caller validates and warns. Output is
// compact JSON. Thread-safe (parsers are thread-local).
#pragma once

#include <string>
#include <string_view>

namespace hoglet::persons {

// Raw JSON texts of the operations; an empty view means "absent".
struct PropertyOperations {
  std::string_view set;       // object
  std::string_view set_once;  // object
  std::string_view unset;     // array of strings, or object
};

struct PropertyUpdate {
  std::string properties;  // the resulting JSON object text
  bool changed = false;    // whether any key was added, replaced or removed
};

PropertyUpdate ApplyPropertyOperations(std::string_view properties, const PropertyOperations& ops);

// Group update rule (§2.8): each key of `group_set` overwrites when absent or when the value
// differs by JavaScript loose inequality (`!=`); there is no set-once or unset.
PropertyUpdate ApplyGroupSet(std::string_view properties, std::string_view group_set);

// `{...base, ...overlay}` as compact JSON (base's key order, then overlay's new keys). Either
// may be empty or not an object, and then counts as {}.
std::string OverlayProperties(std::string_view base, std::string_view overlay);

}  // namespace hoglet::persons
