// One property filter of a flag condition or a cohort (capture-and-flags §3.1, §3.5):
//   {"key": "email", "value": "@acme.com", "operator": "icontains", "type": "person"}
// parsed once when a flag set is compiled, so evaluation never re-parses JSON or regexes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/property_value.h"

namespace re2 {
class RE2;
}

namespace hoglet::filters {

enum class Operator {
  kExact,  // the default when "operator" is absent or null
  kIsNot,
  kIsSet,
  kIsNotSet,
  kIContains,
  kNotIContains,
  kIContainsMulti,
  kNotIContainsMulti,
  kStartsWith,
  kNotStartsWith,
  kEndsWith,
  kNotEndsWith,
  kRegex,
  kNotRegex,
  kGt,
  kGte,
  kLt,
  kLte,
  kIsDateBefore,
  kIsDateAfter,
  kIsDateExact,
  kSemverEq,
  kSemverNeq,
  kSemverGt,
  kSemverGte,
  kSemverLt,
  kSemverLte,
  kSemverTilde,
  kSemverCaret,
  kSemverWildcard,
  kIn,               // cohort membership (type "cohort")
  kNotIn,            // (type "cohort")
  kFlagEvaluatesTo,  // flag dependency (type "flag")
  kUnknown,          // an operator this server does not know: never matches
};

// PostHog's name for an operator ("exact", "is_not", …); "unknown" for kUnknown.
std::string_view OperatorName(Operator op);
// The operator with this name; kUnknown for any other name.
Operator OperatorFromName(std::string_view name);

enum class FilterType { kPerson, kGroup, kCohort, kFlag, kOther };

struct PropertyFilter {
  std::string key;      // property name; cohort id (type cohort); flag key or id (type flag)
  PropertyValue value;  // the filter's value (string, number, bool, array, or null)
  Operator op = Operator::kExact;
  std::string operator_name;  // as written (kept for unknown operators and for serving back)
  FilterType type = FilterType::kPerson;
  std::optional<int> group_type_index;        // type group
  bool negation = false;                      // cohort leaves: invert the result
  std::vector<std::string> dependency_chain;  // type flag: keys to evaluate first, in order

  // Compiled once for kRegex / kNotRegex: null when the pattern is invalid (then both operators
  // match nothing). RE2 syntax, which is the syntax of PostHog's Rust regex.
  std::shared_ptr<const re2::RE2> regex;

  // The items of `value` when it is an array, parsed once (exact, is_not and icontains_multi
  // test each item). Empty otherwise.
  std::vector<PropertyValue> value_items;
};

// Parses one filter object. A filter with a missing or null "operator" is kExact; an unknown
// operator name is kept as kUnknown (it never matches, as PostHog's server does). A missing
// "type" is kPerson. kInvalidArgument, naming the field, when the object has no string "key",
// when "type" is not a string, or when a cohort filter's value is not an integer id.
StatusOr<PropertyFilter> ParsePropertyFilter(std::string_view json);

}  // namespace hoglet::filters
