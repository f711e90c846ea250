// Evaluation of one PropertyFilter (event_query.h) against one row's property value, with
// PostHog's semantics (docs/event-store.md, "Filters"):
//
//   - the value is compared through its string form (StringifyProperty); a JSON null reads as
//     NULL like a missing key, except for is_set / is_not_set, which test presence only;
//   - exact / is_not with an array filter value mean any-of / none-of;
//   - when either side is a JSON number and both sides read as numbers, equality is numeric,
//     so "5" matches 5 and 5.0, and 5 matches "5";
//   - gt/gte/lt/lte compare numerically and never match a non-numeric value;
//   - negative operators (is_not, not_icontains, not_regex) match a missing value;
//   - an invalid regex matches nothing, for regex and not_regex alike.
//
// CompiledFilter is immutable after Compile and safe to share between threads.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/column_type.h"
#include "store/event_query.h"

namespace hoglet::store {

class CompiledFilter final {
 public:
  // kInvalidArgument when value_json is not valid JSON (or not a scalar / array of scalars where
  // a value is needed).
  static StatusOr<CompiledFilter> Compile(const PropertyFilter& filter);

  const std::string& key() const { return key_; }
  PropertyFilter::Op op() const { return op_; }
  // `value` is nullptr when the key is absent from the row.
  bool Matches(const PropertyValue* value) const;

 private:
  struct Operand {
    std::string text;              // the stringified filter value
    std::optional<double> number;  // its numeric reading, if any
    bool is_json_number = false;   // the filter value was a JSON number
    std::string lower;             // lower-cased text (icontains)
  };

  bool Equals(const PropertyValue& value, const std::string& text,
              const std::optional<double>& number) const;
  bool AnyEquals(const PropertyValue& value) const;
  bool AnyContains(const std::string& text) const;
  bool AnyRegex(const std::string& text) const;
  bool Compare(const PropertyValue& value) const;

  std::string key_;
  PropertyFilter::Op op_ = PropertyFilter::Op::kExact;
  std::vector<Operand> operands_;
  std::vector<std::shared_ptr<const std::regex>> regexes_;
  bool regex_invalid_ = false;
};

// Reads a decimal number the way a property string is read as a number: the whole text (after
// trimming spaces) must parse as a finite double.
std::optional<double> ParseNumber(const std::string& text);

}  // namespace hoglet::store
