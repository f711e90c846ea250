#include "flags/flag_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace hoglet::flags {
namespace {

// Flag A of capture-and-flags §3.8: digit i is 1 when distinct_id_i is in the 45% rollout.
constexpr std::string_view kSimpleFlagOutcomes =
    // 000-099
    "01101001010110100011010010110001111000000110110001"
    "10000101010110101011001001010010001101101111101100"
    // 100-199
    "11110010111000001001110010100100000000110010011001"
    "01011100010000110110101101011101001101011001111011"
    // 200-299
    "00101001101010000000101100101000101000100101100001"
    "00000000000001101011010100011110000011100110000010"
    // 300-399
    "11110111001010011101000110101011111001010111010110"
    "11111000001010011000101111000011001101111011100110"
    // 400-499
    "01001000000000011001001010010000001000000000111000"
    "10100010000000100000000101011100011101011000100001"
    // 500-599
    "01011010001001101000000110010011100010000101000101"
    "10101010010010101010011110100000100100110000111001"
    // 600-699
    "00111100010001001111001101010011011110010011010100"
    "10000111010010010000101011001011100001101000100001"
    // 700-799
    "11000111101101110100101111010101001100101000010100"
    "01110001011000001010011011110010010101100010110001"
    // 800-899
    "01011010010001110000010011111000000001110011011010"
    "10001001001111001011001001101001110000010100000110"
    // 900-999
    "11100001111011010101000011110010110000001010110011"
    "11001011001110100110001001000111101010101001001011";

// Flag B of capture-and-flags §3.8: digit i is 0 when distinct_id_i is outside the 55%
// rollout, else 1..5 for first..fifth variant.
constexpr std::string_view kMultivariateOutcomes =
    // 000-099
    "22100210001301210041030001111113032103001201120100"
    "11121022321012401110120300000015021203300003001103"
    // 100-199
    "30323002100100001110001101100000000011112111202121"
    "02201000310010000100000001131100100520201315300400"
    // 200-299
    "00300301222013110000011120002001010011113131123302"
    "10210100151000011202330130010310311012210002001103"
    // 300-399
    "01030321001312500100030210000300300130010044321350"
    "15011100025211200302503100400200141200013301110101"
    // 400-499
    "33001002211105100023141301103113045110001110112101"
    "21012011010101000331002311000210130100013300003441"
    // 500-599
    "20102130301130004210014013100301011324010000212010"
    "11011231110003011131121541204000400300013321210100"
    // 600-699
    "00011020010211132005300100012330010310000410003002"
    "10023110110023230010010200001030100232411101020000"
    // 700-799
    "01000001020000201030013030020121000002001301000001"
    "20001150001030020000042120202010110201050110001013"
    // 800-899
    "00110050030311330100000100002121051004110041023311"
    "00011103330011020020312511015000311241210002300100"
    // 900-999
    "00001103010331102021000203015110010001411150002000"
    "11001121111131020032301321300110001321110323003101";

TEST(FlagHash, MatchesSpecVectors) {
  // Exact double equality: the value must be bit-identical to posthog-js / posthog-python.
  EXPECT_EQ(FlagHash("simple-flag", "distinct_id_0", ""), 0.7836963764220432);
  EXPECT_EQ(FlagHash("simple-flag", "distinct_id_1", ""), 0.3397069926995401);
  EXPECT_EQ(FlagHash("multivariate-flag", "distinct_id_0", "variant"), 0.6186454537930379);
  EXPECT_EQ(FlagHash("beta-feature", "user-123", ""), 0.6535168611430965);
  EXPECT_EQ(FlagHash("beta-feature", "user-123", "variant"), 0.5365856665162976);
  EXPECT_EQ(FlagHash("checkout", "user-123", ""), 0.5078815128257569);
  EXPECT_EQ(FlagHash("checkout", "user-123", "variant"), 0.8334157448386892);
}

TEST(FlagHash, HashesUtf8Bytes) {
  EXPECT_EQ(FlagHash("flag-\xF0\x9F\x9A\x80", "\xE7\x94\xA8\xE6\x88\xB7", ""), 0.07014767698229356);
  EXPECT_EQ(FlagHash("flag-🚀", "用户", ""), 0.07014767698229356);
}

TEST(FlagHash, ScalesTheFirstFifteenHexDigits) {
  // simple-flag.distinct_id_0 has SHA-1 prefix c8a05362b9f414f.
  EXPECT_EQ(FlagHash("simple-flag", "distinct_id_0", ""),
            static_cast<double>(0xc8a05362b9f414fULL) / static_cast<double>(0xFFFFFFFFFFFFFFFULL));
}

TEST(FlagHash, SaltIsAppendedAfterTheId) {
  // key + "." + id + salt: moving text between id and salt does not change the hash.
  EXPECT_EQ(FlagHash("beta-feature", "user-123variant", ""),
            FlagHash("beta-feature", "user-123", "variant"));
  EXPECT_NE(FlagHash("beta-feature", "user-123", ""),
            FlagHash("beta-feature", "user-123", "variant"));
}

TEST(HoldoutHash, MatchesSpecVector) {
  EXPECT_EQ(HoldoutHash("user-123"), 0.09568613756179652);
  // 10% exclusion holds user-123 out, 9% does not.
  EXPECT_LE(HoldoutHash("user-123"), 0.10);
  EXPECT_GT(HoldoutHash("user-123"), 0.09);
  // SHA-1 of "holdout-user-123" (no key, no dot) starts with 187ee2ff822b4c9.
  EXPECT_EQ(HoldoutHash("user-123"),
            static_cast<double>(0x187ee2ff822b4c9ULL) / static_cast<double>(0xFFFFFFFFFFFFFFFULL));
}

TEST(FlagHash, StaysInUnitInterval) {
  for (int i = 0; i < 2000; ++i) {
    double h = FlagHash("range", "id_" + std::to_string(i), "");
    EXPECT_GE(h, 0.0);
    EXPECT_LT(h, 1.0);
  }
}

TEST(FlagHash, RolloutConsistencyWithPostHogSdks) {
  ASSERT_EQ(kSimpleFlagOutcomes.size(), 1000u);
  int enabled = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string id = "distinct_id_" + std::to_string(i);
    bool in_rollout = FlagHash("simple-flag", id, "") <= 45 / 100.0;
    enabled += in_rollout;
    EXPECT_EQ(in_rollout, kSimpleFlagOutcomes[i] == '1') << id;
  }
  EXPECT_EQ(enabled, 446);
}

TEST(FlagHash, VariantConsistencyWithPostHogSdks) {
  ASSERT_EQ(kMultivariateOutcomes.size(), 1000u);
  constexpr double kVariantPercentages[] = {50, 20, 20, 5, 5};
  int counts[6] = {};
  for (int i = 0; i < 1000; ++i) {
    std::string id = "distinct_id_" + std::to_string(i);
    int outcome = 0;
    if (FlagHash("multivariate-flag", id, "") <= 55 / 100.0) {
      double h = FlagHash("multivariate-flag", id, "variant");
      double cumulative = 0;
      for (int v = 0; v < 5; ++v) {
        cumulative += kVariantPercentages[v] / 100;
        if (h < cumulative) {
          outcome = v + 1;
          break;
        }
      }
    }
    ++counts[outcome];
    EXPECT_EQ(outcome, kMultivariateOutcomes[i] - '0') << id;
  }
  EXPECT_EQ(counts[0], 444);
  EXPECT_EQ(counts[1], 290);
  EXPECT_EQ(counts[2], 110);
  EXPECT_EQ(counts[3], 111);
  EXPECT_EQ(counts[4], 24);
  EXPECT_EQ(counts[5], 21);
}

}  // namespace
}  // namespace hoglet::flags
