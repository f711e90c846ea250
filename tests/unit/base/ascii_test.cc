#include "base/ascii.h"

#include <gtest/gtest.h>

namespace hoglet {
namespace {

TEST(TrimAscii, DropsOnlyTheListedCharactersAtBothEnds) {
  EXPECT_EQ(TrimAscii("  \tkey = v \t", kBlanks), "key = v");
  EXPECT_EQ(TrimAscii("\n id \r", kBlanks), "\n id \r");
  EXPECT_EQ(TrimAscii("\n id \r", kAsciiWhitespace), "id");
}

TEST(TrimAscii, AllTrimmedOrEmptyGivesEmpty) {
  EXPECT_EQ(TrimAscii(" \t ", kBlanks), "");
  EXPECT_EQ(TrimAscii("", kAsciiWhitespace), "");
  EXPECT_EQ(TrimBlanks(" \v "), "\v");
}

TEST(EqualsIgnoreAsciiCase, FoldsAsciiLettersOnly) {
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Cookie", "cOOKIE"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("", ""));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("cookie", "cookies"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("[", "{"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("\xC3\x89", "\xC3\xA9"));  // É and é stay distinct
}

TEST(AsciiLower, LowersAsciiAndKeepsOtherBytes) {
  EXPECT_EQ(AsciiLower("Chrome 120 \xC3\x89T\xC3\x89"), "chrome 120 \xC3\x89t\xC3\x89");
  EXPECT_EQ(AsciiLower(""), "");
}

}  // namespace
}  // namespace hoglet
