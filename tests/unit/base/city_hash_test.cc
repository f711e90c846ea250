#include "base/city_hash.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet {
namespace {

// Values ClickHouse's cityHash64 gives (CityHash v1.0.2), one per length class of the algorithm.
TEST(CityHash64, EmptyString) { EXPECT_EQ(CityHash64(""), 11160318154034397263ULL); }

TEST(CityHash64, UpToSixteenBytes) {
  EXPECT_EQ(CityHash64("Moscow"), 12507901496292878638ULL);
  EXPECT_EQ(CityHash64("hello world"), 12386028635079221413ULL);
}

TEST(CityHash64, ThirtyThreeToSixtyFourBytes) {
  EXPECT_EQ(CityHash64("The quick brown fox jumps over the lazy dog"), 16697807905646383735ULL);
  EXPECT_EQ(CityHash64("How can you write a big system without C++?  -Paul Glick"),
            6237945311650045625ULL);
}

TEST(CityHash64, LongInputsAreDeterministicAndReadEveryByte) {
  std::string text(200, 'a');
  const uint64_t first = CityHash64(text);
  EXPECT_EQ(CityHash64(text), first);
  text[100] = 'b';
  EXPECT_NE(CityHash64(text), first);
}

}  // namespace
}  // namespace hoglet
