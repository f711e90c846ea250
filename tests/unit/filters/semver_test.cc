#include "filters/semver.h"

#include <gtest/gtest.h>

namespace hoglet::filters {
namespace {

TEST(ParseSemVer, NormalisesLikeTheServer) {
  auto v = ParseSemVer("v1.2");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->major, 1u);
  EXPECT_EQ(v->minor, 2u);
  EXPECT_EQ(v->patch, 0u);
  EXPECT_TRUE(v->pre_release.empty());

  v = ParseSemVer(" 3.08.010-rc.1+build.01 ");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->major, 3u);
  EXPECT_EQ(v->minor, 8u);
  EXPECT_EQ(v->patch, 10u);
  EXPECT_EQ(v->pre_release, "rc.1");

  v = ParseSemVer("7");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->major, 7u);
  EXPECT_EQ(ParseSemVer("18446744073709551615.0.0")->major, 18446744073709551615u);
}

TEST(ParseSemVer, RejectsNonVersions) {
  for (const char* text : {"", "v", "1.2.3.4", "1..2", "1.2.", ".1", "a.b.c", "1.x", "V1.2.3",
                           " v1.2.3", "1.2.3-", "1.2.3-01", "1.2.3-a..b", "1.2.3+", "1.2.3-a_b",
                           "18446744073709551616.0.0", "1.2.3 beta"}) {
    EXPECT_FALSE(ParseSemVer(text).has_value()) << text;
  }
  EXPECT_TRUE(ParseSemVer("1.2.3+01").has_value());  // build identifiers may have leading zeros
}

int Compare(const char* a, const char* b) {
  return CompareSemVer(*ParseSemVer(a), *ParseSemVer(b));
}

TEST(CompareSemVer, FollowsSemVerPrecedence) {
  // The ordering example of SemVer 2.0 §11.
  const char* ordered[] = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                           "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0",
                           "1.0.1",        "1.1.0",         "1.10.0",           "2.0.0"};
  for (size_t i = 0; i < std::size(ordered); ++i) {
    EXPECT_EQ(Compare(ordered[i], ordered[i]), 0) << ordered[i];
    for (size_t j = i + 1; j < std::size(ordered); ++j) {
      EXPECT_LT(Compare(ordered[i], ordered[j]), 0) << ordered[i] << " < " << ordered[j];
      EXPECT_GT(Compare(ordered[j], ordered[i]), 0) << ordered[j] << " > " << ordered[i];
    }
  }
  EXPECT_EQ(Compare("1.0.0+a", "1.0.0+b"), 0);
  EXPECT_EQ(Compare("01.02.03", "1.2.3"), 0);
}

bool In(std::optional<SemVerRange> range, const char* version) {
  EXPECT_TRUE(range.has_value());
  return range && InRange(*ParseSemVer(version), *range);
}

TEST(SemVerRanges, Tilde) {
  EXPECT_TRUE(In(TildeRange("1.2.3"), "1.2.3"));
  EXPECT_TRUE(In(TildeRange("1.2.3"), "1.2.99"));
  EXPECT_FALSE(In(TildeRange("1.2.3"), "1.3.0"));
  EXPECT_FALSE(In(TildeRange("1.2.3"), "1.2.2"));
  EXPECT_TRUE(In(TildeRange("1"), "1.0.5"));  // padded to 1.0.0
  EXPECT_FALSE(In(TildeRange("1"), "1.1.0"));
  EXPECT_FALSE(TildeRange("~1.2.3").has_value());
}

TEST(SemVerRanges, Caret) {
  EXPECT_TRUE(In(CaretRange("1.2.3"), "1.99.0"));
  EXPECT_FALSE(In(CaretRange("1.2.3"), "2.0.0"));
  EXPECT_TRUE(In(CaretRange("0.2.3"), "0.2.4"));
  EXPECT_FALSE(In(CaretRange("0.2.3"), "0.3.0"));
  EXPECT_TRUE(In(CaretRange("0.0.3"), "0.0.3"));
  EXPECT_FALSE(In(CaretRange("0.0.3"), "0.0.4"));
  EXPECT_FALSE(In(CaretRange("0.0.3"), "0.0.2"));
}

TEST(SemVerRanges, Wildcard) {
  EXPECT_TRUE(In(WildcardRange("1.*"), "1.0.0"));
  EXPECT_TRUE(In(WildcardRange("1.*"), "1.9.9"));
  EXPECT_FALSE(In(WildcardRange("1.*"), "2.0.0"));
  EXPECT_FALSE(In(WildcardRange("1.*"), "0.9.9"));
  EXPECT_TRUE(In(WildcardRange("1.2.*"), "1.2.0"));
  EXPECT_FALSE(In(WildcardRange("1.2.*"), "1.3.0"));
  EXPECT_TRUE(In(WildcardRange("1.*.*"), "1.5.5"));
  EXPECT_TRUE(In(WildcardRange("1.x"), "1.5.5"));
  EXPECT_TRUE(In(WildcardRange("1.2.X"), "1.2.5"));
  EXPECT_TRUE(In(WildcardRange("*"), "0.0.0"));
  EXPECT_TRUE(In(WildcardRange("*"), "99.0.0"));
  // Without a wildcard the semver crate reads a caret requirement.
  EXPECT_TRUE(In(WildcardRange("1.2.3"), "1.5.0"));
  EXPECT_TRUE(In(WildcardRange("1.2"), "1.5.0"));
  EXPECT_TRUE(In(WildcardRange("0.2"), "0.2.5"));
  EXPECT_FALSE(In(WildcardRange("0.2"), "0.3.0"));
  for (const char* text : {"1.*.3", "*.1", "", "1.2.3.*", "01.*", "1.*-beta", "a.*"}) {
    EXPECT_FALSE(WildcardRange(text).has_value()) << text;
  }
}

TEST(SemVerRanges, PreReleasesNeedAMatchingPreReleaseLowerBound) {
  EXPECT_FALSE(In(TildeRange("1.2.0"), "1.2.5-beta"));
  EXPECT_FALSE(In(CaretRange("1.2.0"), "1.3.0-rc.1"));
  EXPECT_TRUE(In(CaretRange("1.2.0-rc.1"), "1.2.0-rc.2"));
  EXPECT_FALSE(In(CaretRange("1.2.0-rc.2"), "1.2.0-rc.1"));
  EXPECT_FALSE(In(CaretRange("1.2.0-rc.1"), "1.2.1-rc.1"));
  EXPECT_TRUE(In(CaretRange("1.2.0-rc.1"), "1.5.0"));
  EXPECT_FALSE(In(WildcardRange("*"), "1.0.0-alpha"));
}

}  // namespace
}  // namespace hoglet::filters
