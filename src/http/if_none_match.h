// The If-None-Match precondition (RFC 9110 §13.1.2): whether a client's cached copy is the
// current representation, so a GET can be answered 304 Not Modified.
//
// The header is `*` or a comma-separated list of entity tags, each quoted and optionally marked
// weak (W/"…"); the comparison is the weak one: W/"x" matches "x". An absent or empty header
// matches nothing. Entity tags must not contain a comma (ours are hex digits and '-').
//
// Example: IfNoneMatchHits(R"("a", W/"b")", R"("b")") is true; ("\"a\"", "\"a-gzip\"") is false.
//
// Thread safety: a pure function.
#pragma once

#include <string_view>

namespace hoglet::http {

// Whether `if_none_match` (the header's value) names `etag` (quoted, as sent in ETag).
bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag);

}  // namespace hoglet::http
