#include "filters/property_match.h"

#include <re2/re2.h>

#include <vector>

#include "filters/date_value.h"
#include "filters/property_value_json.h"
#include "filters/semver.h"
#include "filters/value_text.h"

namespace hoglet::filters {
namespace {

using Kind = PropertyValue::Kind;

// Operators that match when the property is missing (the server's "full properties" mode).
bool MatchesMissing(Operator op) {
  switch (op) {
    case Operator::kIsNot:
    case Operator::kNotIContains:
    case Operator::kNotIContainsMulti:
    case Operator::kNotStartsWith:
    case Operator::kNotEndsWith:
    case Operator::kNotRegex:
    case Operator::kIsNotSet:
      return true;
    default:
      return false;
  }
}

// The items of an array value. Filters carry them pre-parsed; property arrays (and filters built
// by hand) are parsed here, which only the rare boolean-versus-array comparisons need.
const std::vector<PropertyValue>& ItemsOf(const PropertyValueRef& value,
                                          const std::vector<PropertyValue>* parsed,
                                          std::vector<PropertyValue>* scratch) {
  if (parsed != nullptr && (!parsed->empty() || value.text == "[]")) return *parsed;
  if (!ParseJsonArrayItems(value.text, scratch)) scratch->clear();
  return *scratch;
}

bool IsBooleanLike(const PropertyValueRef& value, const std::vector<PropertyValue>* parsed) {
  switch (value.kind) {
    case Kind::kBool:
      return true;
    case Kind::kString:
      return EqualsIgnoreAsciiCase(value.text, "true") ||
             EqualsIgnoreAsciiCase(value.text, "false");
    case Kind::kArray: {
      std::vector<PropertyValue> scratch;
      for (const PropertyValue& item : ItemsOf(value, parsed, &scratch)) {
        if (!IsBooleanLike(item, nullptr)) return false;
      }
      return true;  // an empty array too, as on the server
    }
    default:
      return false;
  }
}

// true / "true" (any case) / an array whose items all are; everything else is false.
bool IsTruthy(const PropertyValueRef& value, const std::vector<PropertyValue>* parsed) {
  switch (value.kind) {
    case Kind::kBool:
      return value.boolean;
    case Kind::kString:
      return EqualsIgnoreAsciiCase(value.text, "true");
    case Kind::kArray: {
      std::vector<PropertyValue> scratch;
      for (const PropertyValue& item : ItemsOf(value, parsed, &scratch)) {
        if (!IsTruthy(item, nullptr)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

bool MatchExact(const PropertyFilter& filter, const PropertyValueRef& property) {
  const PropertyValue& value = filter.value;
  if (IsBooleanLike(value, &filter.value_items)) {
    return IsTruthy(value, &filter.value_items) == IsTruthy(property, nullptr);
  }
  std::string_view text = TextOf(property);
  if (value.kind == Kind::kArray) {
    std::vector<PropertyValue> scratch;
    for (const PropertyValue& item : ItemsOf(value, &filter.value_items, &scratch)) {
      if (EqualsLowercased(TextOf(item), text)) return true;
    }
    return false;
  }
  return EqualsLowercased(TextOf(value), text);
}

// HogQL's `x = v` (a list value: `x IN v`): the texts, case-sensitively.
bool MatchEquals(const PropertyFilter& filter, const PropertyValueRef& property) {
  std::string_view text = TextOf(property);
  const PropertyValue& value = filter.value;
  if (value.kind == Kind::kArray) {
    std::vector<PropertyValue> scratch;
    for (const PropertyValue& item : ItemsOf(value, &filter.value_items, &scratch)) {
      if (TextOf(item) == text) return true;
    }
    return false;
  }
  return TextOf(value) == text;
}

// HogQL reads a JSON null and "" as NULL, as it reads a missing key.
bool IsNoValue(const PropertyValueRef& property) {
  return property.kind == Kind::kNull || (property.kind == Kind::kString && property.text.empty());
}

bool MatchIContainsMulti(const PropertyFilter& filter, const PropertyValueRef& property) {
  std::string_view text = TextOf(property);
  if (filter.value.kind != Kind::kArray) return ContainsIgnoreAsciiCase(text, TextOf(filter.value));
  std::vector<PropertyValue> scratch;
  for (const PropertyValue& item : ItemsOf(filter.value, &filter.value_items, &scratch)) {
    if (ContainsIgnoreAsciiCase(text, TextOf(item))) return true;
  }
  return false;
}

bool MatchNumber(Operator op, const PropertyValue& filter_value, const PropertyValueRef& property) {
  std::optional<double> lhs = NumberOf(property);
  if (!lhs) return false;
  std::optional<double> rhs = NumberOf(filter_value);
  if (!rhs) return false;
  switch (op) {
    case Operator::kGt:
      return *lhs > *rhs;
    case Operator::kGte:
      return *lhs >= *rhs;
    case Operator::kLt:
      return *lhs < *rhs;
    case Operator::kLte:
      return *lhs <= *rhs;
    default:
      return false;
  }
}

bool MatchDate(Operator op, const PropertyValue& filter_value, const PropertyValueRef& property,
               const MatchContext& context) {
  std::optional<int64_t> instant = ParseDateValue(property, context.now_us, context.time_zone);
  if (!instant) return false;
  // The server reads only string filter values as dates.
  if (filter_value.kind != Kind::kString) return false;
  if (op == Operator::kIsDateExact) {
    // A bare date ("2024-01-01") means that whole day in the project's zone, as PostHog's UI
    // and cohort queries read it; a date-time or relative date means that exact instant.
    if (std::optional<DayMicros> day = PlainDateDay(filter_value.text, context.time_zone)) {
      return *instant >= day->start && *instant < day->end;
    }
  }
  std::optional<int64_t> bound = ParseDateValue(filter_value, context.now_us, context.time_zone);
  if (!bound) return false;
  switch (op) {
    case Operator::kIsDateBefore:
      return *instant < *bound;
    case Operator::kIsDateAfter:
      return *instant > *bound;
    case Operator::kIsDateExact:
      return *instant == *bound;
    default:
      return false;
  }
}

bool MatchSemver(Operator op, const PropertyValue& filter_value, const PropertyValueRef& property) {
  std::optional<SemVer> version = ParseSemVer(TextOf(property));
  if (!version) return false;
  std::string_view filter_text = TextOf(filter_value);
  std::optional<SemVerRange> range;
  switch (op) {
    case Operator::kSemverTilde:
      range = TildeRange(filter_text);
      break;
    case Operator::kSemverCaret:
      range = CaretRange(filter_text);
      break;
    case Operator::kSemverWildcard:
      range = WildcardRange(filter_text);
      break;
    default: {
      std::optional<SemVer> target = ParseSemVer(filter_text);
      if (!target) return false;
      int c = CompareSemVer(*version, *target);
      switch (op) {
        case Operator::kSemverEq:
          return c == 0;
        case Operator::kSemverNeq:
          return c != 0;
        case Operator::kSemverGt:
          return c > 0;
        case Operator::kSemverGte:
          return c >= 0;
        case Operator::kSemverLt:
          return c < 0;
        case Operator::kSemverLte:
          return c <= 0;
        default:
          return false;
      }
    }
  }
  return range && InRange(*version, *range);
}

}  // namespace

bool MatchProperty(const PropertyFilter& filter, const Properties& properties,
                   const MatchContext& context) {
  auto found = properties.find(filter.key);
  if (found == properties.end()) return MatchValue(filter, nullptr, context);
  PropertyValueRef value = found->second;
  return MatchValue(filter, &value, context);
}

bool MatchValue(const PropertyFilter& filter, const PropertyValueRef* property,
                const MatchContext& context) {
  if (filter.type == FilterType::kCohort || filter.type == FilterType::kFlag) return false;

  const bool hogql = context.dialect == Dialect::kHogQL;
  if (hogql && property != nullptr && IsNoValue(*property)) property = nullptr;
  if (filter.op == Operator::kIsSet) return property != nullptr;
  if (filter.op == Operator::kIsNotSet) return property == nullptr;
  // A filter without a value (absent or null) matches nothing, not even is_not.
  if (filter.value.kind == Kind::kNull) return false;
  if (property == nullptr) return MatchesMissing(filter.op);

  const PropertyValue& value = filter.value;
  switch (filter.op) {
    case Operator::kExact:
      return hogql ? MatchEquals(filter, *property) : MatchExact(filter, *property);
    case Operator::kIsNot:
      return !(hogql ? MatchEquals(filter, *property) : MatchExact(filter, *property));
    case Operator::kIContains:
      return ContainsIgnoreAsciiCase(TextOf(*property), TextOf(value));
    case Operator::kNotIContains:
      return !ContainsIgnoreAsciiCase(TextOf(*property), TextOf(value));
    case Operator::kIContainsMulti:
      return MatchIContainsMulti(filter, *property);
    case Operator::kNotIContainsMulti:
      return !MatchIContainsMulti(filter, *property);
    case Operator::kStartsWith:
      return StartsWithIgnoreAsciiCase(TextOf(*property), TextOf(value));
    case Operator::kNotStartsWith:
      return !StartsWithIgnoreAsciiCase(TextOf(*property), TextOf(value));
    case Operator::kEndsWith:
      return EndsWithIgnoreAsciiCase(TextOf(*property), TextOf(value));
    case Operator::kNotEndsWith:
      return !EndsWithIgnoreAsciiCase(TextOf(*property), TextOf(value));
    case Operator::kRegex:
    case Operator::kNotRegex: {
      if (filter.regex == nullptr) return false;  // invalid pattern: false for both
      bool found_match = RE2::PartialMatch(TextOf(*property), *filter.regex);
      return filter.op == Operator::kRegex ? found_match : !found_match;
    }
    case Operator::kGt:
    case Operator::kGte:
    case Operator::kLt:
    case Operator::kLte:
      return MatchNumber(filter.op, value, *property);
    case Operator::kIsDateBefore:
    case Operator::kIsDateAfter:
    case Operator::kIsDateExact:
      return MatchDate(filter.op, value, *property, context);
    case Operator::kSemverEq:
    case Operator::kSemverNeq:
    case Operator::kSemverGt:
    case Operator::kSemverGte:
    case Operator::kSemverLt:
    case Operator::kSemverLte:
    case Operator::kSemverTilde:
    case Operator::kSemverCaret:
    case Operator::kSemverWildcard:
      return MatchSemver(filter.op, value, *property);
    case Operator::kIsSet:
    case Operator::kIsNotSet:
    case Operator::kIn:
    case Operator::kNotIn:
    case Operator::kFlagEvaluatesTo:
    case Operator::kUnknown:
      return false;
  }
  return false;
}

std::optional<int64_t> ParseRelativeDate(std::string_view text, int64_t now_us) {
  return RelativeDateMicros(text, now_us);
}

std::optional<int64_t> ParseDateValue(const PropertyValueRef& value, int64_t now_us,
                                      TimeZone time_zone) {
  switch (value.kind) {
    case Kind::kNumber:
      return UnixSecondsToMicros(value.number);
    case Kind::kString: {
      if (std::optional<double> seconds = ParseNumberText(value.text)) {
        return UnixSecondsToMicros(*seconds);
      }
      if (std::optional<int64_t> relative = RelativeDateMicros(value.text, now_us)) {
        return relative;
      }
      return AbsoluteDateMicros(value.text, time_zone);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace hoglet::filters
