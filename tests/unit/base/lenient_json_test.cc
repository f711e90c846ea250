#include "base/lenient_json.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet {
namespace {

std::string Rewritten(std::string_view json, LenientJsonOptions options = {}) {
  std::string out = "untouched";
  return RewriteLenientJson(json, options, &out) ? out : "unchanged: " + out;
}

TEST(LenientJsonTest, NonFiniteNumbersBecomeNullOutsideStrings) {
  EXPECT_EQ(Rewritten(R"({"a":NaN,"b":[Infinity,-Infinity,+Infinity]})"),
            R"({"a":null,"b":[null,null,null]})");
  EXPECT_EQ(Rewritten(R"({"NaN":"Infinity \"NaN\"","x":NaN})"),
            R"({"NaN":"Infinity \"NaN\"","x":null})");
}

TEST(LenientJsonTest, NothingToRewriteLeavesTheOutputUntouched) {
  EXPECT_EQ(Rewritten(R"({"a":1,"b":"NaN"})"), "unchanged: untouched");
  EXPECT_EQ(Rewritten(R"({"a":12345678901234567890123})"), "unchanged: untouched");
}

TEST(LenientJsonTest, WidensIntegersBeyondSixtyFourBitsOnlyWhenAsked) {
  LenientJsonOptions widen{.widen_integers = true};
  EXPECT_EQ(Rewritten(R"({"a":12345678901234567890123,"b":-99999999999999999999})", widen),
            R"({"a":12345678901234567890123.0,"b":-99999999999999999999.0})");
  EXPECT_EQ(
      Rewritten(R"({"a":1234567890123456789,"b":1.5e300,"c":"12345678901234567890123"})", widen),
      "unchanged: untouched");
}

}  // namespace
}  // namespace hoglet
