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

}  // namespace
}  // namespace hoglet
