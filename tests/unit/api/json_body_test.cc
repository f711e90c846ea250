// JsonBody: typed reads that tell absent, present and wrong-typed fields apart.
#include "api/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::api {
namespace {

TEST(JsonBody, ReadsTypedFieldsAndIgnoresOthers) {
  auto body = JsonBody::Parse(
      R"({"s":"text","b":true,"i":-7,"a":[1, {"k": "v"}],"n":null,"extra":{"x":1}})");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(body->String("s")->value(), "text");
  EXPECT_EQ(body->Bool("b")->value(), true);
  EXPECT_EQ(body->Int("i")->value(), -7);
  EXPECT_EQ(body->ArrayJson("a")->value(), R"([1,{"k":"v"}])");
  EXPECT_TRUE(body->Has("n"));
  EXPECT_TRUE(body->IsNull("n"));
  EXPECT_FALSE(body->IsNull("s"));
  EXPECT_FALSE(body->Has("missing"));
  EXPECT_FALSE(body->String("missing")->has_value());
  EXPECT_FALSE(body->Int("missing")->has_value());
}

TEST(JsonBody, NonBlankStringRefusesEmptyAndWhenRequiredAbsent) {
  auto body = JsonBody::Parse(R"({"name":"x","blank":"","number":3})");
  ASSERT_TRUE(body.ok());
  using Presence = JsonBody::Presence;
  EXPECT_EQ(body->NonBlankString("name", Presence::kRequired)->value(), "x");
  EXPECT_FALSE(body->NonBlankString("missing", Presence::kOptional)->has_value());

  auto absent = body->NonBlankString("missing", Presence::kRequired);
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().reason(), "required");
  EXPECT_EQ(absent.status().message(), "This field is required.");

  auto blank = body->NonBlankString("blank", Presence::kOptional);
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.status().reason(), "blank");
  EXPECT_EQ(blank.status().message(), "This field may not be blank.");

  EXPECT_EQ(body->NonBlankString("number", Presence::kOptional).status().message(),
            "'number' must be a string, not an integer");
}

TEST(JsonBody, WrongTypesAreInvalidInputNamingTheExpectedType) {
  auto body =
      JsonBody::Parse(R"({"s":1,"b":"true","i":1.5,"a":{},"n":null,"big":18446744073709551615})");
  ASSERT_TRUE(body.ok());
  auto s = body->String("s");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().reason(), "invalid_input");
  EXPECT_EQ(s.status().message(), "'s' must be a string, not an integer");
  EXPECT_FALSE(body->Bool("b").ok());
  EXPECT_FALSE(body->Int("i").ok());
  EXPECT_FALSE(body->ArrayJson("a").ok());
  EXPECT_EQ(body->String("n").status().message(), "'n' must be a string, not null");
  EXPECT_EQ(body->Int("big").status().message(), "'big' is out of range");
}

TEST(JsonBody, EmptyBodyIsAnEmptyObject) {
  for (const char* text : {"", "  \r\n"}) {
    auto body = JsonBody::Parse(text);
    ASSERT_TRUE(body.ok()) << "'" << text << "'";
    EXPECT_FALSE(body->Has("name"));
  }
}

TEST(JsonBody, RejectsWhatIsNotAJsonObject) {
  const std::string too_deep = "{\"a\":" + std::string(JsonBody::kMaxDepth, '[') +
                               std::string(JsonBody::kMaxDepth, ']') + "}";
  for (const std::string& text :
       {std::string("{"), std::string("[]"), std::string("42"), std::string("{\"a\":1,}"),
        std::string("{\"a\":\"\xc3\x28\"}"), std::string("{} {}"), too_deep}) {
    auto body = JsonBody::Parse(text);
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(body.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(body.status().reason(), "parse_error") << text;
  }
  const std::string deep_enough = "{\"a\":" + std::string(JsonBody::kMaxDepth - 1, '[') +
                                  std::string(JsonBody::kMaxDepth - 1, ']') + "}";
  EXPECT_TRUE(JsonBody::Parse(deep_enough).ok());
}

}  // namespace
}  // namespace hoglet::api
