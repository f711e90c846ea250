// HashPassword / VerifyPassword: the Argon2id encoding, salting, length limits and what counts
// as a malformed encoding.
#include "meta/password_hash.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::meta {
namespace {

constexpr std::string_view kPassword = "correct horse battery staple";

std::string MustHash(std::string_view password) {
  auto encoded = HashPassword(password);
  EXPECT_TRUE(encoded.ok()) << encoded.status().ToString();
  return encoded.ok() ? *encoded : std::string();
}

TEST(PasswordHash, RoundTripsWithTheDocumentedParameters) {
  std::string encoded = MustHash(kPassword);
  EXPECT_TRUE(encoded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << encoded;
  // $argon2id$v=19$m=…$salt$hash: 16 bytes of salt and 32 of hash, unpadded base64.
  size_t hash_start = encoded.rfind('$');
  size_t salt_start = encoded.rfind('$', hash_start - 1);
  EXPECT_EQ(hash_start - salt_start - 1, 22u);      // ceil(16 * 4 / 3)
  EXPECT_EQ(encoded.size() - hash_start - 1, 43u);  // ceil(32 * 4 / 3)
  EXPECT_EQ(encoded.find(kPassword), std::string::npos);
  EXPECT_TRUE(VerifyPassword(kPassword, encoded));
}

TEST(PasswordHash, RejectsAWrongPassword) {
  std::string encoded = MustHash(kPassword);
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", encoded));
  EXPECT_FALSE(VerifyPassword("Correct horse battery staple", encoded));
  EXPECT_FALSE(VerifyPassword(kPassword.substr(0, kPassword.size() - 1), encoded));
}

TEST(PasswordHash, SaltsEveryHash) {
  std::string first = MustHash(kPassword);
  std::string second = MustHash(kPassword);
  EXPECT_NE(first, second);
  EXPECT_TRUE(VerifyPassword(kPassword, first));
  EXPECT_TRUE(VerifyPassword(kPassword, second));
}

TEST(PasswordHash, MalformedEncodingsDoNotVerify) {
  std::string encoded = MustHash(kPassword);
  std::string flipped_hash = encoded;
  flipped_hash.back() = flipped_hash.back() == 'A' ? 'B' : 'A';
  std::string other_variant = encoded;
  other_variant.replace(0, std::string_view("$argon2id").size(), "$argon2i");
  std::string costly = encoded;
  costly.replace(costly.find("m=19456"), 7, "m=4000000");
  for (const std::string& bad : {
           std::string(),
           std::string("not a hash"),
           std::string("$argon2id$v=19$m=19456,t=2,p=1$"),
           encoded.substr(0, encoded.size() - 5),  // truncated hash
           encoded.substr(0, encoded.rfind('$')),  // no hash at all
           flipped_hash,
           other_variant,
           costly,
           encoded + std::string(1, '\0') + "tail",
       }) {
    EXPECT_FALSE(VerifyPassword(kPassword, bad)) << bad;
  }
  EXPECT_TRUE(VerifyPassword(kPassword, encoded));
}

TEST(PasswordHash, EnforcesLengthLimits) {
  for (size_t length : {size_t{0}, kMinPasswordBytes - 1, kMaxPasswordBytes + 1}) {
    auto encoded = HashPassword(std::string(length, 'p'));
    EXPECT_EQ(encoded.status().code(), StatusCode::kInvalidArgument) << length;
    EXPECT_EQ(encoded.status().reason(), "invalid_password");
    EXPECT_NE(encoded.status().message().find("8 to 256 bytes"), std::string::npos)
        << encoded.status().ToString();
  }
  for (size_t length : {kMinPasswordBytes, kMaxPasswordBytes}) {
    std::string password(length, 'p');
    std::string encoded = MustHash(password);
    EXPECT_TRUE(VerifyPassword(password, encoded)) << length;
  }
}

TEST(PasswordHash, AcceptsAnyByteInAPassword) {
  const std::string password("pass\0word\xff\x01", 12);
  std::string encoded = MustHash(password);
  EXPECT_TRUE(VerifyPassword(password, encoded));
  EXPECT_FALSE(VerifyPassword(std::string_view("pass\0word\xff\x02", 12), encoded));
}

}  // namespace
}  // namespace hoglet::meta
