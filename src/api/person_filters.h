// Person-property filters for the persons list: PostHog's `properties` query parameter, a JSON
// list of {"key", "value", "operator", "type": "person"} (or {"type": "AND", "values": [...]}
// around such a list), evaluated against each person's properties with the same semantics as
// event-property filters (store/property_filter_eval.h).
//
// Supported: filters of type "person" (or without a type) with the operators exact, is_not,
// icontains, not_icontains, regex, not_regex, gt, gte, lt, lte, is_set, is_not_set. Anything
// else (cohort, event, element, … filters; OR groups; nested groups) is refused with
// kInvalidArgument naming it, rather than silently ignored.
//
// A PersonFilterSet is immutable once parsed; Matches is thread-compatible (one per request).
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/properties_parser.h"
#include "store/property_filter_eval.h"

namespace hoglet::api {

class PersonFilterSet {
 public:
  // kInvalidArgument for malformed JSON, an unsupported filter type or operator, a missing key
  // or value, or more than 100 filters.
  static StatusOr<PersonFilterSet> Parse(std::string_view json);

  bool empty() const { return filters_.empty(); }
  // True when the person's properties (JSON object text) satisfy every filter. Properties that
  // are not a JSON object read as empty.
  bool Matches(std::string_view properties_json, store::PropertiesParser& parser) const;

 private:
  std::vector<store::CompiledFilter> filters_;
};

}  // namespace hoglet::api
