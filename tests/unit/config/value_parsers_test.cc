#include "config/value_parsers.h"

#include <gtest/gtest.h>

namespace hoglet::config {
namespace {

TEST(ParseInteger, AcceptsDigitsInRange) {
  EXPECT_EQ(*ParseInteger("42", 1, 100), 42);
  EXPECT_EQ(*ParseInteger("1", 1, 100), 1);
  EXPECT_EQ(*ParseInteger("100", 1, 100), 100);
}

TEST(ParseInteger, RejectsOtherTextAndOutOfRange) {
  for (const char* text : {"", "abc", "-1", "+5", "1.5", "0x10", "1e3", "99999999999999999999"}) {
    EXPECT_EQ(ParseInteger(text, 1, 100).status().code(), StatusCode::kInvalidArgument) << text;
  }
  auto zero = ParseInteger("0", 1, 100);
  EXPECT_EQ(zero.status().message(), "'0' is out of range (expected between 1 and 100)");
}

TEST(ParseBytes, UnitsAndPlainNumbers) {
  EXPECT_EQ(*ParseBytes("2097152", 0, int64_t{1} << 40), 2097152);
  EXPECT_EQ(*ParseBytes("2MiB", 0, int64_t{1} << 40), 2 * 1024 * 1024);
  EXPECT_EQ(*ParseBytes("20 MB", 0, int64_t{1} << 40), 20'000'000);
  EXPECT_EQ(*ParseBytes("16KiB", 0, int64_t{1} << 40), 16384);
  EXPECT_EQ(*ParseBytes("1GiB", 0, int64_t{1} << 40), int64_t{1} << 30);
  EXPECT_EQ(*ParseBytes("512B", 0, int64_t{1} << 40), 512);
}

TEST(ParseBytes, RejectsUnknownUnitsAndOverflow) {
  for (const char* text : {"2 MiBs", "2mb", "MiB", "", "-1", "1.5MiB", "99999999999GiB"}) {
    EXPECT_EQ(ParseBytes(text, 0, int64_t{1} << 40).status().code(), StatusCode::kInvalidArgument)
        << text;
  }
  EXPECT_EQ(ParseBytes("2GiB", 0, int64_t{1} << 30).status().message(),
            "'2GiB' is out of range (expected 0 to 1GiB)");
}

TEST(FormatBytes, UsesLargestWholeUnit) {
  EXPECT_EQ(FormatBytes(2 * 1024 * 1024), "2MiB");
  EXPECT_EQ(FormatBytes(1536), "1536");
  EXPECT_EQ(FormatBytes(2048), "2KiB");
  EXPECT_EQ(FormatBytes(0), "0");
}

TEST(ParseBool, AcceptsCommonSpellings) {
  for (const char* yes : {"true", "TRUE", "1", "yes", "on"}) EXPECT_TRUE(*ParseBool(yes)) << yes;
  for (const char* no : {"false", "False", "0", "no", "off"}) EXPECT_FALSE(*ParseBool(no)) << no;
  EXPECT_EQ(ParseBool("maybe").status().message(),
            "'maybe' is not a boolean (expected true or false)");
}

TEST(ParseListenAddress, HostAndPort) {
  auto v4 = ParseListenAddress("127.0.0.1:8000");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8000);
  auto any = ParseListenAddress("0.0.0.0:0");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->port, 0);
  auto name = ParseListenAddress("localhost:65535");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->host, "localhost");
  auto v6 = ParseListenAddress("[::1]:9000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->ToString(), "[::1]:9000");
}

TEST(ParseListenAddress, RejectsMalformed) {
  for (const char* text : {"abc", "8000", ":8000", "host:", "host:port", "::1:8000", "[::1]8000",
                           "[]:1", "a b:1", "host:-1", "host:65536"}) {
    EXPECT_EQ(ParseListenAddress(text).status().code(), StatusCode::kInvalidArgument) << text;
  }
  EXPECT_EQ(ParseListenAddress("abc").status().message(),
            "'abc' is not HOST:PORT (for example 127.0.0.1:8000, 0.0.0.0:8000 or [::]:0)");
}

TEST(ParseLogLevel, KnownLevels) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("INFO"), LogLevel::kInfo);
  EXPECT_EQ(*ParseLogLevel("warn"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::kError);
  EXPECT_EQ(ParseLogLevel("verbose").status().code(), StatusCode::kInvalidArgument);
}

TEST(CheckTokenShape, EmptyOrWellFormed) {
  EXPECT_TRUE(CheckTokenShape("", "phc_", "project token").ok());
  EXPECT_TRUE(CheckTokenShape("phc_abc_123", "phc_", "project token").ok());
  EXPECT_FALSE(CheckTokenShape("phx_abc_123", "phc_", "project token").ok());
  EXPECT_FALSE(CheckTokenShape("phc_a", "phc_", "project token").ok());
  Status bad = CheckTokenShape("phx_has-secret", "phx_", "personal API key");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message().find("has-secret"), std::string::npos);
}

}  // namespace
}  // namespace hoglet::config
