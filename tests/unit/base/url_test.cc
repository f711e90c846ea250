#include "base/url.h"

#include <gtest/gtest.h>

namespace hoglet {
namespace {

TEST(Url, PercentDecodesAndKeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("100%", true), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", true), "%zz%4");
}

TEST(Url, ParsesQueryStringInOrder) {
  QueryParams p = ParseQueryString("ip=1&_=1694769305355&&flag&x=a%26b");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>{"ip", "1"}));
  EXPECT_EQ(p[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(QueryParam(p, "x"), "a&b");
  EXPECT_FALSE(QueryParam(p, "missing").has_value());
}

TEST(Url, PercentEncodeRoundTrips) {
  std::string text = "2026-01-01T00:00:00.000000+00:00 & é";
  EXPECT_EQ(PercentDecode(PercentEncode(text), true), text);
  EXPECT_EQ(PercentEncode("a-b_c.d~"), "a-b_c.d~");
}

}  // namespace
}  // namespace hoglet
