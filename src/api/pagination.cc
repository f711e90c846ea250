#include "api/pagination.h"

#include <algorithm>
#include <charconv>

namespace hoglet::api {
namespace {

StatusOr<size_t> ParseCount(const QueryParams& params, std::string_view name, size_t fallback,
                            size_t min, size_t max) {
  auto text = QueryParam(params, name);
  if (!text || text->empty()) return fallback;
  size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return InvalidArgumentError(std::string(name) + ": '" + *text +
                                    "' must be a whole number from " + std::to_string(min) +
                                    " to " + std::to_string(max),
                                "invalid_input");
  }
  return value;
}

// The URL of the page at `offset` with `limit`.
std::string PageUrl(const http::Request& request, const QueryParams& params, size_t limit,
                    size_t offset) {
  std::string host(request.Header("Host"));
  std::string url = "http://" + (host.empty() ? std::string("localhost") : host) + request.path;
  if (url.back() != '/') url.push_back('/');
  char separator = '?';
  for (const auto& [key, value] : params) {
    if (key == "limit" || key == "offset") continue;
    url += separator + PercentEncode(key) + "=" + PercentEncode(value);
    separator = '&';
  }
  url += separator + std::string("limit=") + std::to_string(limit) +
         "&offset=" + std::to_string(offset);
  return url;
}

void WriteUrl(const std::optional<std::string>& url, JsonWriter* w) {
  if (url) {
    w->String(*url);
  } else {
    w->Null();
  }
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

StatusOr<PageRequest> ParsePageRequest(const QueryParams& params, size_t default_limit,
                                       size_t max_limit) {
  PageRequest page;
  HOGLET_ASSIGN_OR_RETURN(page.limit, ParseCount(params, "limit", default_limit, 1, max_limit));
  HOGLET_ASSIGN_OR_RETURN(page.offset, ParseCount(params, "offset", 0, 0, kMaxOffset));
  return page;
}

PageLinks LinksFor(const http::Request& request, const QueryParams& params, const PageRequest& page,
                   bool has_more) {
  PageLinks links;
  if (has_more) links.next = PageUrl(request, params, page.limit, page.offset + page.limit);
  if (page.offset > 0) {
    links.previous = PageUrl(request, params, page.limit,
                             page.offset > page.limit ? page.offset - page.limit : 0);
  }
  return links;
}

bool MatchesSearch(std::string_view text, std::string_view search) {
  if (search.empty()) return true;
  return std::search(text.begin(), text.end(), search.begin(), search.end(),
                     [](char a, char b) { return AsciiLower(a) == AsciiLower(b); }) != text.end();
}

void BeginListBody(std::optional<size_t> count, const PageLinks& links, JsonWriter* w) {
  w->BeginObject();
  if (count) {
    w->Key("count");
    w->Int(static_cast<int64_t>(*count));
  }
  w->Key("next");
  WriteUrl(links.next, w);
  w->Key("previous");
  WriteUrl(links.previous, w);
  w->Key("results");
  w->BeginArray();
}

}  // namespace hoglet::api
