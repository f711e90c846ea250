#include "capture/distinct_id.h"

#include <gtest/gtest.h>

#include "capture_test_util.h"

namespace hoglet::capture {
namespace {

std::optional<std::string> Normalize(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(json).get(element), simdjson::SUCCESS) << json;
  return NormalizeDistinctId(element);
}

TEST(DistinctId, KeepsStrings) {
  EXPECT_EQ(Normalize(R"("user@example.com")"), "user@example.com");
}

TEST(DistinctId, StringifiesNumbersAndArrays) {
  EXPECT_EQ(Normalize("23"), "23");
  EXPECT_EQ(Normalize("23.4"), "23.4");
  EXPECT_EQ(Normalize("-7"), "-7");
  EXPECT_EQ(Normalize("18446744073709551615"), "18446744073709551615");
  EXPECT_EQ(Normalize(R"([ "a", "b" ])"), R"(["a","b"])");
  EXPECT_EQ(Normalize("true"), "true");
}

TEST(DistinctId, SortsObjectKeysRecursively) {
  EXPECT_EQ(Normalize(R"({"string": "a", "number": 3})"), R"({"number":3,"string":"a"})");
  EXPECT_EQ(Normalize(R"([{"b":1,"a":{"d":2,"c":"x\"y"}}])"),
            R"([{"a":{"c":"x\"y","d":2},"b":1}])");
}

TEST(DistinctId, TreatsNullEmptyAndWhitespaceAsMissing) {
  EXPECT_FALSE(Normalize("null").has_value());
  EXPECT_FALSE(Normalize(R"("")").has_value());
  EXPECT_FALSE(Normalize(R"("  \t\n")").has_value());
}

TEST(DistinctId, ReplacesNulWithReplacementCharacter) {
  EXPECT_EQ(Normalize(R"("a\u0000b")"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(DistinctId, TruncatesToTwoHundredCharactersNotBytes) {
  std::string ascii(300, 'x');
  EXPECT_EQ(CleanDistinctId(ascii), std::string(200, 'x'));
  std::string accents;
  for (int i = 0; i < 250; ++i) accents += "\xC3\xA9";  // é, 2 bytes each
  std::string cut = CleanDistinctId(accents);
  EXPECT_EQ(cut.size(), 400u);
  std::string emoji;
  for (int i = 0; i < 201; ++i) emoji += "\xF0\x9F\x98\x80";
  EXPECT_EQ(CleanDistinctId(emoji).size(), 800u);
  EXPECT_EQ(CleanDistinctId("short"), "short");
}

TEST(DistinctId, ReportsTheLengthBeforeTheCut) {
  size_t chars = 0;
  std::string accents;
  for (int i = 0; i < 250; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(CleanDistinctId(accents, &chars).size(), 400u);
  EXPECT_EQ(chars, 250u);
  EXPECT_EQ(CleanDistinctId("short", &chars), "short");
  EXPECT_EQ(chars, 5u);
  simdjson::dom::parser parser;
  simdjson::dom::element number = parser.parse(std::string_view("12345"));
  EXPECT_EQ(NormalizeDistinctId(number, &chars), "12345");
  EXPECT_EQ(chars, 5u);
}

}  // namespace
}  // namespace hoglet::capture
