// Property values as property filters see them: a person's, group's or event's properties and
// the values in a filter.
//
// Values keep enough of their JSON form to compare the way PostHog does: a string is its text; a
// number keeps both its double and its original literal ("5.0" stays "5.0" when stringified);
// arrays and objects keep their compact JSON text.
//
// PropertyValue owns its text; PropertyValueRef borrows it, so a value held in another form (the
// event store's typed columns) is matched without a copy.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace hoglet::filters {

struct PropertyValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  bool boolean = false;  // kBool
  double number = 0;     // kNumber
  // kString: the string itself. kNumber: the literal as written (ParseProperties prints a
  // double's shortest form and keeps ".0": "5.0" stays "5.0", "1e2" becomes "100.0").
  // kArray / kObject: compact JSON text. kNull / kBool: empty.
  std::string text;

  static PropertyValue Null() { return {}; }
  static PropertyValue Bool(bool b) { return {Kind::kBool, b, 0, {}}; }
  static PropertyValue Number(double d, std::string literal) {
    return {Kind::kNumber, false, d, std::move(literal)};
  }
  static PropertyValue String(std::string s) { return {Kind::kString, false, 0, std::move(s)}; }

  // PostHog's stringification: a string is itself; everything else is its compact JSON text
  // (`true`, `null`, `5.0`, `[1,2]`).
  std::string ToText() const;

  friend bool operator==(const PropertyValue&, const PropertyValue&) = default;
};

// A value borrowed for matching (property_match.h): the fields of a PropertyValue, with `text`
// a view that must outlive the reference. Converts implicitly from a PropertyValue.
struct PropertyValueRef {
  PropertyValue::Kind kind = PropertyValue::Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string_view text;  // as PropertyValue::text

  PropertyValueRef() = default;
  PropertyValueRef(PropertyValue::Kind kind, bool boolean, double number, std::string_view text)
      : kind(kind), boolean(boolean), number(number), text(text) {}
  PropertyValueRef(const PropertyValue& value)  // NOLINT(google-explicit-constructor)
      : kind(value.kind), boolean(value.boolean), number(value.number), text(value.text) {}
};

using Properties = std::unordered_map<std::string, PropertyValue>;

// Parses a JSON object's top-level members. JSON `NaN`, `Infinity` and `-Infinity` (which
// posthog-js can send) are read as null. kInvalidArgument when `json` is not a JSON object or
// nests deeper than 64 levels.
StatusOr<Properties> ParseProperties(std::string_view json);

// Copies every member of `overrides` into `*base`, replacing members with the same key.
void Overlay(const Properties& overrides, Properties* base);

}  // namespace hoglet::filters
