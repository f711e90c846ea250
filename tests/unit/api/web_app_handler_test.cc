// The web app's files by content coding: gzipped for clients accepting gzip, as they are
// otherwise, with Vary and an ETag per form; checked against the embedded files themselves, the
// gzipped bodies inflated by zlib.
#include "api/web_app_handler.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <optional>
#include <string>

#include "api/web_assets.h"

namespace hoglet::api {
namespace {

using std::string;

http::Response Get(std::string_view path, http::Headers headers) {
  http::Request request;
  request.method = "GET";
  request.target = string(path);
  request.path = string(path);
  request.headers = std::move(headers);
  std::optional<http::Response> answer;
  HandleWebApp(std::move(request), [&answer](http::Response response) { answer = response; });
  EXPECT_TRUE(answer.has_value()) << path;
  return answer.value_or(http::Response{});
}

string HeaderOf(const http::Response& response, std::string_view name) {
  string values;
  for (const auto& [header, value] : response.headers) {
    if (header != name) continue;
    values += values.empty() ? value : ", " + value;
  }
  return values;
}

// The bytes a gzip stream (RFC 1952) holds; nullopt when it is not one, whole and alone.
std::optional<string> Gunzip(std::string_view gzip) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  stream.avail_in = static_cast<uInt>(gzip.size());
  string out;
  char buffer[16384];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - stream.avail_out);
  }
  bool whole = result == Z_STREAM_END && stream.avail_in == 0;
  inflateEnd(&stream);
  if (!whole) return std::nullopt;
  return out;
}

TEST(WebAppHandler, TheScriptsAndStylesAreEmbeddedGzipped) {
  if (!WebAppBuilt()) GTEST_SKIP() << "web/dist was not built into this binary";
  int scripts = 0;
  for (const WebAsset& asset : WebAssets()) {
    if (!asset.path.ends_with(".js") && !asset.path.ends_with(".css")) continue;
    scripts += asset.path.ends_with(".js");
    ASSERT_FALSE(asset.gzip_body.empty()) << asset.path;
    EXPECT_LT(asset.gzip_body.size(), asset.body.size() * 9 / 10) << asset.path;
    EXPECT_EQ(Gunzip(asset.gzip_body), string(asset.body)) << asset.path;
    // RFC 1952 header: magic, deflate, no time (the build is reproducible), maximum compression.
    EXPECT_EQ(asset.gzip_body.substr(0, 9), std::string_view("\x1f\x8b\x08\0\0\0\0\0\x02", 9))
        << asset.path;
  }
  EXPECT_GE(scripts, 1);
}

TEST(WebAppHandler, ClientsAcceptingGzipGetItGzipped) {
  int compressed = 0;
  for (const WebAsset& asset : WebAssets()) {
    if (asset.gzip_body.empty()) continue;
    ++compressed;
    for (const char* accept : {"gzip", "gzip, deflate, br, zstd", "br;q=1, gzip;q=0.5", "*"}) {
      http::Response response = Get(asset.path, {{"Accept-Encoding", accept}});
      ASSERT_EQ(response.status, 200) << asset.path << " " << accept;
      EXPECT_EQ(HeaderOf(response, "Content-Encoding"), "gzip") << asset.path << " " << accept;
      EXPECT_EQ(HeaderOf(response, "Vary"), "Accept-Encoding") << asset.path;
      EXPECT_EQ(HeaderOf(response, "ETag"), asset.gzip_etag) << asset.path;
      EXPECT_EQ(response.content_type, asset.content_type) << asset.path;
      EXPECT_EQ(Gunzip(response.body), string(asset.body)) << asset.path;
    }
    EXPECT_EQ(string(asset.gzip_etag),
              string(asset.etag.substr(0, asset.etag.size() - 1)) + "-gzip\"");
  }
  EXPECT_GE(compressed, 1);  // index.html at least, built or not
}

TEST(WebAppHandler, OtherClientsGetTheFilesAsTheyAre) {
  for (const WebAsset& asset : WebAssets()) {
    for (const char* accept : {"", "identity", "br", "gzip;q=0", "gzip;q=0.0, br", "*;q=0",
                               "deflate, *;q=0", "gzip;q=bad"}) {
      http::Headers headers;
      if (*accept != '\0') headers.emplace_back("Accept-Encoding", accept);
      http::Response response = Get(asset.path, headers);
      ASSERT_EQ(response.status, 200) << asset.path << " " << accept;
      EXPECT_EQ(HeaderOf(response, "Content-Encoding"), "") << asset.path << " " << accept;
      EXPECT_EQ(response.body, asset.body) << asset.path << " " << accept;
      EXPECT_EQ(HeaderOf(response, "ETag"), asset.etag) << asset.path;
      EXPECT_EQ(HeaderOf(response, "Vary"), asset.gzip_body.empty() ? "" : "Accept-Encoding")
          << asset.path;
    }
  }
}

TEST(WebAppHandler, NotModifiedOnlyForTheFormTheClientHolds) {
  for (const WebAsset& asset : WebAssets()) {
    if (asset.gzip_body.empty()) continue;
    const string etag(asset.etag);
    const string gzip_etag(asset.gzip_etag);
    http::Response same_gzip =
        Get(asset.path, {{"Accept-Encoding", "gzip"}, {"If-None-Match", gzip_etag}});
    EXPECT_EQ(same_gzip.status, 304) << asset.path;
    EXPECT_EQ(same_gzip.body, "");
    EXPECT_EQ(HeaderOf(same_gzip, "ETag"), gzip_etag);
    EXPECT_EQ(HeaderOf(same_gzip, "Vary"), "Accept-Encoding");
    EXPECT_EQ(Get(asset.path, {{"If-None-Match", etag}}).status, 304) << asset.path;
    EXPECT_EQ(
        Get(asset.path, {{"If-None-Match", "\"x\", " + gzip_etag}, {"Accept-Encoding", "gzip"}})
            .status,
        304)
        << asset.path;

    // A copy of the other form is not the representation this request would get.
    http::Response wants_identity = Get(asset.path, {{"If-None-Match", gzip_etag}});
    EXPECT_EQ(wants_identity.status, 200) << asset.path;
    EXPECT_EQ(wants_identity.body, asset.body) << asset.path;
    http::Response wants_gzip =
        Get(asset.path, {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    EXPECT_EQ(wants_gzip.status, 200) << asset.path;
    EXPECT_EQ(HeaderOf(wants_gzip, "Content-Encoding"), "gzip") << asset.path;
  }
}

TEST(WebAppHandler, PagesKeepTheirPolicyWhenGzipped) {
  http::Response page = Get("/insights/trends", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  const string policy = HeaderOf(page, "Content-Security-Policy");
  EXPECT_NE(policy.find("script-src 'self';"), string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe"), string::npos) << policy;
  http::Response plain = Get("/insights/trends", {});
  std::optional<string> page_body =
      HeaderOf(page, "Content-Encoding") == "gzip" ? Gunzip(page.body) : page.body;
  EXPECT_EQ(page_body, plain.body);
}

}  // namespace
}  // namespace hoglet::api
