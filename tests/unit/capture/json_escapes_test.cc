#include "capture/json_escapes.h"

#include <gtest/gtest.h>

namespace hoglet::capture {
namespace {

std::string Repair(std::string s) {
  RepairLoneSurrogateEscapes(&s);
  return s;
}

TEST(JsonEscapes, ReplacesLoneHighAndLowSurrogates) {
  EXPECT_EQ(Repair(R"(["\ud83c"])"), R"(["\ufffd"])");
  EXPECT_EQ(Repair(R"(["\ud83c\ud83c!"])"), R"(["\ufffd\ufffd!"])");
  EXPECT_EQ(Repair(R"(["x\uDC00y"])"), R"(["x\ufffdy"])");
  EXPECT_EQ(Repair(R"(["\ud83c)"), R"(["\ufffd)");  // at the very end
}

TEST(JsonEscapes, KeepsPairsOtherEscapesAndEscapedBackslashes) {
  for (std::string ok : {R"(["\ud83d\ude00"])", R"(["\u00e9\n\t\"\\"])", R"(["\\ud83c"])",
                         R"(["\\\\ud83c"])", R"({"a":1})"}) {
    std::string copy = ok;
    EXPECT_FALSE(RepairLoneSurrogateEscapes(&copy)) << ok;
    EXPECT_EQ(copy, ok);
  }
  // An escaped backslash followed by a real lone escape.
  EXPECT_EQ(Repair(R"(["\\\ud83c"])"), R"(["\\\ufffd"])");
}

TEST(JsonEscapes, ReportsWhetherItChangedAnything) {
  std::string s = R"(["\ud800"])";
  EXPECT_TRUE(RepairLoneSurrogateEscapes(&s));
  EXPECT_FALSE(RepairLoneSurrogateEscapes(&s));
}

}  // namespace
}  // namespace hoglet::capture
