// Content negotiation on Accept-Encoding (RFC 9110 §12.5.3): whether a client takes a response
// body in a given content coding.
//
// The header is a comma-separated list of codings, each with an optional weight ("gzip;q=0.5");
// a weight of 0 refuses the coding, `*` stands for every coding not listed by name, and
// "x-gzip" is the same coding as "gzip" (§8.4.1.3). Names and parameters are case-insensitive.
// An absent or empty header, or an entry that does not parse (a malformed weight), accepts
// nothing: the body then goes as it is (identity), which every client reads.
//
// Example: AcceptsContentCoding("br, gzip;q=0.8", "gzip") is true;
//          AcceptsContentCoding("gzip;q=0, *", "gzip") and ("*;q=0", "gzip") are false.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

namespace hoglet::http {

// Whether `accept_encoding` (the header's value) accepts `coding` ("gzip", lower case).
bool AcceptsContentCoding(std::string_view accept_encoding, std::string_view coding);

}  // namespace hoglet::http
