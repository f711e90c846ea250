#include "base/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace hoglet {
namespace {

std::string ZlibCompress(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(out.data()), &size,
                     reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size())),
            Z_OK);
  out.resize(size);
  return out;
}

TEST(Gzip, RoundTrips) {
  std::string text = "[{\"event\":\"$pageview\",\"distinct_id\":\"u1\"}]";
  std::string compressed = GzipCompress(text);
  EXPECT_TRUE(HasGzipMagic(compressed));
  StatusOr<std::string> back = Inflate(compressed, 1 << 20);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, text);
}

TEST(Gzip, InflatesEmptyInputStream) {
  StatusOr<std::string> back = Inflate(GzipCompress(""), 16);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "");
}

TEST(Gzip, InflatesZlibStreams) {
  std::string text(5000, 'z');
  StatusOr<std::string> back = Inflate(ZlibCompress(text), 1 << 20);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, text);
}

TEST(Gzip, InflatesConcatenatedMembers) {
  StatusOr<std::string> back = Inflate(GzipCompress("hello ") + GzipCompress("world"), 1 << 20);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "hello world");
}

TEST(Gzip, OutputExactlyAtTheLimitIsAccepted) {
  std::string text(1000, 'a');
  StatusOr<std::string> back = Inflate(GzipCompress(text), 1000);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->size(), 1000u);
}

TEST(Gzip, StopsAGzipBombAtTheLimit) {
  // 64 MiB of zeros compress to about 64 KiB.
  std::string bomb = GzipCompress(std::string(64 << 20, '\0'), 9);
  ASSERT_LT(bomb.size(), 200u << 10);
  StatusOr<std::string> out = Inflate(bomb, 1 << 20);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kPayloadTooLarge);
  EXPECT_EQ(out.status().reason(), "payload_too_large");
}

TEST(Gzip, RejectsTruncatedStreams) {
  std::string compressed = GzipCompress(std::string(10000, 'x') + "tail");
  for (size_t cut :
       {size_t{0}, size_t{3}, size_t{10}, compressed.size() / 2, compressed.size() - 1}) {
    StatusOr<std::string> out = Inflate(compressed.substr(0, cut), 1 << 20);
    ASSERT_FALSE(out.ok()) << cut;
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument) << cut;
  }
}

TEST(Gzip, RejectsCorruptData) {
  std::string compressed = GzipCompress("some text that is long enough to corrupt in the middle");
  compressed[compressed.size() / 2] ^= 0x5A;
  compressed[compressed.size() / 2 + 1] ^= 0x33;
  EXPECT_FALSE(Inflate(compressed, 1 << 20).ok());
  EXPECT_FALSE(Inflate("definitely not gzip", 1 << 20).ok());
}

TEST(Gzip, RejectsGarbageAfterTheStream) {
  StatusOr<std::string> out = Inflate(GzipCompress("a") + "junk", 1 << 20);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
}

TEST(Gzip, DetectsMagic) {
  EXPECT_TRUE(HasGzipMagic(std::string("\x1f\x8b\x08", 3)));
  EXPECT_FALSE(HasGzipMagic(std::string("\x1f\x8b", 2)));
  EXPECT_FALSE(HasGzipMagic("{\"a\":1}"));
}

}  // namespace
}  // namespace hoglet
