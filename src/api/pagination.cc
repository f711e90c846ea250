#include "api/pagination.h"

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

}  // namespace

StatusOr<PageRequest> ParsePageRequest(const QueryParams& params, size_t default_limit,
                                       size_t max_limit) {
  PageRequest page;
  HOGLET_ASSIGN_OR_RETURN(page.limit, ParseCount(params, "limit", default_limit, 1, max_limit));
  HOGLET_ASSIGN_OR_RETURN(page.offset, ParseCount(params, "offset", 0, 0, kMaxOffset));
  return page;
}

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

std::optional<std::string> NextPageUrl(const http::Request& request, const QueryParams& params,
                                       const PageRequest& page, bool has_more) {
  if (!has_more) return std::nullopt;
  return PageUrl(request, params, page.limit, page.offset + page.limit);
}

std::optional<std::string> PreviousPageUrl(const http::Request& request, const QueryParams& params,
                                           const PageRequest& page) {
  if (page.offset == 0) return std::nullopt;
  return PageUrl(request, params, page.limit,
                 page.offset > page.limit ? page.offset - page.limit : 0);
}

}  // namespace hoglet::api
