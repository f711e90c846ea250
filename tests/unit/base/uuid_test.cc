#include "base/uuid.h"

#include <gtest/gtest.h>

namespace hoglet {
namespace {

TEST(Uuid, ParsesAndFormatsCanonically) {
  auto u = Uuid::Parse("017F22E2-79B0-7CC3-98C4-DC0C0C07398F");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->ToString(), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
  EXPECT_EQ(Uuid::Parse("017f22e279b07cc398c4dc0c0c07398f"), u);
  EXPECT_EQ(Uuid::Parse("{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}"), u);
}

TEST(Uuid, RejectsMalformed) {
  EXPECT_FALSE(Uuid::Parse("").has_value());
  EXPECT_FALSE(Uuid::Parse("not-a-uuid").has_value());
  EXPECT_FALSE(Uuid::Parse("017f22e2-79b0-7cc3-98c4-dc0c0c07398g").has_value());
  EXPECT_FALSE(Uuid::Parse("017f22e2079b0-7cc3-98c4-dc0c0c07398f").has_value());
}

TEST(Uuid, V7CarriesMillisecondsAndVersion) {
  Uuid u = Uuid::V7(1'700'000'000'123'456);
  std::string s = u.ToString();
  EXPECT_EQ(s.substr(0, 8) + s.substr(9, 4), "018bcfe5687b");
  EXPECT_EQ(s[14], '7');
  EXPECT_NE(Uuid::V7(1), Uuid::V7(1));
}

TEST(Uuid, V5MatchesRfc4122Vector) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
  Uuid dns = *Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  EXPECT_EQ(Uuid::V5(dns, "python.org").ToString(), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(Uuid, OrdersAndComparesAsItsBytesDo) {
  // Pairs differing in one byte each, at every position, both ways round; and equal ones.
  for (int position = 0; position < 16; ++position) {
    Uuid low;
    Uuid high;
    for (int i = 0; i < 16; ++i) low.bytes[i] = high.bytes[i] = static_cast<uint8_t>(0x80 + i);
    low.bytes[position] = 0x01;
    high.bytes[position] = 0xfe;
    if (position < 15) low.bytes[position + 1] = 0xff;  // a later byte must not decide
    EXPECT_TRUE(low < high) << position;
    EXPECT_FALSE(high < low) << position;
    EXPECT_FALSE(low == high) << position;
    EXPECT_EQ(low < high, low.bytes < high.bytes) << position;
    Uuid same = low;
    EXPECT_TRUE(same == low);
    EXPECT_FALSE(same < low);
  }
  const Uuid a = *Uuid::Parse("00000000-0000-0000-0000-000000000001");
  const Uuid b = *Uuid::Parse("00000000-0000-0001-0000-000000000000");
  EXPECT_TRUE(a < b);
  EXPECT_EQ(a.HighWord(), 0u);
  EXPECT_EQ(a.LowWord(), 1u);
  EXPECT_EQ(b.HighWord(), 1u);
}

}  // namespace
}  // namespace hoglet
