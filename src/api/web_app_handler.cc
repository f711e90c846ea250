#include "api/web_app_handler.h"

#include <array>
#include <string>

#include "api/web_assets.h"
#include "http/accept_encoding.h"
#include "http/if_none_match.h"
#include "http/router.h"

namespace hoglet::api {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// First path segments the app never answers: the API's and the SDKs' (see api/routes.cc), so a
// wrong API path stays a JSON 404 and never becomes an HTML page.
constexpr std::array<std::string_view, 13> kReservedSegments = {
    "api", "e",     "i",      "capture", "batch",   "track",     "engage",
    "s",   "flags", "decide", "array",   "_health", "_preflight"};

bool Reserved(std::string_view path) {
  std::string_view rest = path.substr(path.starts_with('/') ? 1 : 0);
  std::string_view first = rest.substr(0, rest.find('/'));
  if (first.starts_with('_')) return true;
  for (std::string_view segment : kReservedSegments) {
    if (first == segment) return true;
  }
  return false;
}

const WebAsset* Find(std::string_view path) {
  for (const WebAsset& asset : WebAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace

void HandleWebApp(http::Request&& request, http::Responder respond) {
  if (Reserved(request.path)) return respond(http::NoEndpointResponse(request.path));
  const WebAsset* asset = request.path == "/" ? nullptr : Find(request.path);
  // A missing hashed file is a stale page asking for an old build: a 404, not the app.
  if (asset == nullptr && request.path.starts_with("/static/")) {
    return respond(http::NoEndpointResponse(request.path));
  }
  if (asset == nullptr) asset = Find("/index.html");
  if (asset == nullptr) return respond(http::NoEndpointResponse(request.path));

  // A file embedded gzipped too goes gzipped to the clients that accept it; its answer then
  // depends on Accept-Encoding, and each form has its own ETag.
  bool compressible = !asset->gzip_body.empty();
  bool gzip = compressible && http::AcceptsContentCoding(request.Header("Accept-Encoding"), "gzip");
  std::string_view etag = gzip ? asset->gzip_etag : asset->etag;

  http::Response response;
  response.content_type = std::string(asset->content_type);
  response.headers.emplace_back("ETag", std::string(etag));
  response.headers.emplace_back("Cache-Control", asset->path.starts_with("/static/")
                                                     ? "public, max-age=31536000, immutable"
                                                     : "no-cache");
  if (compressible) response.headers.emplace_back("Vary", "Accept-Encoding");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (asset->content_type.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
    response.headers.emplace_back("Referrer-Policy", "same-origin");
  }
  if (http::IfNoneMatchHits(request.Header("If-None-Match"), etag)) {
    response.status = 304;
    return respond(std::move(response));
  }
  if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  response.body = std::string(gzip ? asset->gzip_body : asset->body);
  respond(std::move(response));
}

}  // namespace hoglet::api
