#include "base/random.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace hoglet {
namespace {

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

TEST(RandomBase62, HasRequestedLengthAndAlphabet) {
  for (size_t length : {0, 1, 43, 200}) {
    std::string s = RandomBase62(length);
    ASSERT_EQ(s.size(), length);
    for (char c : s) EXPECT_TRUE(IsBase62(c)) << c;
  }
}

TEST(RandomBase62, UsesTheWholeAlphabet) {
  // 62 symbols over 20,000 draws: the chance that any one never appears is ~62 * e^-322.
  std::set<char> seen;
  std::string s = RandomBase62(20000);
  seen.insert(s.begin(), s.end());
  EXPECT_EQ(seen.size(), 62u);
}

TEST(RandomToken, PrefixPlus43Chars) {
  std::string token = RandomToken("phc_");
  ASSERT_EQ(token.size(), 4 + kRandomTokenChars);
  EXPECT_EQ(token.substr(0, 4), "phc_");
  for (char c : token.substr(4)) EXPECT_TRUE(IsBase62(c)) << c;
}

TEST(RandomToken, DistinctEachCall) {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) tokens.insert(RandomToken("phx_"));
  EXPECT_EQ(tokens.size(), 1000u);
}

TEST(SecureRandomBytes, FillsBuffer) {
  std::array<uint8_t, 64> a{};
  std::array<uint8_t, 64> b{};
  SecureRandomBytes(a);
  SecureRandomBytes(b);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace hoglet
