#include "capture/payload_decoder.h"

#include <gtest/gtest.h>

#include "base/base64.h"
#include "base/gzip.h"
#include "base/url.h"
#include "capture_test_util.h"

namespace hoglet::capture {
namespace {

using testing::RequestBuilder;

constexpr std::string_view kJson =
    R"([{"event":"e","properties":{"distinct_id":"d","token":"t"}}])";

StatusOr<DecodedPayload> Decode(const RequestBuilder& b, const CaptureLimits& limits = {}) {
  CaptureRequest request = b.Build();
  return DecodePayload(request, ParseCaptureQuery(request.query), limits);
}

std::string Json(const RequestBuilder& b) {
  StatusOr<DecodedPayload> out = Decode(b);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? out->json : "";
}

TEST(PayloadDecoder, PassesPlainJsonThrough) {
  RequestBuilder b;
  b.body = kJson;
  EXPECT_EQ(Json(b), kJson);
}

TEST(PayloadDecoder, InflatesGzipByMagicWithoutAnyHint) {
  RequestBuilder b;
  b.path = "/e/";
  b.content_type = "text/plain";
  b.body = GzipCompress(kJson);
  EXPECT_EQ(Json(b), kJson);
}

TEST(PayloadDecoder, InflatesGzipWithQueryOrHeaderHint) {
  RequestBuilder b;
  b.body = GzipCompress(kJson);
  b.query = "compression=gzip-js";
  EXPECT_EQ(Json(b), kJson);
  b.query = "";
  b.content_encoding = "gzip";
  EXPECT_EQ(Json(b), kJson);
}

TEST(PayloadDecoder, IgnoresAGzipHintOnBytesThatAreNotGzip) {
  RequestBuilder b;
  b.path = "/e/";
  b.query = "compression=gzip-js";
  b.content_type = "application/x-www-form-urlencoded";
  b.body = "data=" + PercentEncode(Base64Encode(kJson));
  EXPECT_EQ(Json(b), kJson);
}

TEST(PayloadDecoder, DecodesFormBase64AndRepairsPlusTurnedIntoSpace) {
  // '?' and '>' make base64 output contain '+' and '/'.
  std::string json = R"([{"event":"???>>>","properties":{"distinct_id":"d"}}])";
  std::string b64 = Base64Encode(json);
  ASSERT_NE(b64.find('+'), std::string::npos);
  RequestBuilder b;
  b.path = "/e/";
  b.content_type = "application/x-www-form-urlencoded; charset=UTF-8";
  // A client that did not percent-encode '+': url-decoding turns it into a space.
  b.body = "data=" + b64 + "&compression=base64";
  EXPECT_EQ(Json(b), json);
  b.body = "data=" + PercentEncode(b64);
  EXPECT_EQ(Json(b), json);
}

TEST(PayloadDecoder, ReadsLegacyGetDataParameter) {
  RequestBuilder b;
  b.path = "/e/";
  b.body = "";
  b.query = "data=" + PercentEncode(Base64Encode(kJson)) + "&ip=1";
  EXPECT_EQ(Json(b), kJson);
}

TEST(PayloadDecoder, SniffsAWholeBase64Body) {
  RequestBuilder b;
  b.path = "/batch/";
  b.content_type = "text/plain";
  b.body = Base64Encode(kJson);
  EXPECT_EQ(Json(b), kJson);
}

TEST(PayloadDecoder, UnwrapsASecondBase64LayerOnlyOnLegacyPaths) {
  std::string twice = Base64Encode(Base64Encode(kJson));
  RequestBuilder b;
  b.content_type = "text/plain";
  b.body = twice;
  b.path = "/e/";
  EXPECT_EQ(Json(b), kJson);
  b.path = "/batch/";
  EXPECT_EQ(Json(b), Base64Encode(kJson));
  b.path = "/i/v0/e/";
  EXPECT_EQ(Json(b), Base64Encode(kJson));
}

TEST(PayloadDecoder, DecodesLz64FormData) {
  // lz-string compressToBase64 of "[{\"a\":1}]"-free text: reuse the npm vector for "a".
  RequestBuilder b;
  b.path = "/e/";
  b.content_type = "application/x-www-form-urlencoded";
  b.body = "data=IZA%3D&compression=lz64";
  EXPECT_EQ(Json(b), "a");
  b.body = "data=IZA%3D";
  b.query = "compression=lz-string";
  EXPECT_EQ(Json(b), "a");
}

TEST(PayloadDecoder, ReportsCorruptLz64AsADecodingError) {
  RequestBuilder b;
  b.path = "/e/";
  b.query = "compression=lz64";
  b.content_type = "text/plain";
  b.body = "not*lz";
  StatusOr<DecodedPayload> out = Decode(b);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().reason(), "request_decoding_error");
}

TEST(PayloadDecoder, RejectsAnEmptyPayload) {
  RequestBuilder b;
  b.body = "";
  StatusOr<DecodedPayload> out = Decode(b);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().reason(), "empty_payload");
}

TEST(PayloadDecoder, RejectsAFormBodyWithoutFormFields) {
  RequestBuilder b;
  b.content_type = "application/x-www-form-urlencoded";
  b.body = kJson;
  StatusOr<DecodedPayload> out = Decode(b);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
}

TEST(PayloadDecoder, RejectsCorruptGzip) {
  RequestBuilder b;
  std::string gz = GzipCompress(std::string(2000, 'x'));
  b.body = gz.substr(0, gz.size() / 2);
  StatusOr<DecodedPayload> out = Decode(b);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().reason(), "request_decoding_error");
}

TEST(PayloadDecoder, StopsAGzipBomb) {
  RequestBuilder b;
  b.body = GzipCompress(std::string(32 << 20, ' '), 9);
  CaptureLimits limits;
  limits.max_payload_bytes = 1 << 20;
  StatusOr<DecodedPayload> out = Decode(b, limits);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kPayloadTooLarge);
}

TEST(PayloadDecoder, LimitsPlainAndBase64Payloads) {
  CaptureLimits limits;
  limits.max_payload_bytes = kJson.size() - 1;
  RequestBuilder b;
  b.body = kJson;
  EXPECT_EQ(Decode(b, limits).status().code(), StatusCode::kPayloadTooLarge);
  b.body = Base64Encode(kJson);
  EXPECT_EQ(Decode(b, limits).status().code(), StatusCode::kPayloadTooLarge);
  limits.max_payload_bytes = kJson.size();
  EXPECT_TRUE(Decode(b, limits).ok());
}

TEST(PayloadDecoder, ParsesCompressionHints) {
  EXPECT_EQ(ParseCompressionHint("GZIP"), Compression::kGzip);
  EXPECT_EQ(ParseCompressionHint("gzip-js"), Compression::kGzip);
  EXPECT_EQ(ParseCompressionHint("lz64"), Compression::kLzString);
  EXPECT_EQ(ParseCompressionHint("LZ-String"), Compression::kLzString);
  EXPECT_EQ(ParseCompressionHint("b64"), Compression::kBase64);
  EXPECT_EQ(ParseCompressionHint("base64"), Compression::kBase64);
  EXPECT_FALSE(ParseCompressionHint("br").has_value());
  EXPECT_FALSE(ParseCompressionHint("").has_value());
}

TEST(PayloadDecoder, AppliesTheBase64SniffRule) {
  EXPECT_TRUE(LooksLikeBase64("Zm9v"));
  EXPECT_FALSE(LooksLikeBase64("Zm9vY"));    // length not a multiple of 4
  EXPECT_FALSE(LooksLikeBase64("{\"a\"}"));  // JSON
  EXPECT_FALSE(LooksLikeBase64("ver=1234"));
  EXPECT_FALSE(LooksLikeBase64(""));
}

TEST(PayloadDecoder, ClassifiesPaths) {
  EXPECT_TRUE(IsLegacyCapturePath("/e"));
  EXPECT_TRUE(IsLegacyCapturePath("/e/"));
  EXPECT_TRUE(IsLegacyCapturePath("/capture/"));
  EXPECT_TRUE(IsLegacyCapturePath("/track"));
  EXPECT_TRUE(IsLegacyCapturePath("/engage/"));
  EXPECT_FALSE(IsLegacyCapturePath("/batch/"));
  EXPECT_FALSE(IsLegacyCapturePath("/i/v0/e/"));
  EXPECT_TRUE(IsEngagePath("/engage"));
  EXPECT_FALSE(IsEngagePath("/e/"));
}

TEST(PayloadDecoder, TakesLibVersionFromFormThenQuery) {
  RequestBuilder b;
  b.path = "/e/";
  b.content_type = "application/x-www-form-urlencoded";
  b.query = "ver=1.0.0";
  b.body = "data=" + PercentEncode(Base64Encode(kJson)) + "&ver=2.0.0";
  StatusOr<DecodedPayload> out = Decode(b);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->lib_version, "2.0.0");
  b.body = "data=" + PercentEncode(Base64Encode(kJson));
  out = Decode(b);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->lib_version, "1.0.0");
}

}  // namespace
}  // namespace hoglet::capture
