// Person-property filters for the persons list: PostHog's `properties` query parameter
// (api/property_filter_parser.h, person filters), matched against each person's properties with
// the filter model's semantics (filters/property_match.h), as flags and cohorts match them.
//
// A PersonFilterSet is immutable once parsed and safe to share between threads.
#pragma once

#include <string_view>

#include "base/status.h"
#include "filters/filter_tree.h"
#include "filters/property_match.h"

namespace hoglet::api {

class PersonFilterSet {
 public:
  // kInvalidArgument as ParsePropertyFilters says. `context` resolves date filters.
  static StatusOr<PersonFilterSet> Parse(std::string_view json,
                                         const filters::MatchContext& context);

  bool empty() const { return tree_.empty(); }
  // True when the person's properties (JSON object text) satisfy the filters. Properties that
  // are not a JSON object read as empty.
  bool Matches(std::string_view properties_json) const;

 private:
  filters::FilterNode tree_;
  filters::MatchContext context_;
};

}  // namespace hoglet::api
