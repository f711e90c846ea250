#include "http/if_none_match.h"

#include "base/ascii.h"

namespace hoglet::http {
namespace {

std::string_view WithoutWeakMark(std::string_view tag) {
  return tag.starts_with("W/") ? tag.substr(2) : tag;
}

}  // namespace

bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  if (etag.empty()) return false;
  if (TrimBlanks(if_none_match) == "*") return true;
  etag = WithoutWeakMark(etag);
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view tag = TrimBlanks(if_none_match.substr(0, comma));
    if_none_match = comma == std::string_view::npos ? "" : if_none_match.substr(comma + 1);
    if (WithoutWeakMark(tag) == etag) return true;
  }
  return false;
}

}  // namespace hoglet::http
