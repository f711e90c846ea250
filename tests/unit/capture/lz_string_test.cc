#include "capture/lz_string.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "capture_test_util.h"

namespace hoglet::capture {
namespace {

using testing::ReadTestData;

TEST(LzString, DecompressesEveryVectorMadeByTheNpmPackage) {
  std::string json = ReadTestData("lz_string_vectors.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  simdjson::dom::array vectors;
  ASSERT_EQ(root["vectors"].get(vectors), simdjson::SUCCESS);
  ASSERT_GE(vectors.size(), 7u);
  for (simdjson::dom::element v : vectors) {
    std::string_view name, input, compressed;
    ASSERT_EQ(v["name"].get(name), simdjson::SUCCESS);
    ASSERT_EQ(v["input"].get(input), simdjson::SUCCESS);
    ASSERT_EQ(v["compressed"].get(compressed), simdjson::SUCCESS);
    StatusOr<std::string> out = LzStringDecompressFromBase64(compressed, 1 << 20);
    ASSERT_TRUE(out.ok()) << name << ": " << out.status().ToString();
    EXPECT_EQ(*out, input) << name;
  }
}

TEST(LzString, KnownShortVector) {
  StatusOr<std::string> out = LzStringDecompressFromBase64("IZA=", 16);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "a");
}

TEST(LzString, RejectsNonBase64Characters) {
  StatusOr<std::string> out = LzStringDecompressFromBase64("IZA*", 16);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().reason(), "request_decoding_error");
}

TEST(LzString, RejectsEmptyAndTruncatedInput) {
  EXPECT_FALSE(LzStringDecompressFromBase64("", 16).ok());
  std::string json = ReadTestData("lz_string_vectors.json");
  // The ASCII sentence's compressed form, cut short, ends before its end marker.
  std::string full =
      "BIUwNmD2A0AEDukBOYAmBCWAVAFiWAjgK4CWAxgNawBGSk8AdrAGaQAesAVkQLYAOAZ1iQAbiCSwALnlhgAhgC8AnrFS"
      "QA5gDogA";
  ASSERT_NE(json.find(full), std::string::npos);
  ASSERT_TRUE(LzStringDecompressFromBase64(full, 1 << 10).ok());
  // The last character only holds padding bits after the end marker, so stop before it.
  for (size_t cut = 1; cut + 1 < full.size(); cut += 7) {
    EXPECT_FALSE(LzStringDecompressFromBase64(full.substr(0, cut), 1 << 10).ok()) << cut;
  }
}

TEST(LzString, EnforcesTheOutputLimit) {
  std::string json = ReadTestData("lz_string_vectors.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  simdjson::dom::array vectors;
  ASSERT_EQ(root["vectors"].get(vectors), simdjson::SUCCESS);
  for (simdjson::dom::element v : vectors) {
    std::string_view name, compressed;
    ASSERT_EQ(v["name"].get(name), simdjson::SUCCESS);
    if (name != "repetitive_10k") continue;
    ASSERT_EQ(v["compressed"].get(compressed), simdjson::SUCCESS);
    StatusOr<std::string> out = LzStringDecompressFromBase64(compressed, 9999);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), StatusCode::kPayloadTooLarge);
    EXPECT_TRUE(LzStringDecompressFromBase64(compressed, 10000).ok());
    return;
  }
  FAIL() << "vector repetitive_10k not found";
}

TEST(LzString, NeverCrashesOnArbitraryBase64) {
  std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  uint32_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string input;
    size_t len = 1 + round % 64;
    for (size_t i = 0; i < len; ++i) {
      state = state * 1103515245 + 12345;
      input.push_back(alphabet[(state >> 16) % alphabet.size()]);
    }
    StatusOr<std::string> out = LzStringDecompressFromBase64(input, 4096);
    if (out.ok()) {
      EXPECT_LE(out->size(), 4096u);
    }
  }
}

TEST(LzString, ConvertsSurrogatePairsAndLoneSurrogates) {
  std::string out;
  const char16_t pair[] = {0xD83D, 0xDE00};  // U+1F600
  AppendUtf16AsUtf8(pair, 2, &out);
  EXPECT_EQ(out, "\xF0\x9F\x98\x80");
  out.clear();
  const char16_t lone[] = {u'a', 0xD83C, u'b', 0xDC00};
  AppendUtf16AsUtf8(lone, 4, &out);
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

}  // namespace
}  // namespace hoglet::capture
