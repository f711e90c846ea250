#include "base/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesRfc4648Vectors) {
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode("Zm8="), "fo");
  EXPECT_EQ(Base64Decode("Zm9vYmFy"), "foobar");
}

TEST(Base64, AcceptsMissingPadding) {
  EXPECT_EQ(Base64Decode("Zg"), "f");
  EXPECT_EQ(Base64Decode("Zm8"), "fo");
}

TEST(Base64, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); len += 37) {
    std::string part = all.substr(0, len);
    EXPECT_EQ(Base64Decode(Base64Encode(part)), part) << len;
  }
}

TEST(Base64, RejectsCharactersOutsideTheStandardAlphabet) {
  EXPECT_FALSE(Base64Decode("Zm9v YmFy").has_value());  // space: '+' damaged by form decoding
  EXPECT_FALSE(Base64Decode("Zm9-").has_value());       // url-safe alphabet
  EXPECT_FALSE(Base64Decode("Zm9_").has_value());
  EXPECT_FALSE(Base64Decode("{\"a\":1}").has_value());
}

TEST(Base64, RejectsImpossibleLengthsAndMisplacedPadding) {
  EXPECT_FALSE(Base64Decode("Z").has_value());
  EXPECT_FALSE(Base64Decode("Zm9vY").has_value());
  EXPECT_FALSE(Base64Decode("Zg=").has_value());
  EXPECT_FALSE(Base64Decode("Z=g=").has_value());
  EXPECT_FALSE(Base64Decode("Zg===").has_value());
}

TEST(Base64, ClassifiesAlphabetCharacters) {
  EXPECT_TRUE(IsBase64Char('A'));
  EXPECT_TRUE(IsBase64Char('+'));
  EXPECT_TRUE(IsBase64Char('='));
  EXPECT_FALSE(IsBase64Char(' '));
  EXPECT_FALSE(IsBase64Char('-'));
}

}  // namespace
}  // namespace hoglet
