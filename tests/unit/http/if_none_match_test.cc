// If-None-Match: the entity tags a client holds against the current one (RFC 9110 §13.1.2).
#include "http/if_none_match.h"

#include <gtest/gtest.h>

namespace hoglet::http {
namespace {

TEST(IfNoneMatch, MatchesTheTagOrAListHoldingIt) {
  EXPECT_TRUE(IfNoneMatchHits(R"("abc")", R"("abc")"));
  EXPECT_TRUE(IfNoneMatchHits(R"("x", "abc")", R"("abc")"));
  EXPECT_TRUE(IfNoneMatchHits(R"("x",  "abc" ,"y")", R"("abc")"));
  EXPECT_TRUE(IfNoneMatchHits("*", R"("abc")"));
  EXPECT_TRUE(IfNoneMatchHits(" * ", R"("abc")"));
}

TEST(IfNoneMatch, ComparesWeakly) {
  EXPECT_TRUE(IfNoneMatchHits(R"(W/"abc")", R"("abc")"));
  EXPECT_TRUE(IfNoneMatchHits(R"("abc")", R"(W/"abc")"));
}

TEST(IfNoneMatch, OtherTagsDoNotMatch) {
  EXPECT_FALSE(IfNoneMatchHits("", R"("abc")"));
  EXPECT_FALSE(IfNoneMatchHits(R"("abc")", R"("abc-gzip")"));
  EXPECT_FALSE(IfNoneMatchHits(R"("abc-gzip")", R"("abc")"));
  EXPECT_FALSE(IfNoneMatchHits("abc", R"("abc")"));  // unquoted
  EXPECT_FALSE(IfNoneMatchHits(R"("ab")", R"("abc")"));
  EXPECT_FALSE(IfNoneMatchHits(R"("x", "y")", R"("abc")"));
  EXPECT_FALSE(IfNoneMatchHits("*", ""));  // nothing to match
}

}  // namespace
}  // namespace hoglet::http
