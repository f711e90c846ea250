#include "filters/property_match.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "base/time_format.h"

namespace hoglet::filters {
namespace {

int64_t Micros(int64_t year, unsigned month, unsigned day, int hour = 0, int minute = 0,
               int second = 0, int millis = 0) {
  return DaysFromCivil(year, month, day) * 86'400'000'000 + hour * 3'600'000'000LL +
         minute * 60'000'000LL + second * 1'000'000LL + millis * 1'000LL;
}

const int64_t kNow = Micros(2020, 1, 1, 12, 1, 20, 134);

PropertyFilter Filter(std::string_view json) {
  auto filter = ParsePropertyFilter(json);
  EXPECT_TRUE(filter.ok()) << json << ": " << filter.status().ToString();
  return filter.ok() ? *filter : PropertyFilter{};
}

Properties Props(std::string_view json) {
  auto properties = ParseProperties(json);
  EXPECT_TRUE(properties.ok()) << json << ": " << properties.status().ToString();
  return properties.ok() ? *properties : Properties{};
}

// Does filter {"key":"k","operator":<op>,"value":<value>} match {"k": <property>}? A property of
// "" means the key is missing.
bool Matches(std::string_view op, std::string_view value, std::string_view property,
             int64_t now_us = kNow, TimeZone time_zone = TimeZone::Utc()) {
  std::string filter =
      R"({"key":"k","operator":")" + std::string(op) + R"(","value":)" + std::string(value) + "}";
  std::string properties = property.empty() ? "{}" : R"({"k":)" + std::string(property) + "}";
  return MatchProperty(Filter(filter), Props(properties), MatchContext{now_us, time_zone});
}

TimeZone Zone(std::string_view name) {
  StatusOr<TimeZone> zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << name << ": " << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

// Matches() with the project's zone set to `zone`.
bool MatchesIn(std::string_view zone, std::string_view op, std::string_view value,
               std::string_view property) {
  return Matches(op, value, property, kNow, Zone(zone));
}

// ---- exact / is_not --------------------------------------------------------------------------

TEST(MatchValue, ReadsABorrowedValue) {
  PropertyFilter filter = Filter(R"({"key":"k","operator":"icontains","value":"CHROME"})");
  std::string text = "Mobile Chrome";
  PropertyValueRef value(PropertyValue::Kind::kString, false, 0, text);
  EXPECT_TRUE(MatchValue(filter, &value, MatchContext{kNow, TimeZone::Utc()}));
  EXPECT_FALSE(MatchValue(filter, nullptr, MatchContext{kNow, TimeZone::Utc()}));
  PropertyValueRef number(PropertyValue::Kind::kNumber, false, 5, "5");
  EXPECT_TRUE(MatchValue(Filter(R"({"key":"k","value":"5"})"), &number, MatchContext{}));
  EXPECT_TRUE(
      MatchValue(Filter(R"({"key":"k","operator":"gt","value":4})"), &number, MatchContext{}));
}

TEST(MatchProperty, ExactSpecVectors) {
  EXPECT_TRUE(Matches("exact", R"(["a","B"])", R"("b")"));
  EXPECT_TRUE(Matches("exact", R"("true")", "true"));
  EXPECT_FALSE(Matches("exact", R"("value")", R"("")"));
  EXPECT_FALSE(Matches("exact", R"("value")", "null"));
  EXPECT_FALSE(Matches("exact", R"("value")", R"("value2")"));
  EXPECT_TRUE(Matches("exact", R"("value")", R"("value")"));
  EXPECT_FALSE(Matches("exact", R"(["value1","value2","value3"])", R"("value4")"));
  EXPECT_TRUE(Matches("exact", R"(["value1","value2","value3"])", R"("value2")"));
}

TEST(MatchProperty, ExactIsTheDefaultOperator) {
  Properties properties = Props(R"({"plan":"Pro"})");
  EXPECT_TRUE(MatchProperty(Filter(R"({"key":"plan","value":"pro"})"), properties, {}));
  EXPECT_FALSE(MatchProperty(Filter(R"({"key":"plan","value":"free"})"), properties, {}));
}

TEST(MatchProperty, ExactComparesLowercasedText) {
  EXPECT_TRUE(Matches("exact", R"("US")", R"("us")"));
  EXPECT_TRUE(Matches("exact", R"("5")", "5"));
  EXPECT_TRUE(Matches("exact", "5", R"("5")"));
  EXPECT_FALSE(Matches("exact", "5", "5.0"));  // texts differ: "5" vs "5.0"
  EXPECT_TRUE(Matches("exact", "5.0", R"("5.0")"));
  EXPECT_TRUE(Matches("exact", R"("null")", "null"));
  EXPECT_TRUE(Matches("exact", R"("[1,2]")", "[1, 2]"));
  EXPECT_TRUE(Matches("exact", R"("ÖSTERREICH")", R"("österreich")"));
  EXPECT_TRUE(Matches("exact", R"("МОСКВА")", R"("москва")"));
  EXPECT_FALSE(Matches("exact", R"("abc")", R"("abcd")"));
  EXPECT_FALSE(Matches("exact", R"("é")", R"("e")"));
}

TEST(MatchProperty, ExactCoercesBooleans) {
  EXPECT_TRUE(Matches("exact", "true", "true"));
  EXPECT_TRUE(Matches("exact", "true", R"("True")"));
  EXPECT_TRUE(Matches("exact", R"("TRUE")", R"("true")"));
  EXPECT_TRUE(Matches("exact", "false", "false"));
  EXPECT_TRUE(Matches("exact", R"("false")", "false"));
  EXPECT_FALSE(Matches("exact", "true", "false"));
  EXPECT_FALSE(Matches("exact", "true", "1"));
  // Anything but true / "true" counts as false against a boolean filter.
  EXPECT_TRUE(Matches("exact", "false", R"("no")"));
  EXPECT_TRUE(Matches("exact", "false", "0"));
  EXPECT_TRUE(Matches("exact", "false", "null"));
  // An array filter of booleans is truthy only when all items are.
  EXPECT_TRUE(Matches("exact", R"([true,"TRUE"])", "true"));
  EXPECT_TRUE(Matches("exact", R"(["true","false"])", "false"));
  EXPECT_FALSE(Matches("exact", R"(["true","false"])", "true"));
  // A property array against a boolean filter: truthy when all its items are.
  EXPECT_TRUE(Matches("exact", "true", R"([true,"true"])"));
  EXPECT_FALSE(Matches("exact", "true", R"([true,"no"])"));
}

TEST(MatchProperty, ExactArrayMatchesAnyItem) {
  EXPECT_TRUE(Matches("exact", R"(["a",1,"c"])", "1"));
  EXPECT_TRUE(Matches("exact", R"(["a",1,"c"])", R"("1")"));
  EXPECT_TRUE(Matches("exact", R"(["a",null])", "null"));
  EXPECT_FALSE(Matches("exact", R"(["a","b"])", R"(["a","b"])"));
  EXPECT_FALSE(Matches("exact", R"(["a", 2])", R"("c")"));
}

TEST(MatchProperty, EmptyArrayFilterIsTruthyBooleanLike) {
  // The server treats [] as boolean-like (all items are) and truthy (all items are).
  EXPECT_TRUE(Matches("exact", "[]", "true"));
  EXPECT_FALSE(Matches("exact", "[]", R"("x")"));
}

TEST(MatchProperty, IsNotNegatesExact) {
  EXPECT_FALSE(Matches("is_not", R"("value")", R"("VALUE")"));
  EXPECT_TRUE(Matches("is_not", R"("value")", R"("other")"));
  EXPECT_TRUE(Matches("is_not", R"(["a","b"])", R"("c")"));
  EXPECT_FALSE(Matches("is_not", R"(["a","b"])", R"("B")"));
  EXPECT_FALSE(Matches("is_not", "true", R"("true")"));
  EXPECT_TRUE(Matches("is_not", "true", "false"));
  EXPECT_TRUE(Matches("is_not", R"("value")", "null"));
}

// ---- missing keys and set-ness ------------------------------------------------------------------

TEST(MatchProperty, MissingKeyMatchesOnlyNegativeOperators) {
  struct Case {
    const char* op;
    const char* value;
    bool expected;
  } cases[] = {
      {"exact", R"("v")", false},
      {"is_not", R"("v")", true},
      {"is_set", R"("v")", false},
      {"is_not_set", R"("v")", true},
      {"icontains", R"("v")", false},
      {"not_icontains", R"("v")", true},
      {"icontains_multi", R"(["v"])", false},
      {"not_icontains_multi", R"(["v"])", true},
      {"starts_with", R"("v")", false},
      {"not_starts_with", R"("v")", true},
      {"ends_with", R"("v")", false},
      {"not_ends_with", R"("v")", true},
      {"regex", R"("v")", false},
      {"not_regex", R"("v")", true},
      {"gt", "1", false},
      {"gte", "1", false},
      {"lt", "1", false},
      {"lte", "1", false},
      {"is_date_before", R"("2024-01-01")", false},
      {"is_date_after", R"("2024-01-01")", false},
      {"is_date_exact", R"("2024-01-01")", false},
      {"semver_eq", R"("1.0.0")", false},
      {"semver_neq", R"("1.0.0")", false},
      {"semver_gt", R"("1.0.0")", false},
      {"semver_gte", R"("1.0.0")", false},
      {"semver_lt", R"("1.0.0")", false},
      {"semver_lte", R"("1.0.0")", false},
      {"semver_tilde", R"("1.0.0")", false},
      {"semver_caret", R"("1.0.0")", false},
      {"semver_wildcard", R"("1.*")", false},
      {"bogus", R"("v")", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Matches(c.op, c.value, ""), c.expected) << c.op;
  }
}

TEST(MatchProperty, IsSetAndIsNotSet) {
  EXPECT_TRUE(Matches("is_set", R"("is_set")", R"("x")"));
  EXPECT_TRUE(Matches("is_set", R"("is_set")", "null"));  // null counts as set
  EXPECT_FALSE(Matches("is_not_set", R"("is_not_set")", R"("x")"));
  EXPECT_FALSE(Matches("is_not_set", R"("is_not_set")", "null"));
  EXPECT_TRUE(Matches("is_not_set", R"("is_not_set")", ""));
  // They need no value.
  Properties properties = Props(R"({"k":1})");
  EXPECT_TRUE(MatchProperty(Filter(R"({"key":"k","operator":"is_set"})"), properties, {}));
  EXPECT_TRUE(MatchProperty(Filter(R"({"key":"j","operator":"is_not_set"})"), properties, {}));
}

TEST(MatchProperty, FilterWithoutValueMatchesNothing) {
  EXPECT_FALSE(Matches("exact", "null", "null"));
  EXPECT_FALSE(Matches("is_not", "null", R"("x")"));
  EXPECT_FALSE(Matches("is_not", "null", ""));
  EXPECT_FALSE(Matches("not_icontains", "null", ""));
  Properties properties = Props(R"({"k":"x"})");
  EXPECT_FALSE(MatchProperty(Filter(R"({"key":"k","operator":"not_regex"})"), properties, {}));
}

// ---- string operators ---------------------------------------------------------------------------

TEST(MatchProperty, IContains) {
  EXPECT_TRUE(Matches("icontains", R"("PoSt")", R"("posthog")"));
  EXPECT_TRUE(Matches("icontains", R"("@ACME.com")", R"("jane@acme.COM")"));
  EXPECT_FALSE(Matches("icontains", R"("xyz")", R"("posthog")"));
  EXPECT_TRUE(Matches("icontains", R"("")", R"("anything")"));
  EXPECT_TRUE(Matches("icontains", "3", "1234"));
  EXPECT_TRUE(Matches("icontains", R"("nul")", "null"));
  EXPECT_TRUE(Matches("icontains", R"("ru")", "true"));
  EXPECT_FALSE(Matches("not_icontains", R"("PoSt")", R"("posthog")"));
  EXPECT_TRUE(Matches("not_icontains", R"("xyz")", R"("posthog")"));
}

TEST(MatchProperty, IContainsMulti) {
  EXPECT_TRUE(Matches("icontains_multi", R"(["xyz","HOG"])", R"("posthog")"));
  EXPECT_FALSE(Matches("icontains_multi", R"(["xyz","abc"])", R"("posthog")"));
  EXPECT_FALSE(Matches("icontains_multi", "[]", R"("posthog")"));
  EXPECT_TRUE(Matches("icontains_multi", R"("POST")", R"("posthog")"));  // a single value
  EXPECT_TRUE(Matches("icontains_multi", "[12]", "51234"));
  EXPECT_FALSE(Matches("not_icontains_multi", R"(["xyz","HOG"])", R"("posthog")"));
  EXPECT_TRUE(Matches("not_icontains_multi", R"(["xyz","abc"])", R"("posthog")"));
}

TEST(MatchProperty, StartsWithAndEndsWith) {
  EXPECT_TRUE(Matches("starts_with", R"("HTTPS://")", R"("https://posthog.com")"));
  EXPECT_FALSE(Matches("starts_with", R"("http://")", R"("https://posthog.com")"));
  EXPECT_FALSE(Matches("starts_with", R"("longer than text")", R"("short")"));
  EXPECT_TRUE(Matches("not_starts_with", R"("http://")", R"("https://posthog.com")"));
  EXPECT_TRUE(Matches("ends_with", R"(".COM")", R"("posthog.com")"));
  EXPECT_FALSE(Matches("ends_with", R"(".org")", R"("posthog.com")"));
  EXPECT_FALSE(Matches("not_ends_with", R"(".com")", R"("posthog.COM")"));
  EXPECT_TRUE(Matches("ends_with", "0", "10"));
}

TEST(MatchProperty, Regex) {
  EXPECT_TRUE(Matches("regex", R"("^ab")", R"("abc")"));
  EXPECT_FALSE(Matches("regex", R"("^ab")", R"("cab")"));
  EXPECT_TRUE(Matches("regex", R"("b")", R"("abc")"));   // searches, not anchored
  EXPECT_FALSE(Matches("regex", R"("B")", R"("abc")"));  // case-sensitive
  EXPECT_TRUE(Matches("regex", R"("(?i)B")", R"("abc")"));
  EXPECT_TRUE(Matches("regex", R"("^\\d+$")", "12345"));
  EXPECT_TRUE(Matches("regex", R"("^true$")", "true"));
  EXPECT_TRUE(Matches("regex", R"("^null$")", "null"));
  EXPECT_TRUE(Matches("not_regex", R"("^ab")", R"("cab")"));
  EXPECT_FALSE(Matches("not_regex", R"("^ab")", R"("abc")"));
}

// std::regex recursed once per character and overflowed the stack on such input; RE2 runs in
// time linear in the text and bounded memory.
TEST(MatchProperty, RegexOverAMegabyteValue) {
  std::string big(1 << 20, 'a');
  for (size_t i = 1; i < big.size(); i += 2) big[i] = 'b';
  PropertyFilter regex = Filter(R"({"key":"big","operator":"regex","value":"(a|b)*c"})");
  PropertyFilter not_regex = Filter(R"({"key":"big","operator":"not_regex","value":"(a|b)*c"})");
  Properties properties;
  properties["big"] = PropertyValue::String(big);
  EXPECT_FALSE(MatchProperty(regex, properties, {}));
  EXPECT_TRUE(MatchProperty(not_regex, properties, {}));
  properties["big"].text.back() = 'c';
  EXPECT_TRUE(MatchProperty(regex, properties, {}));
  EXPECT_TRUE(MatchProperty(Filter(R"({"key":"big","operator":"regex","value":"^(ab)+ac$"})"),
                            properties, {}));
}

TEST(MatchProperty, InvalidRegexMatchesNothing) {
  EXPECT_FALSE(Matches("regex", R"("(unclosed")", R"("(unclosed")"));
  EXPECT_FALSE(Matches("not_regex", R"("(unclosed")", R"("anything")"));
  // The missing-key rule comes first, as on the server.
  EXPECT_TRUE(Matches("not_regex", R"("(unclosed")", ""));
}

// ---- numeric operators --------------------------------------------------------------------------

TEST(MatchProperty, NumericSpecVectors) {
  EXPECT_FALSE(Matches("gt", R"("10")", R"("9")"));
  EXPECT_FALSE(Matches("gt", R"("abc")", R"("abd")"));
}

TEST(MatchProperty, NumericComparisons) {
  EXPECT_TRUE(Matches("gt", "10", "11"));
  EXPECT_FALSE(Matches("gt", "10", "10"));
  EXPECT_TRUE(Matches("gte", "10", "10"));
  EXPECT_TRUE(Matches("lt", "10", "9.5"));
  EXPECT_FALSE(Matches("lt", "10", "10"));
  EXPECT_TRUE(Matches("lte", "10", "10.0"));
  EXPECT_TRUE(Matches("gt", R"("10")", R"("100")"));  // numeric, not lexicographic
  EXPECT_TRUE(Matches("lt", R"("10")", R"("9")"));
  EXPECT_TRUE(Matches("gt", R"("-1")", "0"));
  EXPECT_TRUE(Matches("gt", R"("1e2")", R"("1000")"));
  EXPECT_TRUE(Matches("gt", "0", R"(".5")"));
  EXPECT_TRUE(Matches("gt", "0", R"("+5")"));
  EXPECT_TRUE(Matches("gt", "1000000", R"("inf")"));
}

TEST(MatchProperty, NumericNeedsNumbersOnBothSides) {
  EXPECT_FALSE(Matches("gt", "1", R"("abc")"));
  EXPECT_FALSE(Matches("gt", R"("abc")", "5"));
  EXPECT_FALSE(Matches("gt", "0", "true"));
  EXPECT_FALSE(Matches("lt", "1", "null"));
  EXPECT_FALSE(Matches("lte", "1", "null"));
  EXPECT_FALSE(Matches("gt", "0", "[1]"));
  EXPECT_FALSE(Matches("gt", "0", R"(" 5")"));  // no whitespace
  EXPECT_FALSE(Matches("gt", "0", R"("5abc")"));
  EXPECT_FALSE(Matches("gt", "0", R"("")"));
  EXPECT_FALSE(Matches("gt", "0", R"("0x10")"));
  EXPECT_FALSE(Matches("gte", "0", R"("nan")"));  // NaN compares false
}

// ---- dates --------------------------------------------------------------------------------------

TEST(MatchProperty, DateSpecVector) {
  EXPECT_TRUE(Matches("is_date_before", R"("2024-01-01")", R"("2023-12-31T00:00:00Z")"));
}

TEST(MatchProperty, DatesBeforeAndAfter) {
  EXPECT_FALSE(Matches("is_date_before", R"("2024-01-01")", R"("2024-01-01T00:00:00Z")"));
  EXPECT_TRUE(Matches("is_date_after", R"("2024-01-01")", R"("2024-01-01T00:00:00.001Z")"));
  EXPECT_FALSE(Matches("is_date_after", R"("2024-01-01")", R"("2023-06-01")"));
  // Offsets are honoured: 2024-01-01T01:00+02:00 is 2023-12-31T23:00Z.
  EXPECT_TRUE(Matches("is_date_before", R"("2024-01-01")", R"("2024-01-01T01:00:00+02:00")"));
  EXPECT_FALSE(Matches("is_date_before", R"("2024-01-01")", R"("2023-12-31T23:00:00-02:00")"));
  // Naive date-times are UTC, with 'T' or a space.
  EXPECT_TRUE(Matches("is_date_after", R"("2024-01-01 10:00:00")", R"("2024-01-01T10:00:01")"));
  EXPECT_TRUE(Matches("is_date_before", R"("2024-01-01T10:00")", R"("2024-01-01 09:59")"));
  // Filter with a time and an offset.
  EXPECT_TRUE(Matches("is_date_after", R"("2024-01-01T00:00:00+01:00")", R"("2023-12-31T23:30Z")"));
}

TEST(MatchProperty, DatePropertiesAsUnixSeconds) {
  int64_t seconds = Micros(2024, 1, 1) / 1'000'000;  // 1704067200
  std::string before = std::to_string(seconds - 1);
  EXPECT_TRUE(Matches("is_date_before", R"("2024-01-01")", before));
  EXPECT_TRUE(Matches("is_date_before", R"("2024-01-01")", "\"" + before + "\""));
  EXPECT_FALSE(Matches("is_date_before", R"("2024-01-01")", std::to_string(seconds)));
  EXPECT_TRUE(Matches("is_date_after", R"("2024-01-01")", std::to_string(seconds) + ".5"));
  EXPECT_TRUE(Matches("is_date_before", R"("2024-01-01")", "\"" + before + ".999\""));
}

TEST(MatchProperty, RelativeDateFilters) {
  // now = 2020-01-01T12:01:20.134Z; -7d = 2019-12-25T12:01:20.134Z.
  EXPECT_TRUE(Matches("is_date_after", R"("-7d")", R"("2019-12-26")"));
  EXPECT_FALSE(Matches("is_date_after", R"("-7d")", R"("2019-12-25")"));
  EXPECT_TRUE(Matches("is_date_before", R"("-7d")", R"("2019-12-25T12:01:20.133Z")"));
  EXPECT_FALSE(Matches("is_date_before", R"("7d")", R"("2019-12-25T12:01:20.134Z")"));
  EXPECT_TRUE(Matches("is_date_after", R"("-1h")", R"("2020-01-01T11:30:00Z")"));
}

TEST(MatchProperty, DateExact) {
  // A bare date means the whole UTC day; anything else the exact instant.
  EXPECT_TRUE(Matches("is_date_exact", R"("2024-01-01")", R"("2024-01-01T15:30:00Z")"));
  EXPECT_TRUE(Matches("is_date_exact", R"("2024-01-01")", R"("2024-01-01")"));
  EXPECT_FALSE(Matches("is_date_exact", R"("2024-01-01")", R"("2024-01-02T00:00:00Z")"));
  EXPECT_FALSE(Matches("is_date_exact", R"("2024-01-01")", R"("2023-12-31T23:59:59Z")"));
  EXPECT_TRUE(
      Matches("is_date_exact", R"("2024-01-01T10:00:00Z")", R"("2024-01-01T12:00:00+02:00")"));
  EXPECT_FALSE(Matches("is_date_exact", R"("2024-01-01T10:00:00Z")", R"("2024-01-01T10:00:01Z")"));
}

TEST(MatchProperty, NaiveFilterDatesAreReadInTheProjectZone) {
  // Auckland is UTC+13 in January: its 2024-01-01 00:00 is 2023-12-31T11:00Z.
  const char* property = R"("2023-12-31T12:00:00Z")";
  EXPECT_TRUE(Matches("is_date_before", R"("2024-01-01")", property));
  EXPECT_FALSE(MatchesIn("Pacific/Auckland", "is_date_before", R"("2024-01-01")", property));
  EXPECT_TRUE(MatchesIn("Pacific/Auckland", "is_date_after", R"("2024-01-01")", property));
  EXPECT_TRUE(MatchesIn("Pacific/Auckland", "is_date_before", R"("2024-01-01")",
                        R"("2023-12-31T10:59:59Z")"));
  // Naive date-times too, with 'T' or a space: New York is UTC-5 in January.
  EXPECT_TRUE(MatchesIn("America/New_York", "is_date_after", R"("2024-01-10 09:00:00")",
                        R"("2024-01-10T14:00:01Z")"));
  EXPECT_FALSE(MatchesIn("America/New_York", "is_date_after", R"("2024-01-10T09:00:00")",
                         R"("2024-01-10T14:00:00Z")"));
  EXPECT_TRUE(MatchesIn("America/New_York", "is_date_after", R"("2024-01-10T09:00:00")",
                        R"("2024-01-10T09:00:01-05:00")"));
  // Summer time: Berlin is UTC+2 in July.
  EXPECT_TRUE(MatchesIn("Europe/Berlin", "is_date_before", R"("2024-07-01T12:00")",
                        R"("2024-07-01T09:59:59Z")"));
  EXPECT_FALSE(MatchesIn("Europe/Berlin", "is_date_before", R"("2024-07-01T12:00")",
                         R"("2024-07-01T10:00:00Z")"));
}

TEST(MatchProperty, NaivePropertyDatesAreReadInTheProjectZone) {
  // The person property "2024-01-01 05:00" in Kolkata (UTC+5:30) is 2023-12-31T23:30Z.
  const char* filter = R"("2024-01-01T00:00:00Z")";
  EXPECT_FALSE(Matches("is_date_before", filter, R"("2024-01-01 05:00:00")"));
  EXPECT_TRUE(MatchesIn("Asia/Kolkata", "is_date_before", filter, R"("2024-01-01 05:00:00")"));
  EXPECT_TRUE(MatchesIn("Asia/Kolkata", "is_date_before", filter, R"("2024-01-01")"));
  EXPECT_FALSE(MatchesIn("Asia/Kolkata", "is_date_before", filter, R"("2024-01-01T05:30")"));
  // Both sides naive: both read in the zone, so they compare as written.
  EXPECT_TRUE(MatchesIn("Asia/Kolkata", "is_date_before", R"("2024-01-01 05:00:01")",
                        R"("2024-01-01 05:00:00")"));
}

TEST(MatchProperty, ZoneLeavesOffsetsUnixSecondsAndRelativeDatesAlone) {
  for (const char* zone : {"UTC", "Pacific/Auckland", "America/Los_Angeles"}) {
    SCOPED_TRACE(zone);
    EXPECT_TRUE(MatchesIn(zone, "is_date_before", R"("2024-01-01T00:00:00Z")",
                          R"("2023-12-31T23:59:59Z")"));
    EXPECT_FALSE(MatchesIn(zone, "is_date_before", R"("2024-01-01T00:00:00+01:00")",
                           R"("2023-12-31T23:00:00Z")"));
    EXPECT_TRUE(MatchesIn(zone, "is_date_before", R"("2024-01-01T00:00:00Z")", "1704067199"));
    EXPECT_FALSE(MatchesIn(zone, "is_date_before", R"("2024-01-01T00:00:00Z")", "1704067200"));
    // now = 2020-01-01T12:01:20.134Z; -7d = 2019-12-25T12:01:20.134Z, whatever the zone.
    EXPECT_TRUE(MatchesIn(zone, "is_date_before", R"("-7d")", R"("2019-12-25T12:01:20.133Z")"));
    EXPECT_FALSE(MatchesIn(zone, "is_date_before", R"("-7d")", R"("2019-12-25T12:01:20.134Z")"));
  }
}

TEST(MatchProperty, DateExactBareDateIsTheDayInTheProjectZone) {
  // Auckland's 2024-01-01 runs from 2023-12-31T11:00Z to 2024-01-01T11:00Z.
  const char* day = R"("2024-01-01")";
  EXPECT_TRUE(MatchesIn("Pacific/Auckland", "is_date_exact", day, R"("2023-12-31T11:00:00Z")"));
  EXPECT_TRUE(MatchesIn("Pacific/Auckland", "is_date_exact", day, R"("2024-01-01T10:59:59Z")"));
  EXPECT_FALSE(MatchesIn("Pacific/Auckland", "is_date_exact", day, R"("2024-01-01T11:00:00Z")"));
  EXPECT_FALSE(MatchesIn("Pacific/Auckland", "is_date_exact", day, R"("2023-12-31T10:59:59Z")"));
  EXPECT_FALSE(Matches("is_date_exact", day, R"("2023-12-31T11:00:00Z")"));
  // A naive property on that day, read in the same zone.
  EXPECT_TRUE(MatchesIn("Pacific/Auckland", "is_date_exact", day, R"("2024-01-01 23:59:59")"));
  EXPECT_FALSE(MatchesIn("Pacific/Auckland", "is_date_exact", day, R"("2024-01-02 00:00:00")"));
  // The day clocks go back in New York lasts 25 hours: 04:00Z to 05:00Z the next day.
  const char* fall_back = R"("2024-11-03")";
  EXPECT_TRUE(
      MatchesIn("America/New_York", "is_date_exact", fall_back, R"("2024-11-04T04:59:59Z")"));
  EXPECT_FALSE(
      MatchesIn("America/New_York", "is_date_exact", fall_back, R"("2024-11-04T05:00:00Z")"));
  EXPECT_FALSE(
      MatchesIn("America/New_York", "is_date_exact", fall_back, R"("2024-11-03T03:59:59Z")"));
  // A naive date-time filter is one instant in the zone.
  EXPECT_TRUE(MatchesIn("Europe/Berlin", "is_date_exact", R"("2024-07-01T12:00:00")",
                        R"("2024-07-01T10:00:00Z")"));
}

TEST(MatchProperty, UnparseableDatesMatchNothing) {
  EXPECT_FALSE(Matches("is_date_before", R"("2024-01-01")", R"("not a date")"));
  EXPECT_FALSE(Matches("is_date_after", R"("2024-01-01")", R"("not a date")"));
  EXPECT_FALSE(Matches("is_date_before", R"("2024-01-01")", "null"));
  EXPECT_FALSE(Matches("is_date_before", R"("2024-01-01")", "true"));
  EXPECT_FALSE(Matches("is_date_before", R"("garbage")", R"("2020-01-01")"));
  EXPECT_FALSE(Matches("is_date_after", R"("garbage")", R"("2020-01-01")"));
  EXPECT_FALSE(Matches("is_date_before", R"("2024-13-01")", R"("2020-01-01")"));
  EXPECT_FALSE(Matches("is_date_before", R"("2023-02-29")", R"("2020-01-01")"));
  // The server reads only string filter values as dates.
  EXPECT_FALSE(Matches("is_date_before", "1704067200", R"("2020-01-01")"));
}

// ---- semver -------------------------------------------------------------------------------------

TEST(MatchProperty, SemverSpecVectors) {
  EXPECT_TRUE(Matches("semver_gt", R"("1.2.3")", R"("1.10.0")"));
  EXPECT_TRUE(Matches("semver_tilde", R"("1.2.0")", R"("1.2.9")"));
  EXPECT_FALSE(Matches("semver_caret", R"("0.2.3")", R"("0.3.0")"));
  EXPECT_TRUE(Matches("semver_wildcard", R"("1.*")", R"("1.9.9")"));
  EXPECT_TRUE(Matches("semver_eq", R"("1.2.0")", R"("v1.2")"));
  EXPECT_TRUE(Matches("semver_eq", R"("v1.2")", R"("1.2.0")"));
}

TEST(MatchProperty, SemverComparisons) {
  EXPECT_TRUE(Matches("semver_eq", R"("1.2.3")", R"("1.2.3")"));
  EXPECT_FALSE(Matches("semver_eq", R"("1.2.3")", R"("1.2.4")"));
  EXPECT_TRUE(Matches("semver_neq", R"("1.2.3")", R"("1.2.4")"));
  EXPECT_FALSE(Matches("semver_neq", R"("1.2.3")", R"("v1.2.3")"));
  EXPECT_TRUE(Matches("semver_gte", R"("1.2.3")", R"("1.2.3")"));
  EXPECT_TRUE(Matches("semver_lt", R"("1.2.3")", R"("1.2.3-beta")"));
  EXPECT_TRUE(Matches("semver_lte", R"("2")", R"("1.99.99")"));
  EXPECT_TRUE(Matches("semver_eq", R"("3.8.0")", R"("3.08")"));  // leading zeros ignored
  EXPECT_TRUE(Matches("semver_eq", "3", R"("3.0.0")"));          // a number filter
  EXPECT_TRUE(Matches("semver_gt", R"("1.0.0-alpha")", R"("1.0.0-alpha.1")"));
  EXPECT_TRUE(Matches("semver_gt", R"("1.0.0-alpha.1")", R"("1.0.0-alpha.beta")"));
  EXPECT_TRUE(Matches("semver_gt", R"("1.0.0-beta.2")", R"("1.0.0-beta.11")"));
  EXPECT_TRUE(Matches("semver_gt", R"("1.0.0-rc.1")", R"("1.0.0")"));
  EXPECT_TRUE(Matches("semver_eq", R"("1.0.0")", R"("1.0.0+build.5")"));  // build ignored
}

TEST(MatchProperty, SemverUnparseableMatchesNothing) {
  EXPECT_FALSE(Matches("semver_gt", R"("1.0.0")", R"("not-a-version")"));
  EXPECT_FALSE(Matches("semver_lt", R"("1.0.0")", R"("1.2.3.4")"));
  EXPECT_FALSE(Matches("semver_neq", R"("1.0.0")", R"("latest")"));
  EXPECT_FALSE(Matches("semver_eq", R"("1.0.0")", "null"));
  EXPECT_FALSE(Matches("semver_eq", R"("1.0.0")", "true"));
  EXPECT_FALSE(Matches("semver_eq", R"("garbage")", R"("1.0.0")"));
  EXPECT_FALSE(Matches("semver_neq", R"("garbage")", R"("1.0.0")"));
  EXPECT_FALSE(Matches("semver_tilde", R"("garbage")", R"("1.0.0")"));
  EXPECT_FALSE(Matches("semver_wildcard", R"("1.*.3")", R"("1.0.3")"));
}

TEST(MatchProperty, SemverRanges) {
  EXPECT_TRUE(Matches("semver_tilde", R"("1.2.3")", R"("1.2.3")"));
  EXPECT_FALSE(Matches("semver_tilde", R"("1.2.3")", R"("1.3.0")"));
  EXPECT_FALSE(Matches("semver_tilde", R"("1.2.3")", R"("1.2.2")"));
  EXPECT_TRUE(Matches("semver_caret", R"("1.2.3")", R"("1.9.0")"));
  EXPECT_FALSE(Matches("semver_caret", R"("1.2.3")", R"("2.0.0")"));
  EXPECT_TRUE(Matches("semver_caret", R"("0.2.3")", R"("0.2.9")"));
  EXPECT_TRUE(Matches("semver_caret", R"("0.0.3")", R"("0.0.3")"));
  EXPECT_FALSE(Matches("semver_caret", R"("0.0.3")", R"("0.0.4")"));
  EXPECT_FALSE(Matches("semver_wildcard", R"("1.*")", R"("2.0.0")"));
  EXPECT_TRUE(Matches("semver_wildcard", R"("1.2.*")", R"("1.2.7")"));
  EXPECT_FALSE(Matches("semver_wildcard", R"("1.2.*")", R"("1.3.0")"));
  EXPECT_TRUE(Matches("semver_wildcard", R"("*")", R"("42.0.1")"));
  EXPECT_TRUE(Matches("semver_wildcard", R"("v1.x")", R"("1.5.0")"));
  // Pre-releases fall inside a range only next to a pre-release lower bound.
  EXPECT_FALSE(Matches("semver_tilde", R"("1.2.0")", R"("1.2.5-beta")"));
  EXPECT_TRUE(Matches("semver_tilde", R"("1.2.3-beta.1")", R"("1.2.3-beta.2")"));
  EXPECT_FALSE(Matches("semver_wildcard", R"("1.*")", R"("1.5.0-rc.1")"));
}

// ---- not property filters -----------------------------------------------------------------------

TEST(MatchProperty, CohortAndFlagFiltersAreNotPropertyFilters) {
  Properties properties = Props(R"({"id":5,"flag":true})");
  EXPECT_FALSE(MatchProperty(Filter(R"({"key":"id","value":5,"type":"cohort","operator":"in"})"),
                             properties, {}));
  EXPECT_FALSE(MatchProperty(
      Filter(R"({"key":"flag","value":true,"type":"flag","operator":"flag_evaluates_to"})"),
      properties, {}));
  EXPECT_FALSE(MatchProperty(Filter(R"({"key":"id","value":5,"operator":"in"})"), properties, {}));
  EXPECT_FALSE(
      MatchProperty(Filter(R"({"key":"id","value":5,"operator":"not_in"})"), properties, {}));
}

TEST(MatchProperty, UnknownOperatorNeverMatches) {
  EXPECT_FALSE(Matches("fuzzy", R"("x")", R"("x")"));
  EXPECT_FALSE(Matches("fuzzy", R"("x")", ""));
}

TEST(MatchProperty, GroupAndEventFiltersMatchTheGivenProperties) {
  Properties properties = Props(R"({"name":"Acme"})");
  EXPECT_TRUE(
      MatchProperty(Filter(R"({"key":"name","value":"acme","type":"group","group_type_index":0})"),
                    properties, {}));
  EXPECT_TRUE(
      MatchProperty(Filter(R"({"key":"name","value":"acme","type":"event"})"), properties, {}));
}

TEST(MatchProperty, HandBuiltArrayFilterWithoutParsedItems) {
  PropertyFilter filter;
  filter.key = "k";
  filter.value.kind = PropertyValue::Kind::kArray;
  filter.value.text = R"(["a","b"])";
  EXPECT_TRUE(MatchProperty(filter, Props(R"({"k":"B"})"), {}));
  EXPECT_FALSE(MatchProperty(filter, Props(R"({"k":"c"})"), {}));
}

// ---- relative and absolute date parsing ---------------------------------------------------------

TEST(ParseRelativeDate, SpecVectors) {
  struct Case {
    const char* text;
    int64_t expected;
  } cases[] = {
      {"1h", Micros(2020, 1, 1, 11, 1, 20, 134)},    {"-1h", Micros(2020, 1, 1, 11, 1, 20, 134)},
      {"24h", Micros(2019, 12, 31, 12, 1, 20, 134)}, {"1d", Micros(2019, 12, 31, 12, 1, 20, 134)},
      {"30h", Micros(2019, 12, 31, 6, 1, 20, 134)},  {"7d", Micros(2019, 12, 25, 12, 1, 20, 134)},
      {"1w", Micros(2019, 12, 25, 12, 1, 20, 134)},  {"30d", Micros(2019, 12, 2, 12, 1, 20, 134)},
      {"8w", Micros(2019, 11, 6, 12, 1, 20, 134)},   {"1m", Micros(2019, 12, 1, 12, 1, 20, 134)},
      {"8m", Micros(2019, 5, 1, 12, 1, 20, 134)},    {"1y", Micros(2019, 1, 1, 12, 1, 20, 134)},
      {"12m", Micros(2019, 1, 1, 12, 1, 20, 134)},   {"4y", Micros(2016, 1, 1, 12, 1, 20, 134)},
      {"-4y", Micros(2016, 1, 1, 12, 1, 20, 134)},   {"000h", kNow},
      {"1000h", kNow - 1000 * 3'600'000'000LL},      {"3d", Micros(2019, 12, 29, 12, 1, 20, 134)},
  };
  for (const Case& c : cases) {
    std::optional<int64_t> parsed = ParseRelativeDate(c.text, kNow);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(*parsed, c.expected) << c.text << " gave " << FormatIsoMicros(*parsed);
  }
  int64_t april = Micros(2020, 4, 3);
  EXPECT_EQ(ParseRelativeDate("2m", april), Micros(2020, 2, 3));
  EXPECT_EQ(ParseRelativeDate("4m", april), Micros(2019, 12, 3));
  EXPECT_EQ(ParseRelativeDate("8m", april), Micros(2019, 8, 3));
  EXPECT_EQ(ParseRelativeDate("1y", april), Micros(2019, 4, 3));
  EXPECT_EQ(ParseRelativeDate("1m", april), Micros(2020, 3, 3));
}

TEST(ParseRelativeDate, ClampsTheDayAtEachStep) {
  int64_t march31 = Micros(2020, 3, 31, 8);
  EXPECT_EQ(ParseRelativeDate("1m", march31), Micros(2020, 2, 29, 8));
  EXPECT_EQ(ParseRelativeDate("2m", march31), Micros(2020, 1, 29, 8));  // not Jan 31
  EXPECT_EQ(ParseRelativeDate("1m", Micros(2021, 3, 31)), Micros(2021, 2, 28));
  EXPECT_EQ(ParseRelativeDate("1y", Micros(2020, 2, 29)), Micros(2019, 2, 28));
  EXPECT_EQ(ParseRelativeDate("4y", Micros(2020, 2, 29)), Micros(2016, 2, 28));
  EXPECT_EQ(ParseRelativeDate("1m", Micros(2020, 5, 31)), Micros(2020, 4, 30));
}

TEST(ParseRelativeDate, RejectsInvalidForms) {
  for (const char* text : {"1",
                           "1x",
                           "1.2y",
                           "1z",
                           "1s",
                           "bazinga",
                           "000bello",
                           "000hello",
                           "100000d",
                           "1000000h",
                           "10000d",
                           "",
                           "-",
                           "d",
                           "-d",
                           "--1d",
                           "+1d",
                           " 1d",
                           "1d ",
                           "1D",
                           "123344000.134m",
                           "100000000000000000y"}) {
    EXPECT_FALSE(ParseRelativeDate(text, kNow).has_value()) << text;
  }
  EXPECT_TRUE(ParseRelativeDate("9999d", kNow).has_value());
}

TEST(ParseDateValue, ReadsEveryForm) {
  auto parse = [](PropertyValue value) { return ParseDateValue(value, kNow); };
  EXPECT_EQ(parse(PropertyValue::Number(1704067200, "1704067200")), Micros(2024, 1, 1));
  EXPECT_EQ(parse(PropertyValue::Number(1704067200.25, "1704067200.25")),
            Micros(2024, 1, 1) + 250'000);
  EXPECT_EQ(parse(PropertyValue::String("1704067200.5")), Micros(2024, 1, 1) + 500'000);
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01")), Micros(2024, 1, 1));
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01T10:20:30Z")), Micros(2024, 1, 1, 10, 20, 30));
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01t10:20:30z")), Micros(2024, 1, 1, 10, 20, 30));
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01 10:20:30")), Micros(2024, 1, 1, 10, 20, 30));
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01T10:20:30")), Micros(2024, 1, 1, 10, 20, 30));
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01T10:20")), Micros(2024, 1, 1, 10, 20));
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01T10:20:30.123456789Z")),
            Micros(2024, 1, 1, 10, 20, 30) + 123'456);
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01T10:20:30.5+05:30")),
            Micros(2024, 1, 1, 4, 50, 30, 500));
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01T10:20:30-0100")),
            Micros(2024, 1, 1, 11, 20, 30));
  EXPECT_EQ(parse(PropertyValue::String("-7d")), Micros(2019, 12, 25, 12, 1, 20, 134));
  EXPECT_EQ(parse(PropertyValue::String("1969-12-31T23:59:59Z")), -1'000'000);
  EXPECT_EQ(parse(PropertyValue::Number(-1.5, "-1.5")), -1'500'000);
}

TEST(ParseDateValue, ReadsNaiveValuesInTheZone) {
  TimeZone berlin = Zone("Europe/Berlin");
  auto parse = [berlin](PropertyValue value) { return ParseDateValue(value, kNow, berlin); };
  EXPECT_EQ(parse(PropertyValue::String("2024-01-01")), Micros(2023, 12, 31, 23));
  EXPECT_EQ(parse(PropertyValue::String("2024-07-01 10:20:30")), Micros(2024, 7, 1, 8, 20, 30));
  EXPECT_EQ(parse(PropertyValue::String("2024-07-01T10:20")), Micros(2024, 7, 1, 8, 20));
  EXPECT_EQ(parse(PropertyValue::String("2024-07-01T10:20:30Z")), Micros(2024, 7, 1, 10, 20, 30));
  EXPECT_EQ(parse(PropertyValue::String("2024-07-01T10:20:30+05:30")),
            Micros(2024, 7, 1, 4, 50, 30));
  EXPECT_EQ(parse(PropertyValue::String("1704067200")), Micros(2024, 1, 1));
  EXPECT_EQ(parse(PropertyValue::Number(1704067200, "1704067200")), Micros(2024, 1, 1));
  EXPECT_EQ(parse(PropertyValue::String("-7d")), Micros(2019, 12, 25, 12, 1, 20, 134));
  EXPECT_FALSE(parse(PropertyValue::String("2024-02-30")).has_value());
}

TEST(ParseDateValue, RejectsOtherValues) {
  auto parse = [](PropertyValue value) { return ParseDateValue(value, kNow); };
  EXPECT_FALSE(parse(PropertyValue::Null()).has_value());
  EXPECT_FALSE(parse(PropertyValue::Bool(true)).has_value());
  for (const char* text :
       {"", "yesterday", "2024-1-1", "2024-02-30", "2024-00-10", "2024-01-01T24:00:00",
        "2024-01-01T10:60", "2024-01-01T10:20:30.Z", "2024-01-01T10:20:30+5", "2024-01-01X",
        "2024-01-01T10:20:30Zjunk", "2024-01-01T", "nan", "inf"}) {
    EXPECT_FALSE(parse(PropertyValue::String(text)).has_value()) << text;
  }
}

}  // namespace
}  // namespace hoglet::filters
