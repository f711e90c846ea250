#include "filters/property_filter.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>

namespace hoglet::filters {
namespace {

using Kind = PropertyValue::Kind;

TEST(OperatorName, RoundTripsEveryOperator) {
  const char* names[] = {"exact",
                         "is_not",
                         "is_set",
                         "is_not_set",
                         "icontains",
                         "not_icontains",
                         "icontains_multi",
                         "not_icontains_multi",
                         "starts_with",
                         "not_starts_with",
                         "ends_with",
                         "not_ends_with",
                         "regex",
                         "not_regex",
                         "gt",
                         "gte",
                         "lt",
                         "lte",
                         "is_date_before",
                         "is_date_after",
                         "is_date_exact",
                         "semver_eq",
                         "semver_neq",
                         "semver_gt",
                         "semver_gte",
                         "semver_lt",
                         "semver_lte",
                         "semver_tilde",
                         "semver_caret",
                         "semver_wildcard",
                         "in",
                         "not_in",
                         "flag_evaluates_to"};
  ASSERT_EQ(std::size(names), static_cast<size_t>(Operator::kUnknown));
  for (size_t i = 0; i < std::size(names); ++i) {
    Operator op = static_cast<Operator>(i);
    EXPECT_EQ(OperatorName(op), names[i]);
    EXPECT_EQ(OperatorFromName(names[i]), op) << names[i];
  }
  EXPECT_EQ(OperatorName(Operator::kUnknown), "unknown");
}

TEST(OperatorFromName, UnknownNames) {
  EXPECT_EQ(OperatorFromName("unknown"), Operator::kUnknown);
  EXPECT_EQ(OperatorFromName("EXACT"), Operator::kUnknown);
  EXPECT_EQ(OperatorFromName(""), Operator::kUnknown);
  EXPECT_EQ(OperatorFromName("contains"), Operator::kUnknown);
}

TEST(ParsePropertyFilter, ReadsAPersonFilter) {
  auto filter = ParsePropertyFilter(
      R"({"key":"email","value":"@acme.com","operator":"icontains","type":"person"})");
  ASSERT_TRUE(filter.ok()) << filter.status().ToString();
  EXPECT_EQ(filter->key, "email");
  EXPECT_EQ(filter->value, PropertyValue::String("@acme.com"));
  EXPECT_EQ(filter->op, Operator::kIContains);
  EXPECT_EQ(filter->operator_name, "icontains");
  EXPECT_EQ(filter->type, FilterType::kPerson);
  EXPECT_FALSE(filter->group_type_index.has_value());
  EXPECT_FALSE(filter->negation);
  EXPECT_TRUE(filter->dependency_chain.empty());
  EXPECT_EQ(filter->regex, nullptr);
  EXPECT_TRUE(filter->value_items.empty());
}

TEST(ParsePropertyFilter, DefaultsToExactPerson) {
  auto filter = ParsePropertyFilter(R"({"key":"plan","value":"pro"})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->op, Operator::kExact);
  EXPECT_EQ(filter->operator_name, "exact");
  EXPECT_EQ(filter->type, FilterType::kPerson);

  auto null_operator = ParsePropertyFilter(R"({"key":"plan","value":"pro","operator":null,
                                               "type":null})");
  ASSERT_TRUE(null_operator.ok());
  EXPECT_EQ(null_operator->op, Operator::kExact);
  EXPECT_EQ(null_operator->type, FilterType::kPerson);
}

TEST(ParsePropertyFilter, KeepsUnknownOperators) {
  auto filter = ParsePropertyFilter(R"({"key":"plan","value":"pro","operator":"fuzzy"})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->op, Operator::kUnknown);
  EXPECT_EQ(filter->operator_name, "fuzzy");

  auto numeric = ParsePropertyFilter(R"({"key":"plan","value":"pro","operator":3})");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->op, Operator::kUnknown);
}

TEST(ParsePropertyFilter, ReadsTypes) {
  struct Case {
    const char* type;
    FilterType expected;
  } cases[] = {{"person", FilterType::kPerson}, {"group", FilterType::kGroup},
               {"cohort", FilterType::kCohort}, {"flag", FilterType::kFlag},
               {"event", FilterType::kEvent},   {"element", FilterType::kElement},
               {"session", FilterType::kOther}};
  for (const Case& c : cases) {
    std::string json = std::string(R"({"key":"1","value":2,"type":")") + c.type + "\"}";
    auto filter = ParsePropertyFilter(json);
    ASSERT_TRUE(filter.ok()) << json;
    EXPECT_EQ(filter->type, c.expected) << c.type;
  }
}

TEST(ParsePropertyFilter, ReadsGroupFilters) {
  auto filter = ParsePropertyFilter(
      R"({"key":"name","value":"acme","operator":"exact","type":"group","group_type_index":2})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->type, FilterType::kGroup);
  EXPECT_EQ(filter->group_type_index, 2);
}

TEST(ParsePropertyFilter, ReadsCohortFilters) {
  auto filter = ParsePropertyFilter(
      R"({"key":"id","value":42,"type":"cohort","operator":"not_in","negation":true})");
  ASSERT_TRUE(filter.ok()) << filter.status().ToString();
  EXPECT_EQ(filter->type, FilterType::kCohort);
  EXPECT_EQ(filter->op, Operator::kNotIn);
  EXPECT_TRUE(filter->negation);
  EXPECT_EQ(filter->value.kind, Kind::kNumber);
  EXPECT_EQ(filter->value.number, 42);
  EXPECT_EQ(filter->value.ToText(), "42");

  auto string_id = ParsePropertyFilter(R"({"key":"id","value":"17","type":"cohort"})");
  ASSERT_TRUE(string_id.ok());
  EXPECT_EQ(string_id->value.number, 17);
  EXPECT_EQ(string_id->value.kind, Kind::kNumber);
}

TEST(ParsePropertyFilter, RejectsCohortFiltersWithoutAnId) {
  for (const char* json :
       {R"({"key":"id","value":"abc","type":"cohort"})",
        R"({"key":"id","value":1.5,"type":"cohort"})",
        R"({"key":"id","value":null,"type":"cohort"})", R"({"key":"id","type":"cohort"})"}) {
    auto filter = ParsePropertyFilter(json);
    ASSERT_FALSE(filter.ok()) << json;
    EXPECT_EQ(filter.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(filter.status().message().find("value"), std::string::npos);
  }
}

TEST(ParsePropertyFilter, ReadsFlagDependencies) {
  auto filter = ParsePropertyFilter(
      R"({"key":"parent","type":"flag","operator":"flag_evaluates_to","value":"variant-a",)"
      R"("dependency_chain":["grandparent","parent"]})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->type, FilterType::kFlag);
  EXPECT_EQ(filter->op, Operator::kFlagEvaluatesTo);
  EXPECT_EQ(filter->value, PropertyValue::String("variant-a"));
  EXPECT_EQ(filter->dependency_chain, (std::vector<std::string>{"grandparent", "parent"}));
}

TEST(ParsePropertyFilter, RejectsMissingOrBadKeyAndType) {
  for (const char* json : {R"({"value":"x"})", R"({"key":5,"value":"x"})", R"({"key":null})",
                           R"({"key":"k","type":5})", R"([])", R"("key")", R"({"key":)", R"()"}) {
    auto filter = ParsePropertyFilter(json);
    ASSERT_FALSE(filter.ok()) << json;
    EXPECT_EQ(filter.status().code(), StatusCode::kInvalidArgument) << json;
  }
  auto bad_type = ParsePropertyFilter(R"({"key":"k","type":5})");
  EXPECT_NE(bad_type.status().message().find("type"), std::string::npos);
  auto bad_key = ParsePropertyFilter(R"({"value":"x"})");
  EXPECT_NE(bad_key.status().message().find("key"), std::string::npos);
}

TEST(ParsePropertyFilter, KeepsValueKinds) {
  auto number = ParsePropertyFilter(R"({"key":"k","value":5.0,"operator":"gt"})");
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->value.kind, Kind::kNumber);
  EXPECT_EQ(number->value.ToText(), "5.0");

  auto boolean = ParsePropertyFilter(R"({"key":"k","value":true})");
  ASSERT_TRUE(boolean.ok());
  EXPECT_EQ(boolean->value, PropertyValue::Bool(true));

  auto missing = ParsePropertyFilter(R"({"key":"k","operator":"is_set"})");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->value, PropertyValue::Null());
}

TEST(ParsePropertyFilter, ParsesArrayItemsOnce) {
  auto filter = ParsePropertyFilter(R"({"key":"k","value":["a", 1, true, null]})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->value.kind, Kind::kArray);
  EXPECT_EQ(filter->value.ToText(), R"(["a",1,true,null])");
  ASSERT_EQ(filter->value_items.size(), 4u);
  EXPECT_EQ(filter->value_items[0], PropertyValue::String("a"));
  EXPECT_EQ(filter->value_items[1].number, 1);
  EXPECT_EQ(filter->value_items[2], PropertyValue::Bool(true));
  EXPECT_EQ(filter->value_items[3], PropertyValue::Null());
}

TEST(ParsePropertyFilter, CompilesRegexes) {
  auto filter = ParsePropertyFilter(R"({"key":"k","value":"^ab+c$","operator":"regex"})");
  ASSERT_TRUE(filter.ok());
  ASSERT_NE(filter->regex, nullptr);
  EXPECT_TRUE(RE2::PartialMatch("abbbc", *filter->regex));

  auto negative = ParsePropertyFilter(R"({"key":"k","value":"x\\d","operator":"not_regex"})");
  ASSERT_TRUE(negative.ok());
  ASSERT_NE(negative->regex, nullptr);
  EXPECT_TRUE(RE2::PartialMatch("ax1", *negative->regex));

  auto numeric = ParsePropertyFilter(R"({"key":"k","value":5,"operator":"regex"})");
  ASSERT_TRUE(numeric.ok());
  ASSERT_NE(numeric->regex, nullptr);
  EXPECT_TRUE(RE2::PartialMatch("150", *numeric->regex));
}

TEST(ParsePropertyFilter, InvalidRegexIsNullNotAnError) {
  for (const char* pattern : {R"(\\)", "(unclosed", "a{2,1}", "(?<=look)behind"}) {
    std::string json = std::string(R"({"key":"k","operator":"regex","value":")") + pattern + "\"}";
    auto filter = ParsePropertyFilter(json);
    ASSERT_TRUE(filter.ok()) << json;
    EXPECT_EQ(filter->regex, nullptr) << pattern;
  }
}

TEST(ParsePropertyFilter, KeepsWhyARegexIsInvalid) {
  auto filter = ParsePropertyFilter(R"({"key":"big","operator":"regex","value":"(a"})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->regex, nullptr);
  EXPECT_EQ(filter->regex_error, "missing ): (a");
  Status status = CheckRegex(*filter);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "the filter on 'big' has a regex that RE2 cannot use: missing ): (a");
  EXPECT_TRUE(
      CheckRegex(*ParsePropertyFilter(R"({"key":"k","operator":"regex","value":"a"})")).ok());
  EXPECT_TRUE(CheckRegex(*ParsePropertyFilter(R"({"key":"k","value":"(a"})")).ok());
}

TEST(ParsePropertyFilter, RefusesAnInvalidRegexWhenAsked) {
  FilterParseOptions options;
  options.reject_invalid_regex = true;
  for (const char* op : {"regex", "not_regex"}) {
    std::string json = std::string(R"({"key":"big","value":"(a","operator":")") + op + "\"}";
    auto filter = ParsePropertyFilter(json, options);
    EXPECT_EQ(filter.status().code(), StatusCode::kInvalidArgument) << op;
    EXPECT_NE(filter.status().message().find("'big'"), std::string::npos);
    EXPECT_NE(filter.status().message().find("missing )"), std::string::npos);
  }
  EXPECT_TRUE(
      ParsePropertyFilter(R"({"key":"k","value":"(a|b)*c","operator":"regex"})", options).ok());
}

TEST(ParsePropertyFilter, BoundsPatternLengthAndMemory) {
  std::string long_pattern(kMaxRegexPatternBytes + 1, 'a');
  auto too_long =
      ParsePropertyFilter(R"({"key":"k","operator":"regex","value":")" + long_pattern + "\"}");
  ASSERT_TRUE(too_long.ok());
  EXPECT_EQ(too_long->regex, nullptr);
  EXPECT_EQ(too_long->regex_error,
            "the pattern is longer than " + std::to_string(kMaxRegexPatternBytes) + " bytes");

  std::string longest(kMaxRegexPatternBytes, 'a');
  auto at_limit =
      ParsePropertyFilter(R"({"key":"k","operator":"regex","value":")" + longest + "\"}");
  ASSERT_TRUE(at_limit.ok());
  EXPECT_NE(at_limit->regex, nullptr);

  // A thousand Unicode letter classes compile to more than kRegexMaxMemBytes.
  auto too_big = ParsePropertyFilter(R"({"key":"k","operator":"regex","value":"\\pL{1000}"})");
  ASSERT_TRUE(too_big.ok());
  EXPECT_EQ(too_big->regex, nullptr);
  EXPECT_EQ(too_big->regex_error, "pattern too large - compile failed");
}

TEST(ParsePropertyFilter, ShortensWhatMessagesQuote) {
  std::string key(150, 'k');
  key.replace(99, 2, "é");  // a two-byte letter across the 100-byte cut
  auto filter = ParsePropertyFilter(R"({"key":")" + key + R"(","operator":"regex","value":"("})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(CheckRegex(*filter).message(),
            "the filter on '" + std::string(99, 'k') +
                "...' has a regex that RE2 cannot use: missing ): (");
}

TEST(ParsePropertyFilter, StrictRefusesWhatWouldMatchNothing) {
  FilterParseOptions strict;
  strict.strict = true;
  auto unknown = ParsePropertyFilter(R"({"key":"k","value":"a","operator":"contains"})", strict);
  EXPECT_EQ(unknown.status().message(), "the filter on 'k' has an unknown operator 'contains'");
  auto no_value = ParsePropertyFilter(R"({"key":"k","operator":"is_not"})", strict);
  EXPECT_EQ(no_value.status().message(), "the filter on 'k' needs a 'value'");
  auto null_value = ParsePropertyFilter(R"({"key":"k","value":null})", strict);
  EXPECT_EQ(null_value.status().code(), StatusCode::kInvalidArgument);
  auto empty_key = ParsePropertyFilter(R"({"key":"","value":"a"})", strict);
  EXPECT_EQ(empty_key.status().code(), StatusCode::kInvalidArgument);
  auto bad_regex = ParsePropertyFilter(R"({"key":"k","value":"[","operator":"regex"})", strict);
  EXPECT_EQ(bad_regex.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParsePropertyFilter(R"({"key":"k","operator":"is_set"})", strict).ok());
  // Lenient (stored flags): the same filters parse and match nothing.
  EXPECT_TRUE(ParsePropertyFilter(R"({"key":"k","value":"a","operator":"contains"})").ok());
  EXPECT_TRUE(ParsePropertyFilter(R"({"key":"k","operator":"is_not"})").ok());
}

TEST(ParsePropertyFilter, TakesTheDefaultTypeWhenNoneIsGiven) {
  FilterParseOptions options;
  options.default_type = FilterType::kEvent;
  auto filter = ParsePropertyFilter(R"({"key":"$browser","value":"Chrome"})", options);
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->type, FilterType::kEvent);
  EXPECT_EQ(filter->type_name, "event");
  auto person = ParsePropertyFilter(R"({"key":"k","value":1,"type":"person"})", options);
  EXPECT_EQ(person->type, FilterType::kPerson);
}

TEST(ParsePropertyFilter, NoRegexForOtherOperators) {
  auto filter = ParsePropertyFilter(R"({"key":"k","value":"^a","operator":"exact"})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->regex, nullptr);
}

TEST(ParsePropertyFilter, IgnoresUnknownFields) {
  auto filter = ParsePropertyFilter(
      R"({"key":"k","value":"v","label":"x","extra":{"a":[1]},"operator":"is_not"})");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->op, Operator::kIsNot);
}

}  // namespace
}  // namespace hoglet::filters
