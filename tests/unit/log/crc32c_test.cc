#include "log/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace hoglet::log {
namespace {

TEST(Crc32c, MatchesPublishedCheckValues) {
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);
}

TEST(Crc32c, ExtendEqualsWholeAndPortableEqualsDefault) {
  std::mt19937 random(7);
  for (size_t size : {1u, 7u, 8u, 9u, 63u, 1000u, 4097u}) {
    std::string data(size, '\0');
    for (char& c : data) c = static_cast<char>(random());
    const uint32_t whole = Crc32c(data);
    for (size_t split : {size_t{0}, size / 3, size}) {
      EXPECT_EQ(Crc32cExtend(Crc32c(data.substr(0, split)), data.substr(split)), whole);
    }
    EXPECT_EQ(crc32c_internal::ExtendPortable(0, data), whole) << size;
  }
}

}  // namespace
}  // namespace hoglet::log
