// Decoding /flags and /decide requests: every body shape and encoding the SDKs send, the field
// aliases, lenient JSON, the limits, the query parameters and runtime inference.
#include "flags/flags_request.h"

#include <gtest/gtest.h>

#include <string>

#include "base/base64.h"
#include "base/gzip.h"
#include "base/url.h"

namespace hoglet::flags {
namespace {

using filters::PropertyValue;

constexpr char kBody[] =
    R"({"token":"phc_abc","distinct_id":"user-1","person_properties":{"plan":"pro"}})";

StatusOr<FlagsRequest> Decode(std::string_view body, std::string_view content_type = {},
                              std::string_view compression = {},
                              std::string_view content_encoding = {},
                              const FlagsRequestLimits& limits = {}) {
  return DecodeFlagsRequest({.content_type = content_type,
                             .content_encoding = content_encoding,
                             .body = body,
                             .compression = compression},
                            limits);
}

void ExpectBasic(const StatusOr<FlagsRequest>& decoded) {
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->token, "phc_abc");
  ASSERT_TRUE(decoded->distinct_id.has_value());
  EXPECT_EQ(*decoded->distinct_id, "user-1");
  ASSERT_TRUE(decoded->person_properties.contains("plan"));
  EXPECT_EQ(decoded->person_properties.at("plan"), PropertyValue::String("pro"));
}

TEST(FlagsRequest, PlainJsonWithAnyJsonContentType) {
  ExpectBasic(Decode(kBody));
  ExpectBasic(Decode(kBody, "application/json"));
  ExpectBasic(Decode(kBody, "application/json; charset=utf-8"));
  ExpectBasic(Decode(kBody, "text/plain"));
}

TEST(FlagsRequest, GzipByMagicBytesParameterOrHeader) {
  std::string gzipped = GzipCompress(kBody);
  ExpectBasic(Decode(gzipped, "text/plain"));                    // posthog-js: no hint at all
  ExpectBasic(Decode(gzipped, "application/json", "gzip"));      // ?compression=gzip
  ExpectBasic(Decode(gzipped, "application/json", "gzip-js"));   // older posthog-js
  ExpectBasic(Decode(gzipped, "application/json", "", "gzip"));  // Content-Encoding
}

TEST(FlagsRequest, CorruptGzipIsADecodingError) {
  std::string gzipped = GzipCompress(kBody);
  gzipped.resize(gzipped.size() / 2);
  auto decoded = Decode(gzipped, "application/json", "gzip");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().reason(), "request_decoding_error");
  EXPECT_TRUE(decoded.status().message().starts_with("Failed to decode request: gzip"))
      << decoded.status().message();
}

TEST(FlagsRequest, GzipBombStopsAtTheLimit) {
  std::string huge(1 << 20, ' ');
  huge = "{\"token\":\"phc_abc\",\"distinct_id\":\"a\",\"pad\":\"" + huge + "\"}";
  FlagsRequestLimits limits;
  limits.max_decoded_bytes = 64 << 10;
  auto decoded = Decode(GzipCompress(huge), "text/plain", "", "", limits);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kPayloadTooLarge);
}

TEST(FlagsRequest, Base64JsonFallbackEvenWithoutHint) {
  std::string encoded = Base64Encode(kBody);
  ExpectBasic(Decode(encoded, "application/json"));
  ExpectBasic(Decode(encoded, "text/plain", "base64"));
  // Percent-encoded and with its padding stripped, as some clients send it.
  std::string unpadded = encoded.substr(0, encoded.find('='));
  ExpectBasic(Decode(PercentEncode(unpadded), "application/json"));
}

TEST(FlagsRequest, FormDataFieldWithBase64) {
  std::string encoded = Base64Encode(kBody);
  constexpr char kForm[] = "application/x-www-form-urlencoded";
  ExpectBasic(Decode("data=" + PercentEncode(encoded), kForm));
  ExpectBasic(Decode("data=" + PercentEncode(encoded), kForm, "base64"));
  ExpectBasic(Decode("data=" + encoded + "&ver=1.2.3", kForm));
  ExpectBasic(Decode(encoded, kForm));  // the bare base64, without "data="
  auto gzip = Decode("data=" + encoded, kForm, "gzip");
  ASSERT_FALSE(gzip.ok());
  EXPECT_NE(gzip.status().message().find("Gzip compression not supported"), std::string::npos);
}

TEST(FlagsRequest, UnsupportedContentTypeOrCompressionIs400) {
  auto type = Decode(kBody, "application/xml");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(type.status().message().find("unsupported content type"), std::string::npos);
  auto compression = Decode(kBody, "application/json", "brotli");
  ASSERT_FALSE(compression.ok());
  EXPECT_NE(compression.status().message().find("Unsupported compression type"), std::string::npos);
}

TEST(FlagsRequest, InvalidJsonIs400WithPostHogWording) {
  for (std::string_view body : {"{not json", "", "[1,2]", "\"text\""}) {
    auto decoded = Decode(body, "application/json");
    ASSERT_FALSE(decoded.ok()) << body;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_TRUE(decoded.status().message().starts_with("Failed to decode request: "))
        << decoded.status().message();
    EXPECT_TRUE(
        decoded.status().message().ends_with("Please check your request format and try again."));
  }
}

TEST(FlagsRequest, NonFiniteNumbersBecomeNull) {
  auto decoded =
      Decode(R"({"token":"phc_abc","distinct_id":"u","person_properties":{"a":NaN,"b":Infinity,)"
             R"("c":-Infinity,"d":"NaN stays text","e":1.5}})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const auto& props = decoded->person_properties;
  EXPECT_EQ(props.at("a").kind, PropertyValue::Kind::kNull);
  EXPECT_EQ(props.at("b").kind, PropertyValue::Kind::kNull);
  EXPECT_EQ(props.at("c").kind, PropertyValue::Kind::kNull);
  EXPECT_EQ(props.at("d"), PropertyValue::String("NaN stays text"));
  EXPECT_EQ(props.at("e").kind, PropertyValue::Kind::kNumber);
  EXPECT_DOUBLE_EQ(props.at("e").number, 1.5);
}

TEST(FlagsRequest, InvalidUtf8AndLoneSurrogatesAreRepaired) {
  std::string body = "{\"token\":\"phc_abc\",\"distinct_id\":\"caf\xE9\",";
  body += R"("person_properties":{"s":"\ud83c!"}})";
  auto decoded = Decode(body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded->distinct_id, "caf\xEF\xBF\xBD");
  EXPECT_EQ(decoded->person_properties.at("s"), PropertyValue::String("\xEF\xBF\xBD!"));
}

TEST(FlagsRequest, TokenAliasesAndNoTokenIsNotADecodingError) {
  EXPECT_EQ(Decode(R"({"api_key":"phc_1","distinct_id":"u"})")->token, "phc_1");
  EXPECT_EQ(Decode(R"({"$token":"phc_2","distinct_id":"u"})")->token, "phc_2");
  EXPECT_EQ(Decode(R"({"token":"phc_3","api_key":"phc_4","distinct_id":"u"})")->token, "phc_3");
  auto none = Decode(R"({"distinct_id":"u"})");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->token, "");
  EXPECT_FALSE(Decode(R"({"token":5,"distinct_id":"u"})").ok());
}

TEST(FlagsRequest, DistinctIdStringOrNumberTruncatedTo200Characters) {
  EXPECT_EQ(*Decode(R"({"distinct_id":123})")->distinct_id, "123");
  EXPECT_EQ(*Decode(R"({"distinct_id":123.45})")->distinct_id, "123.45");
  EXPECT_EQ(*Decode(R"({"$distinct_id":"alias"})")->distinct_id, "alias");
  EXPECT_EQ(*Decode(R"({"distinct_id":""})")->distinct_id, "");
  EXPECT_FALSE(Decode(R"({"distinct_id":null})")->distinct_id.has_value());
  EXPECT_FALSE(Decode(R"({})")->distinct_id.has_value());
  std::string long_id(250, 'x');
  EXPECT_EQ(Decode(R"({"distinct_id":")" + long_id + "\"}")->distinct_id->size(), 200u);
  // 250 two-byte characters are cut at 200 characters, not 200 bytes.
  std::string wide;
  for (int i = 0; i < 250; ++i) wide += "\xC3\xA9";
  EXPECT_EQ(Decode(R"({"distinct_id":")" + wide + "\"}")->distinct_id->size(), 400u);
  EXPECT_FALSE(Decode(R"({"distinct_id":{"a":1}})").ok());
}

TEST(FlagsRequest, EveryFieldAndAlias) {
  auto decoded = Decode(R"({
    "token": "phc_abc", "distinct_id": "u",
    "$groups": {"company": "acme", "project": 42, "skipped": null},
    "$group_properties": {"company": {"size": 10}},
    "$anon_distinct_id": "anon-1", "$device_id": "dev-1",
    "flag_keys_to_evaluate": ["a", "b"], "evaluation_environments": ["web"],
    "evaluation_runtime": "server", "timezone": "Europe/Paris",
    "disable_flags": true, "geoip_disable": true, "sent_at": "ignored"})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->groups.size(), 2u);
  EXPECT_EQ(decoded->groups.at("company"), "acme");
  EXPECT_EQ(decoded->groups.at("project"), "42");
  EXPECT_EQ(decoded->group_properties.at("company").at("size").number, 10);
  EXPECT_EQ(*decoded->anon_distinct_id, "anon-1");
  EXPECT_EQ(*decoded->device_id, "dev-1");
  EXPECT_EQ(*decoded->flag_keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(decoded->evaluation_contexts, std::vector<std::string>{"web"});
  EXPECT_EQ(*decoded->evaluation_runtime, "server");
  EXPECT_EQ(*decoded->timezone, "Europe/Paris");
  EXPECT_TRUE(decoded->disable_flags);
  EXPECT_TRUE(decoded->geoip_disable);

  auto plain = Decode(R"({"anon_distinct_id":"a2","device_id":"d2","flag_keys":["c"],
                          "evaluation_contexts":["app"],"$properties":{"p":true}})");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(*plain->anon_distinct_id, "a2");
  EXPECT_EQ(*plain->device_id, "d2");
  EXPECT_EQ(*plain->flag_keys, std::vector<std::string>{"c"});
  EXPECT_EQ(plain->evaluation_contexts, std::vector<std::string>{"app"});
  EXPECT_EQ(plain->person_properties.at("p"), PropertyValue::Bool(true));
  EXPECT_FALSE(plain->disable_flags);
}

TEST(FlagsRequest, DeviceIdFallsBackToPersonProperty) {
  auto decoded = Decode(R"({"distinct_id":"u","person_properties":{"$device_id":"dev-9"}})");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded->device_id, "dev-9");
  auto top =
      Decode(R"({"distinct_id":"u","$device_id":"top","person_properties":{"$device_id":"p"}})");
  EXPECT_EQ(*top->device_id, "top");
}

TEST(FlagsRequest, WrongTypesAre400NamingTheField) {
  for (std::string_view body :
       {R"({"groups":"acme"})", R"({"person_properties":[1]})", R"({"flag_keys":"a"})",
        R"({"flag_keys":[1]})", R"({"disable_flags":"yes"})",
        R"({"group_properties":{"company":5}})"}) {
    auto decoded = Decode(body);
    ASSERT_FALSE(decoded.ok()) << body;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(decoded.status().message().find('`'), std::string::npos)
        << decoded.status().message();
  }
}

TEST(FlagsRequest, ClientControlledSizesAreBounded) {
  FlagsRequestLimits limits;
  limits.max_flag_keys = 2;
  limits.max_groups = 1;
  limits.max_properties = 2;
  EXPECT_TRUE(Decode(R"({"flag_keys":["a","b"]})", "", "", "", limits).ok());
  EXPECT_FALSE(Decode(R"({"flag_keys":["a","b","c"]})", "", "", "", limits).ok());
  EXPECT_FALSE(Decode(R"({"groups":{"a":"1","b":"2"}})", "", "", "", limits).ok());
  EXPECT_FALSE(Decode(R"({"person_properties":{"a":1,"b":2,"c":3}})", "", "", "", limits).ok());
  limits.max_json_depth = 4;
  auto deep = Decode(R"({"person_properties":{"a":[[[[1]]]]}})", "", "", "", limits);
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("too deep"), std::string::npos);
}

TEST(FlagsRequest, QueryParameters) {
  FlagsQuery none = ParseFlagsQuery("");
  EXPECT_FALSE(none.version.has_value());
  EXPECT_FALSE(none.config.has_value());
  EXPECT_FALSE(none.only_survey_flags);

  FlagsQuery q = ParseFlagsQuery(
      "v=3&config=true&compression=base64&ver=1.2&_=1700000000000"
      "&only_evaluate_survey_feature_flags=true");
  EXPECT_EQ(q.version, 3);
  EXPECT_EQ(q.config, true);
  EXPECT_EQ(q.compression, "base64");
  EXPECT_TRUE(q.only_survey_flags);

  EXPECT_EQ(ParseFlagsQuery("v=abc").version, 1);  // unparseable reads as 1
  EXPECT_FALSE(ParseFlagsQuery("v=").version.has_value());
  EXPECT_EQ(ParseFlagsQuery("config").config, true);  // presence means true
  EXPECT_EQ(ParseFlagsQuery("config=1").config, true);
  for (const char* off : {"config=false", "config=0", "config=no", "config=off", "config=FALSE"}) {
    EXPECT_EQ(ParseFlagsQuery(off).config, false) << off;
  }
}

TEST(FlagsRequest, RuntimeFromRequestThenUserAgentThenBrowserHeaders) {
  EXPECT_EQ(ResolveRuntime("SERVER", "Mozilla/5.0", true), EvaluationRuntime::kServer);
  EXPECT_EQ(ResolveRuntime("client", "", false), EvaluationRuntime::kClient);
  EXPECT_EQ(ResolveRuntime("nonsense", "", false), EvaluationRuntime::kAll);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "Mozilla/5.0 (X11) Chrome/120", false),
            EvaluationRuntime::kClient);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "posthog-node/5.1.0", false), EvaluationRuntime::kServer);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "posthog-python/6.0", true), EvaluationRuntime::kServer);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "curl/8.0", false), EvaluationRuntime::kServer);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "posthog-ios/3.0", false), EvaluationRuntime::kClient);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "something", true), EvaluationRuntime::kClient);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "something", false), std::nullopt);
  EXPECT_EQ(ResolveRuntime(std::nullopt, "", false), std::nullopt);
}

TEST(FlagsRequest, InitialPropertiesFilledOnlyWhenMissing) {
  filters::Properties props = {{"$browser", PropertyValue::String("Chrome")},
                               {"utm_source", PropertyValue::String("news")},
                               {"$os", PropertyValue::String("Linux")},
                               {"$initial_os", PropertyValue::String("Mac OS X")}};
  FillInitialProperties(&props);
  EXPECT_EQ(props.at("$initial_browser"), PropertyValue::String("Chrome"));
  EXPECT_EQ(props.at("$initial_utm_source"), PropertyValue::String("news"));
  EXPECT_EQ(props.at("$initial_os"), PropertyValue::String("Mac OS X"));
  EXPECT_FALSE(props.contains("$initial_initial_os"));
  EXPECT_EQ(props.size(), 6u);
}

}  // namespace
}  // namespace hoglet::flags
