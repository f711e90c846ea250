// Offset pagination for list endpoints, the way PostHog's LimitOffsetPagination does it:
// `limit` and `offset` query parameters in, and `next` / `previous` URLs out that repeat the
// request's other parameters with a moved offset.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "base/status.h"
#include "base/url.h"
#include "http/message.h"

namespace hoglet::api {

struct PageRequest {
  size_t limit = 100;
  size_t offset = 0;
};

inline constexpr size_t kMaxOffset = 1'000'000'000;

// Reads `limit` (1..max_limit, default default_limit) and `offset` (0..kMaxOffset, default 0).
// kInvalidArgument naming the parameter when either is not a whole number in range.
StatusOr<PageRequest> ParsePageRequest(const QueryParams& params, size_t default_limit,
                                       size_t max_limit);

// The absolute URL of the page at `offset` with `limit`: the request's path and every other
// query parameter, host from the Host header.
std::string PageUrl(const http::Request& request, const QueryParams& params, size_t limit,
                    size_t offset);

// The next page's URL when `has_more`, else nullopt; the previous page's URL when the page
// does not start at 0, else nullopt.
std::optional<std::string> NextPageUrl(const http::Request& request, const QueryParams& params,
                                       const PageRequest& page, bool has_more);
std::optional<std::string> PreviousPageUrl(const http::Request& request, const QueryParams& params,
                                           const PageRequest& page);

}  // namespace hoglet::api
