// List endpoints the way PostHog's LimitOffsetPagination answers them: `limit` and `offset` query
// parameters in; a body {"count", "next", "previous", "results"} out, whose `next` / `previous`
// URLs repeat the request's other parameters with a moved offset; and the `search` parameter's
// matching for lists filtered in memory.
//
// Example (a list held in memory):
//   HOGLET_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(params, 100, 10'000));
//   std::erase_if(actions, [&](const auto& a) { return !MatchesSearch(a.name, search); });
//   return PageOfListResponse(request, params, page, actions, WriteActionJson);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json_writer.h"
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

// The absolute URLs of the pages around `page` (host from the Host header, the request's path and
// every other query parameter): `next` when `has_more`, `previous` unless the page starts at 0.
struct PageLinks {
  std::optional<std::string> next;
  std::optional<std::string> previous;
};
PageLinks LinksFor(const http::Request& request, const QueryParams& params, const PageRequest& page,
                   bool has_more);

// PostHog's `search` on lists filtered in memory: `text` contains `search`, ASCII letters
// compared without case. An empty search matches everything.
bool MatchesSearch(std::string_view text, std::string_view search);

// Opens a list body in `w`: {["count",] "next", "previous", "results": [ — the items follow.
// Without `count` (lists that do not count their items) the member is left out.
void BeginListBody(std::optional<size_t> count, const PageLinks& links, JsonWriter* w);

// A whole list body, `write_results(JsonWriter*)` writing the items. PageLinks{} for a list that
// is not paged (both links null).
template <typename WriteResults>
http::Response ListResponse(std::optional<size_t> count, const PageLinks& links,
                            WriteResults&& write_results) {
  JsonWriter w;
  BeginListBody(count, links, &w);
  std::forward<WriteResults>(write_results)(&w);
  w.EndArray();
  w.EndObject();
  return http::Response::Json(200, std::move(w).Take());
}

// One page of a list held in memory, already filtered and ordered: its count, the links, and the
// items [offset, offset + limit) written by `write_item(item, JsonWriter*)`.
template <typename T, typename WriteItem>
http::Response PageOfListResponse(const http::Request& request, const QueryParams& params,
                                  const PageRequest& page, const std::vector<T>& items,
                                  WriteItem&& write_item) {
  const bool has_more = page.offset + page.limit < items.size();
  return ListResponse(items.size(), LinksFor(request, params, page, has_more), [&](JsonWriter* w) {
    for (size_t i = page.offset; i < items.size() && i < page.offset + page.limit; ++i) {
      write_item(items[i], w);
    }
  });
}

}  // namespace hoglet::api
