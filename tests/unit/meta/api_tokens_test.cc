#include "meta/api_tokens.h"

#include <gtest/gtest.h>

#include "base/sha256.h"

namespace hoglet::meta {
namespace {

TEST(GenerateToken, PrefixAndLength) {
  std::string token = GenerateToken(kProjectTokenPrefix);
  EXPECT_TRUE(token.starts_with("phc_"));
  EXPECT_EQ(token.size(), 47u);
  EXPECT_TRUE(ValidateToken(token, kProjectTokenPrefix, "token").ok());
}

TEST(ValidateToken, AcceptsOperatorChosenValues) {
  EXPECT_TRUE(ValidateToken("phc_test_123", kProjectTokenPrefix, "t").ok());
  EXPECT_TRUE(ValidateToken("phx_abcd", kPersonalApiKeyPrefix, "t").ok());  // exactly 8
  EXPECT_TRUE(ValidateToken("phx_" + std::string(60, 'a'), kPersonalApiKeyPrefix, "t").ok());
}

TEST(ValidateToken, RejectsWrongPrefix) {
  Status s = ValidateToken("phx_abcdef", kProjectTokenPrefix, "the project token");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("the project token must start with 'phc_'"), std::string::npos);
}

TEST(ValidateToken, RejectsBadLengthAndCharacters) {
  EXPECT_EQ(ValidateToken("phc_abc", kProjectTokenPrefix, "t").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateToken("phc_" + std::string(61, 'a'), kProjectTokenPrefix, "t").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateToken("phc_abc-def", kProjectTokenPrefix, "t").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateToken("phc_abc def", kProjectTokenPrefix, "t").code(),
            StatusCode::kInvalidArgument);
}

TEST(ValidateToken, MessageDoesNotEchoTheSecret) {
  Status s = ValidateToken("phx_secret-value", kPersonalApiKeyPrefix, "key");
  EXPECT_EQ(s.message().find("secret-value"), std::string::npos);
}

TEST(HashPersonalApiKey, IsSha256Hex) {
  EXPECT_EQ(HashPersonalApiKey("phx_abc"), Sha256Hex("phx_abc"));
  EXPECT_EQ(HashPersonalApiKey("phx_abc").size(), 64u);
}

TEST(MaskPersonalApiKey, KeepsPrefixAndLastFour) {
  EXPECT_EQ(MaskPersonalApiKey("phx_0123456789wxyz"), "phx_...wxyz");
}

}  // namespace
}  // namespace hoglet::meta
