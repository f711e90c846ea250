// One property filter (capture-and-flags §3.1, §3.5; analytics §3.1):
//   {"key": "email", "value": "@acme.com", "operator": "icontains", "type": "person"}
// as flag conditions, cohorts, the events list and the persons list all carry it, parsed once so
// matching never re-parses JSON or regexes. filter_tree.h parses lists and AND/OR groups of them;
// property_match.h matches one against a value.
//
// Regexes are compiled with RE2 (PostHog's Rust regex syntax without lookaround and
// backreferences): matching takes time linear in the text and at most kRegexMaxMemBytes of memory
// per pattern, whatever the pattern and however long the property.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/element_selector.h"
#include "filters/property_value.h"

namespace re2 {
class RE2;
}

namespace hoglet::filters {

struct BehavioralCriterion;  // behavioral_criterion.h

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

// "person", "group", "cohort", "flag", "event", "element" (element_filter.h), "hogql" (the key is
// a HogQL expression over one event, e.g. "properties.$browser = 'Chrome'", which queries keep
// the events it holds for; query/hogql_filters.h); kOther for any other type.
enum class FilterType { kPerson, kGroup, kCohort, kFlag, kEvent, kElement, kHogQL, kOther };

// PostHog's name of a type ("person", …); "other" for kOther.
std::string_view FilterTypeName(FilterType type);

// The longest regex pattern accepted, and the memory RE2 may use for one compiled pattern (its
// programs and the DFA caches of its matches). A pattern beyond either is refused like an invalid
// one.
inline constexpr size_t kMaxRegexPatternBytes = 16 * 1024;
inline constexpr int64_t kRegexMaxMemBytes = 2 << 20;

struct PropertyFilter {
  std::string key;      // property name; cohort id (type cohort); flag key or id (type flag)
  PropertyValue value;  // the filter's value (string, number, bool, array, or null)
  Operator op = Operator::kExact;
  std::string operator_name;  // as written (kept for unknown operators and for serving back)
  FilterType type = FilterType::kPerson;
  std::optional<int> group_type_index;        // type group
  bool negation = false;                      // cohort leaves: invert the result
  std::vector<std::string> dependency_chain;  // type flag: keys to evaluate first, in order

  std::string type_name;  // "type" as written ("person" when absent, in flags and cohorts)

  // Compiled once for kRegex / kNotRegex: null when the pattern is invalid (then both operators
  // match nothing, as on PostHog's server), with RE2's reason in `regex_error`.
  std::shared_ptr<const re2::RE2> regex;
  std::string regex_error;

  // The items of `value` when it is an array, parsed once (exact, is_not and icontains_multi
  // test each item). Empty otherwise.
  std::vector<PropertyValue> value_items;

  // Type element, key selector: one compiled selector per value (element_filter.h).
  std::shared_ptr<const std::vector<ElementSelector>> selectors;

  // Type "behavioral" (a cohort criterion, kOther; its "key" may also be an integer action id):
  // the criterion when it is one this server evaluates, else null with the reason (naming the
  // field or the unsupported "value") in `behavioral_error`.
  std::shared_ptr<const BehavioralCriterion> behavioral;
  std::string behavioral_error;
};

// How strictly a filter is read.
struct FilterParseOptions {
  // The type of a filter without "type": person in flags and cohorts, event in the events list.
  FilterType default_type = FilterType::kPerson;
  // A regex or not_regex pattern RE2 refuses is kInvalidArgument (CheckRegex) instead of a filter
  // that matches nothing: for filters a client is writing (flags, cohorts, list parameters).
  bool reject_invalid_regex = false;
  // Also kInvalidArgument: an unknown operator, and a filter without a value (absent or null)
  // other than is_set / is_not_set or a HogQL filter, which would match nothing. For the list
  // endpoints' filters.
  bool strict = false;
};

// Parses one filter object. A filter with a missing or null "operator" is kExact; an unknown
// operator name is kept as kUnknown (it never matches, as PostHog's server does). A missing
// "type" is options.default_type. kInvalidArgument (reason "invalid_property_filter"), naming the
// field, when the object has no string "key", when "type" is not a string, when a cohort
// filter's value is not an integer id, and as `options` asks.
StatusOr<PropertyFilter> ParsePropertyFilter(std::string_view json,
                                             const FilterParseOptions& options = {});

// kInvalidArgument naming the filter's key and RE2's reason when `filter` is a regex or
// not_regex filter whose pattern RE2 refuses (or that is longer than kMaxRegexPatternBytes, or
// needs more than kRegexMaxMemBytes); Ok otherwise.
Status CheckRegex(const PropertyFilter& filter);

// `text` (a filter's key or value) in single quotes for an error message: at most 100 bytes of
// it, cut at a UTF-8 code point boundary, "..." marking a cut.
std::string QuotedFilterText(std::string_view text);

}  // namespace hoglet::filters
