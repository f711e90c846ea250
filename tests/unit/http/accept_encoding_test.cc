// Accept-Encoding negotiation: which headers accept gzip, from RFC 9110 §12.5.3's rules.
#include "http/accept_encoding.h"

#include <gtest/gtest.h>

namespace hoglet::http {
namespace {

TEST(AcceptEncoding, AcceptsGzipListedWithAPositiveWeight) {
  for (const char* header : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "GZIP",
                             "x-gzip", "gzip;q=0.001", "gzip ; q=1", "gzip;Q=0.5", "deflate,gzip",
                             "gzip;level=9;q=0.5", " , gzip", "gzip;q=1.000"}) {
    EXPECT_TRUE(AcceptsContentCoding(header, "gzip")) << header;
  }
}

TEST(AcceptEncoding, AWeightOfZeroRefuses) {
  for (const char* header : {"gzip;q=0", "gzip;q=0.0", "gzip;q=0.000", "gzip; q=0, br",
                             "x-gzip;q=0", "*, gzip;q=0", "gzip, gzip;q=0"}) {
    EXPECT_FALSE(AcceptsContentCoding(header, "gzip")) << header;
  }
}

TEST(AcceptEncoding, TheWildcardCoversUnlistedCodings) {
  EXPECT_TRUE(AcceptsContentCoding("*", "gzip"));
  EXPECT_TRUE(AcceptsContentCoding("br, *;q=0.5", "gzip"));
  EXPECT_FALSE(AcceptsContentCoding("*;q=0", "gzip"));
  EXPECT_FALSE(AcceptsContentCoding("br, *;q=0", "gzip"));
  // A coding named with a weight overrides the wildcard, either way.
  EXPECT_TRUE(AcceptsContentCoding("*;q=0, gzip", "gzip"));
}

TEST(AcceptEncoding, NoHeaderOrOtherCodingsMeanIdentity) {
  for (const char* header :
       {"", " ", "identity", "br", "deflate, br", "gzipped", "zip", "gzip-like", ","}) {
    EXPECT_FALSE(AcceptsContentCoding(header, "gzip")) << '"' << header << '"';
  }
}

TEST(AcceptEncoding, MalformedWeightsAcceptNothing) {
  for (const char* header : {"gzip;q=", "gzip;q=2", "gzip;q=1.5", "gzip;q=0.5000", "gzip;q=x",
                             "gzip;q=.5", "gzip;q", "gzip;q=-1", "gzip;q=0.5x"}) {
    EXPECT_FALSE(AcceptsContentCoding(header, "gzip")) << header;
  }
  // Only the malformed entry is dropped.
  EXPECT_TRUE(AcceptsContentCoding("br;q=x, gzip", "gzip"));
}

TEST(AcceptEncoding, NamesOtherCodingsToo) {
  EXPECT_TRUE(AcceptsContentCoding("gzip, br", "br"));
  EXPECT_FALSE(AcceptsContentCoding("gzip, br;q=0", "br"));
  // x-gzip is an alias of gzip alone.
  EXPECT_FALSE(AcceptsContentCoding("x-gzip", "br"));
}

}  // namespace
}  // namespace hoglet::http
