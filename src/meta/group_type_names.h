// The names people give a project's group types (PostHog's GroupTypeMapping.name_singular and
// name_plural): "company" / "companies" for the group type `company`. Ingestion creates the
// group types (persons/); the names are metadata, unset (nullopt) until someone sets them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hoglet::meta {

// PostHog's limit on each name (a CharField of max_length 400), in characters; Hoglet counts
// bytes of UTF-8, so a non-ASCII name may hold fewer characters.
inline constexpr size_t kMaxGroupTypeNameBytes = 400;

struct GroupTypeNames {
  int group_type_index = 0;  // 0 to 4
  std::optional<std::string> name_singular;
  std::optional<std::string> name_plural;

  friend bool operator==(const GroupTypeNames&, const GroupTypeNames&) = default;
};

}  // namespace hoglet::meta
