#include "filters/property_value.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::filters {
namespace {

using Kind = PropertyValue::Kind;

TEST(PropertyValue, ToTextStringifiesLikePostHog) {
  EXPECT_EQ(PropertyValue::String("hello").ToText(), "hello");
  EXPECT_EQ(PropertyValue::String("").ToText(), "");
  EXPECT_EQ(PropertyValue::Null().ToText(), "null");
  EXPECT_EQ(PropertyValue::Bool(true).ToText(), "true");
  EXPECT_EQ(PropertyValue::Bool(false).ToText(), "false");
  EXPECT_EQ(PropertyValue::Number(5, "5.0").ToText(), "5.0");
}

TEST(ParseProperties, ReadsEveryKind) {
  auto parsed =
      ParseProperties(R"({"s":"text","i":5,"d":5.0,"neg":-2.5,"t":true,"f":false,"n":null,)"
                      R"("a":[1, "x" ,null],"o":{"k" : [true]}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Properties& p = *parsed;
  ASSERT_EQ(p.size(), 9u);
  EXPECT_EQ(p.at("s"), PropertyValue::String("text"));
  EXPECT_EQ(p.at("i").kind, Kind::kNumber);
  EXPECT_EQ(p.at("i").number, 5);
  EXPECT_EQ(p.at("i").ToText(), "5");
  EXPECT_EQ(p.at("d").kind, Kind::kNumber);
  EXPECT_EQ(p.at("d").number, 5.0);
  EXPECT_EQ(p.at("d").ToText(), "5.0");
  EXPECT_EQ(p.at("neg").number, -2.5);
  EXPECT_EQ(p.at("neg").ToText(), "-2.5");
  EXPECT_EQ(p.at("t"), PropertyValue::Bool(true));
  EXPECT_EQ(p.at("f"), PropertyValue::Bool(false));
  EXPECT_EQ(p.at("n"), PropertyValue::Null());
  EXPECT_EQ(p.at("a").kind, Kind::kArray);
  EXPECT_EQ(p.at("a").ToText(), R"([1,"x",null])");
  EXPECT_EQ(p.at("o").kind, Kind::kObject);
  EXPECT_EQ(p.at("o").ToText(), R"({"k":[true]})");
}

TEST(ParseProperties, KeepsLargeIntegersAndUnicode) {
  auto parsed = ParseProperties(R"({"big":18446744073709551615,"u":"caf\u00e9 🚀"})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at("big").ToText(), "18446744073709551615");
  EXPECT_EQ(parsed->at("u").text, "café 🚀");
}

TEST(ParseProperties, ReadsIntegersBeyond64BitsAsDoubles) {
  auto parsed = ParseProperties(
      R"({"big":123456789012345678901234567890,"neg":-99999999999999999999,"n":NaN,)"
      R"("s":"123456789012345678901234567890","small":7})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at("big").kind, Kind::kNumber);
  EXPECT_DOUBLE_EQ(parsed->at("big").number, 1.2345678901234568e29);
  EXPECT_DOUBLE_EQ(parsed->at("neg").number, -1e20);
  EXPECT_EQ(parsed->at("n"), PropertyValue::Null());
  EXPECT_EQ(parsed->at("s").text, "123456789012345678901234567890");
  EXPECT_EQ(parsed->at("small").ToText(), "7");
  // Numbers out of double range stay an error, as in PostHog's server.
  EXPECT_FALSE(ParseProperties(R"({"huge":1e400})").ok());
}

TEST(ParseProperties, ReadsNonFiniteNumbersAsNull) {
  auto parsed = ParseProperties(R"({"a":NaN,"b":Infinity,"c":-Infinity,"d":[1,NaN],"e":1})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at("a"), PropertyValue::Null());
  EXPECT_EQ(parsed->at("b"), PropertyValue::Null());
  EXPECT_EQ(parsed->at("c"), PropertyValue::Null());
  EXPECT_EQ(parsed->at("d").ToText(), "[1,null]");
  EXPECT_EQ(parsed->at("e").number, 1);
}

TEST(ParseProperties, LeavesNonFiniteWordsInsideStringsAlone) {
  auto parsed = ParseProperties(
      R"({"NaN":"NaN","s":"-Infinity and \"Infinity\" \\","t":"\\\"NaN","x":Infinity})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->at("NaN").text, "NaN");
  EXPECT_EQ(parsed->at("s").text, R"(-Infinity and "Infinity" \)");
  EXPECT_EQ(parsed->at("t").text, R"(\"NaN)");
  EXPECT_EQ(parsed->at("x"), PropertyValue::Null());
}

TEST(ParseProperties, LastDuplicateKeyWins) {
  auto parsed = ParseProperties(R"({"k":1,"k":"two"})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("k"), PropertyValue::String("two"));
}

TEST(ParseProperties, EmptyObject) {
  auto parsed = ParseProperties(" {} ");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(ParseProperties, RejectsNonObjects) {
  for (const char* json : {"[]", "1", "\"s\"", "null", "", "{", "{\"a\":}", "{\"a\":nan}"}) {
    auto parsed = ParseProperties(json);
    ASSERT_FALSE(parsed.ok()) << json;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << json;
  }
}

TEST(ParseProperties, RejectsDeepNesting) {
  std::string deep = "{\"a\":" + std::string(70, '[') + std::string(70, ']') + "}";
  auto parsed = ParseProperties(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);

  std::string shallow = "{\"a\":" + std::string(60, '[') + std::string(60, ']') + "}";
  EXPECT_TRUE(ParseProperties(shallow).ok());
}

TEST(ParseProperties, ReusesParserAcrossSizes) {
  std::string large = "{";
  for (int i = 0; i < 2000; ++i) {
    if (i > 0) large += ",";
    large += "\"key" + std::to_string(i) + "\":\"" + std::string(20, 'v') + "\"";
  }
  large += "}";
  auto first = ParseProperties(large);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 2000u);
  auto second = ParseProperties(R"({"a":1})");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->size(), 1u);
}

TEST(Overlay, OverridesWinAndOthersStay) {
  Properties base = {{"a", PropertyValue::String("stored")}, {"b", PropertyValue::Bool(true)}};
  Properties overrides = {{"a", PropertyValue::String("request")},
                          {"c", PropertyValue::Number(3, "3")}};
  Overlay(overrides, &base);
  ASSERT_EQ(base.size(), 3u);
  EXPECT_EQ(base.at("a"), PropertyValue::String("request"));
  EXPECT_EQ(base.at("b"), PropertyValue::Bool(true));
  EXPECT_EQ(base.at("c"), PropertyValue::Number(3, "3"));
}

TEST(Overlay, NullOverrideReplacesValue) {
  Properties base = {{"a", PropertyValue::String("stored")}};
  Overlay({{"a", PropertyValue::Null()}}, &base);
  EXPECT_EQ(base.at("a"), PropertyValue::Null());
}

}  // namespace
}  // namespace hoglet::filters
