#include "capture/form.h"

#include <gtest/gtest.h>

#include "capture/query_string.h"

namespace hoglet::capture {
namespace {

TEST(Form, RecognisesTheContentTypeLeniently) {
  EXPECT_TRUE(IsFormContentType("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormContentType("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
  EXPECT_FALSE(IsFormContentType("application/json"));
  EXPECT_FALSE(IsFormContentType(""));
}

TEST(Form, ParsesFieldsAndRepairsBase64) {
  StatusOr<CaptureForm> form = ParseCaptureForm("data=ab+c/d==&compression=base64&ver=1.2.3");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->data, "ab+c/d==");
  EXPECT_EQ(form->compression, "base64");
  EXPECT_EQ(form->lib_version, "1.2.3");
}

TEST(Form, LeavesNonBase64DataAlone) {
  StatusOr<CaptureForm> form = ParseCaptureForm("data=%7B%22a b%22%7D");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->data, "{\"a b\"}");
}

TEST(Form, RequiresAKnownPrefix) {
  for (const char* ok : {"data=x", "ver=1", "_=1", "ip=1", "compression=gzip"}) {
    EXPECT_TRUE(ParseCaptureForm(ok).ok()) << ok;
  }
  StatusOr<CaptureForm> bad = ParseCaptureForm("{\"event\":\"x\"}");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(QueryString, ReadsCaptureParameters) {
  CaptureQuery q =
      ParseCaptureQuery("compression=gzip-js&ip=1&_=1694769305355&ver=1.78.5&beacon=1");
  EXPECT_EQ(q.compression, "gzip-js");
  EXPECT_EQ(q.sent_at_ms, 1694769305355);
  EXPECT_EQ(q.lib_version, "1.78.5");
  EXPECT_FALSE(q.data.has_value());
}

TEST(QueryString, FallsBackToAliasesAndIgnoresMalformedNumbers) {
  CaptureQuery q = ParseCaptureQuery("sent_at=1700000000000&lib_version=2&data=a%2Bb");
  EXPECT_EQ(q.sent_at_ms, 1700000000000);
  EXPECT_EQ(q.lib_version, "2");
  EXPECT_EQ(q.data, "a+b");
  EXPECT_FALSE(ParseCaptureQuery("_=12ab").sent_at_ms.has_value());
  EXPECT_FALSE(ParseCaptureQuery("data=").data.has_value());
}

TEST(QueryString, ParsesInt64Strictly) {
  EXPECT_EQ(ParseInt64("42"), 42);
  EXPECT_EQ(ParseInt64("-42"), -42);
  EXPECT_EQ(ParseInt64("+42"), 42);
  EXPECT_FALSE(ParseInt64("").has_value());
  EXPECT_FALSE(ParseInt64("+").has_value());
  EXPECT_FALSE(ParseInt64("99999999999999999999").has_value());
  EXPECT_FALSE(ParseInt64("4 2").has_value());
}

}  // namespace
}  // namespace hoglet::capture
