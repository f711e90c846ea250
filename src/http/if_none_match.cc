#include "http/if_none_match.h"

namespace hoglet::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view WithoutWeakMark(std::string_view tag) {
  return tag.starts_with("W/") ? tag.substr(2) : tag;
}

}  // namespace

bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  if (etag.empty()) return false;
  if (Trim(if_none_match) == "*") return true;
  etag = WithoutWeakMark(etag);
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view tag = Trim(if_none_match.substr(0, comma));
    if_none_match = comma == std::string_view::npos ? "" : if_none_match.substr(comma + 1);
    if (WithoutWeakMark(tag) == etag) return true;
  }
  return false;
}

}  // namespace hoglet::http
