#include "store/property_filter_eval.h"

#include <gtest/gtest.h>

namespace hoglet::store {
namespace {

using Op = PropertyFilter::Op;

CompiledFilter Compile(Op op, std::string value_json) {
  StatusOr<CompiledFilter> f = CompiledFilter::Compile({"k", op, std::move(value_json)});
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return *std::move(f);
}

const PropertyValue kStr5 = PropertyValue::String("5");
const PropertyValue kNum5 = PropertyValue::Number(5);
const PropertyValue kChrome = PropertyValue::String("Chrome");
const PropertyValue kTrue = PropertyValue::Bool(true);
const PropertyValue kNull = PropertyValue::Null();
const PropertyValue kObj = PropertyValue::Json(R"({"a":1})");

TEST(PropertyFilter, ExactComparesNumbersAndStringsLikePostHog) {
  CompiledFilter str5 = Compile(Op::kExact, R"("5")");
  EXPECT_TRUE(str5.Matches(&kStr5));
  EXPECT_TRUE(str5.Matches(&kNum5));
  PropertyValue five_point_zero = PropertyValue::Number(5.0);
  EXPECT_TRUE(Compile(Op::kExact, "5").Matches(&five_point_zero));
  EXPECT_TRUE(Compile(Op::kExact, "5").Matches(&kStr5));
  EXPECT_FALSE(Compile(Op::kExact, R"("5.0")").Matches(&kStr5));  // two strings: text equality
  EXPECT_TRUE(Compile(Op::kExact, R"("5.0")").Matches(&kNum5));   // a number: numeric
  EXPECT_FALSE(str5.Matches(nullptr));
  EXPECT_FALSE(str5.Matches(&kNull));
  EXPECT_TRUE(Compile(Op::kExact, "true").Matches(&kTrue));
  EXPECT_TRUE(Compile(Op::kExact, R"("true")").Matches(&kTrue));
  EXPECT_TRUE(Compile(Op::kExact, R"({"a":1})").Matches(&kObj));
}

TEST(PropertyFilter, ExactWithArrayIsAnyOf) {
  CompiledFilter f = Compile(Op::kExact, R"(["Firefox", "Chrome"])");
  EXPECT_TRUE(f.Matches(&kChrome));
  PropertyValue safari = PropertyValue::String("Safari");
  EXPECT_FALSE(f.Matches(&safari));
  CompiledFilter not_f = Compile(Op::kIsNot, R"(["Firefox", "Chrome"])");
  EXPECT_FALSE(not_f.Matches(&kChrome));
  EXPECT_TRUE(not_f.Matches(&safari));
}

TEST(PropertyFilter, IsNotMatchesMissingAndNull) {
  CompiledFilter f = Compile(Op::kIsNot, R"("Chrome")");
  EXPECT_FALSE(f.Matches(&kChrome));
  EXPECT_TRUE(f.Matches(nullptr));
  EXPECT_TRUE(f.Matches(&kNull));
  EXPECT_TRUE(f.Matches(&kNum5));
}

TEST(PropertyFilter, IContainsIsCaseInsensitiveOnStringifiedValue) {
  EXPECT_TRUE(Compile(Op::kIContains, R"("hRo")").Matches(&kChrome));
  PropertyValue n = PropertyValue::Number(1234.5);
  EXPECT_TRUE(Compile(Op::kIContains, R"("34.5")").Matches(&n));
  EXPECT_TRUE(Compile(Op::kIContains, R"("RU")").Matches(&kTrue));
  EXPECT_FALSE(Compile(Op::kIContains, R"("x")").Matches(nullptr));
  EXPECT_FALSE(Compile(Op::kNotIContains, R"("hro")").Matches(&kChrome));
  EXPECT_TRUE(Compile(Op::kNotIContains, R"("x")").Matches(nullptr));
  EXPECT_TRUE(Compile(Op::kNotIContains, R"("x")").Matches(&kChrome));
}

TEST(PropertyFilter, RegexSearchesAndInvalidPatternMatchesNothing) {
  EXPECT_TRUE(Compile(Op::kRegex, R"("^Chr.*e$")").Matches(&kChrome));
  EXPECT_TRUE(Compile(Op::kRegex, R"("rom")").Matches(&kChrome));  // search, not full match
  EXPECT_FALSE(Compile(Op::kRegex, R"("^rom")").Matches(&kChrome));
  EXPECT_FALSE(Compile(Op::kRegex, R"("x")").Matches(nullptr));
  EXPECT_TRUE(Compile(Op::kNotRegex, R"("^rom")").Matches(&kChrome));
  EXPECT_TRUE(Compile(Op::kNotRegex, R"("x")").Matches(nullptr));
  CompiledFilter bad = Compile(Op::kRegex, R"("(unclosed")");
  EXPECT_FALSE(bad.Matches(&kChrome));
  CompiledFilter bad_not = Compile(Op::kNotRegex, R"("(unclosed")");
  EXPECT_FALSE(bad_not.Matches(&kChrome));
  EXPECT_FALSE(bad_not.Matches(nullptr));
}

TEST(PropertyFilter, NumericComparisonsIgnoreNonNumbers) {
  PropertyValue ten = PropertyValue::Number(10);
  PropertyValue ten_text = PropertyValue::String("10");
  EXPECT_TRUE(Compile(Op::kGt, "9").Matches(&ten));
  EXPECT_TRUE(Compile(Op::kGt, R"("9")").Matches(&ten_text));  // numeric, not '10' < '9'
  EXPECT_FALSE(Compile(Op::kGt, "10").Matches(&ten));
  EXPECT_TRUE(Compile(Op::kGte, "10").Matches(&ten));
  EXPECT_TRUE(Compile(Op::kLt, "10.5").Matches(&ten));
  EXPECT_FALSE(Compile(Op::kLt, "10").Matches(&ten));
  EXPECT_TRUE(Compile(Op::kLte, "10").Matches(&ten));
  EXPECT_FALSE(Compile(Op::kGt, "1").Matches(&kChrome));
  EXPECT_FALSE(Compile(Op::kLt, "1").Matches(nullptr));
  EXPECT_FALSE(Compile(Op::kGt, R"("abc")").Matches(&ten));
}

TEST(PropertyFilter, IsSetTestsPresenceIncludingNull) {
  CompiledFilter set = Compile(Op::kIsSet, "");
  CompiledFilter not_set = Compile(Op::kIsNotSet, "");
  EXPECT_TRUE(set.Matches(&kNull));
  EXPECT_TRUE(set.Matches(&kChrome));
  EXPECT_FALSE(set.Matches(nullptr));
  EXPECT_TRUE(not_set.Matches(nullptr));
  EXPECT_FALSE(not_set.Matches(&kNull));
}

TEST(PropertyFilter, ValueThatIsNotJsonIsInvalidArgument) {
  EXPECT_EQ(CompiledFilter::Compile({"k", Op::kExact, "Chrome"}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hoglet::store
