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
#include "filters/filter_tree.h"
#include "filters/property_filter.h"

namespace hoglet::flags {

struct Cohort {
  int64_t id = 0;
  int64_t team_id = 0;
  std::string name;
  bool is_static = false;
  bool deleted = false;
  std::string filters_json = "{}";  // as stored
  filters::FilterNode root;         // parsed filters_json.properties; an empty AND when absent
};

// Parses a cohort's `filters` object: its "properties" is a filter tree (filters/filter_tree.h)
// whose root is an object; an absent "properties" is an empty AND, true for everyone.
// kInvalidArgument (reason "invalid_input"), naming the field, when the shape is wrong (a group
// without "values", a leaf that is not a property filter), groups nest more than 16 deep, or as
// `options` asks (the cohorts API refuses regexes RE2 cannot use).
StatusOr<filters::FilterNode> ParseCohortFilters(std::string_view json,
                                                 const filters::FilterParseOptions& options = {});

}  // namespace hoglet::flags
