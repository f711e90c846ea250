#include "capture/token.h"

#include <gtest/gtest.h>

#include "capture_test_util.h"

namespace hoglet::capture {
namespace {

using Tokens = std::vector<std::optional<std::string>>;

TEST(Token, BatchTokenWinsOverEventTokens) {
  StatusOr<std::string> t = ResolveToken("phc_batch", Tokens{"phc_a", "phc_b"});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "phc_batch");
}

TEST(Token, OneDistinctEventTokenIsUsed) {
  StatusOr<std::string> t = ResolveToken(std::nullopt, Tokens{"phc_a", std::nullopt, "phc_a"});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "phc_a");
}

TEST(Token, NoTokenIsUnauthenticated) {
  StatusOr<std::string> t = ResolveToken(std::nullopt, Tokens{std::nullopt});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(t.status().reason(), "ingest_key_required");
}

TEST(Token, DifferentEventTokensAreRefused) {
  StatusOr<std::string> t = ResolveToken(std::nullopt, Tokens{"phc_a", "phc_b"});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(t.status().reason(), "multiple_tokens");
}

TEST(Token, ValidatesShape) {
  EXPECT_TRUE(ValidateTokenShape("phc_VXRzc3poSG9GZm1JenRianJ6TTJFZGh4OWY2QXzx9f3").ok());
  EXPECT_TRUE(ValidateTokenShape(std::string(64, 'a')).ok());
  for (std::string bad : {std::string(), std::string(65, 'a'), std::string("phc_\xC3\xA9"),
                          std::string("phc\0x", 5), std::string("phx_personal")}) {
    Status s = ValidateTokenShape(bad);
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << bad;
    EXPECT_EQ(s.reason(), "ingest_key_invalid") << bad;
  }
  EXPECT_FALSE(ResolveToken("phx_key", Tokens{}).ok());
}

TEST(Token, ReadsEventTokenFromAliasesThenProperties) {
  struct Case {
    const char* json;
    std::optional<std::string> expected;
  };
  const Case cases[] = {
      {R"({"token":"a","$token":"b","api_key":"c","properties":{"token":"d"}})", "a"},
      {R"({"$token":"b","api_key":"c"})", "b"},
      {R"({"api_key":"c","properties":{"token":"d"}})", "c"},
      {R"({"properties":{"token":"d"}})", "d"},
      {R"({"token":5,"properties":{}})", std::nullopt},
      {R"({"event":"x"})", std::nullopt},
  };
  for (const Case& c : cases) {
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    ASSERT_EQ(parser.parse(std::string_view(c.json)).get(object), simdjson::SUCCESS);
    EXPECT_EQ(EventToken(object), c.expected) << c.json;
  }
}

}  // namespace
}  // namespace hoglet::capture
