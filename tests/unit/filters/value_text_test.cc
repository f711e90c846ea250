#include "filters/value_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hoglet::filters {
namespace {

TEST(TextOf, StringifiesLikeToText) {
  for (const PropertyValue& value :
       {PropertyValue::Null(), PropertyValue::Bool(true), PropertyValue::Bool(false),
        PropertyValue::Number(5, "5.0"), PropertyValue::String("s"),
        PropertyValue{PropertyValue::Kind::kArray, false, 0, "[1]"}}) {
    EXPECT_EQ(TextOf(value), value.ToText());
  }
}

TEST(ParseNumberText, AcceptsRustFloatSyntax) {
  EXPECT_EQ(ParseNumberText("10"), 10);
  EXPECT_EQ(ParseNumberText("-2.5"), -2.5);
  EXPECT_EQ(ParseNumberText("+3"), 3);
  EXPECT_EQ(ParseNumberText(".5"), 0.5);
  EXPECT_EQ(ParseNumberText("5."), 5);
  EXPECT_EQ(ParseNumberText("1e3"), 1000);
  EXPECT_EQ(ParseNumberText("1E-2"), 0.01);
  EXPECT_EQ(ParseNumberText("007"), 7);
  EXPECT_EQ(ParseNumberText("1e400"), INFINITY);
  EXPECT_EQ(ParseNumberText("-1e400"), -INFINITY);
  EXPECT_EQ(ParseNumberText("1e-400"), 0);
  EXPECT_EQ(ParseNumberText("inf"), INFINITY);
  EXPECT_EQ(ParseNumberText("-Infinity"), -INFINITY);
  ASSERT_TRUE(ParseNumberText("NaN").has_value());
  EXPECT_TRUE(std::isnan(*ParseNumberText("NaN")));
}

TEST(ParseNumberText, RejectsEverythingElse) {
  for (const char* text : {"", " 1", "1 ", "abc", "1a", "0x10", ".", "-", "+", "e5", "1e", "1e+",
                           "1..2", "--1", "1,5", "infinit", "nan(1)", "1_000"}) {
    EXPECT_FALSE(ParseNumberText(text).has_value()) << text;
  }
}

TEST(NumberOf, UsesTheJsonNumberOrTheText) {
  EXPECT_EQ(NumberOf(PropertyValue::Number(2.5, "2.5")), 2.5);
  EXPECT_EQ(NumberOf(PropertyValue::String("42")), 42);
  EXPECT_FALSE(NumberOf(PropertyValue::Bool(true)).has_value());
  EXPECT_FALSE(NumberOf(PropertyValue::Null()).has_value());
}

TEST(EqualsLowercased, FoldsAsciiAndCommonAlphabets) {
  EXPECT_TRUE(EqualsLowercased("Hello", "hELLO"));
  EXPECT_TRUE(EqualsLowercased("", ""));
  EXPECT_FALSE(EqualsLowercased("a", ""));
  EXPECT_FALSE(EqualsLowercased("abc", "abd"));
  EXPECT_TRUE(EqualsLowercased("ÀÉÎÕÜ", "àéîõü"));
  EXPECT_TRUE(EqualsLowercased("ŁÓDŹ", "łódź"));
  EXPECT_TRUE(EqualsLowercased("ΑΘΗΝΑ", "αθηνα"));
  EXPECT_TRUE(EqualsLowercased("ЁЛКА", "ёлка"));
  EXPECT_TRUE(EqualsLowercased("Straße", "STRAßE"));
  EXPECT_FALSE(EqualsLowercased("×", "÷"));  // U+00D7 is not a letter
  EXPECT_FALSE(EqualsLowercased("é", "e"));
  EXPECT_TRUE(EqualsLowercased("\xff", "\xff"));  // malformed bytes compare as themselves
  EXPECT_FALSE(EqualsLowercased("\xff", "\xfe"));
}

TEST(AsciiCaseInsensitive, ContainsStartsEnds) {
  EXPECT_TRUE(ContainsIgnoreAsciiCase("PostHog", "tHO"));
  EXPECT_TRUE(ContainsIgnoreAsciiCase("abc", ""));
  EXPECT_FALSE(ContainsIgnoreAsciiCase("ab", "abc"));
  EXPECT_TRUE(ContainsIgnoreAsciiCase("aaab", "aab"));
  EXPECT_FALSE(ContainsIgnoreAsciiCase("ÉCOLE", "école"));  // ASCII only, as on the server
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("PostHog", "POST"));
  EXPECT_FALSE(StartsWithIgnoreAsciiCase("PostHog", "Hog"));
  EXPECT_TRUE(EndsWithIgnoreAsciiCase("PostHog", "HOG"));
  EXPECT_FALSE(EndsWithIgnoreAsciiCase("Hog", "PostHog"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("TRUE", "true"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("true", "truer"));
}

}  // namespace
}  // namespace hoglet::filters
