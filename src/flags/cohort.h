// Cohorts as flag conditions see them (capture-and-flags §3.6). A static cohort is a stored list
// of persons; a dynamic one is a tree of property filters over person properties:
//   {"properties": {"type": "OR", "values": [{"type": "AND", "values": [<filter>, ...]}, ...]}}
// Leaves may be person property filters, other cohorts ("type": "cohort") or flags, and may
// carry "negation": true.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/property_filter.h"

namespace hoglet::flags {

struct CohortNode {
  enum class Kind { kAnd, kOr, kLeaf };
  Kind kind = Kind::kAnd;
  std::vector<CohortNode> children;  // kAnd / kOr ("PROPERTY" groups read as AND)
  filters::PropertyFilter filter;    // kLeaf
};

struct Cohort {
  int64_t id = 0;
  int64_t team_id = 0;
  std::string name;
  bool is_static = false;
  bool deleted = false;
  std::string filters_json = "{}";  // as stored
  CohortNode root;                  // parsed filters_json.properties; an empty AND when absent
};

// Parses a cohort's `filters` object. A group is an object with "values" whose "type" is "AND",
// "OR" or "PROPERTY" (any case; PROPERTY and a missing type read as AND); `{}` and an absent
// "properties" are an empty AND, true for everyone; anything else is a leaf property filter.
// kInvalidArgument (reason "invalid_input"), naming the field, when the shape is wrong (a group
// without "values", a leaf that is not a property filter) or groups nest more than 16 deep.
StatusOr<CohortNode> ParseCohortFilters(std::string_view json);

}  // namespace hoglet::flags
