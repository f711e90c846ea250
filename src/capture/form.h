// `application/x-www-form-urlencoded` capture bodies (capture-and-flags §1.2 step 3): posthog-js
// sends `data=<url-encoded base64 of the JSON>` (optionally `&compression=...&ver=...`).
//
// Example:
//   if (IsFormContentType(content_type)) {
//     HOGLET_ASSIGN_OR_RETURN(CaptureForm form, ParseCaptureForm(body));
//     // form.data holds the base64 text with '+' repaired
//   }
//
// Pure; safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::capture {

struct CaptureForm {
  std::optional<std::string> data;  // the `data` field, '+' repaired when it looks like base64
  std::string compression;          // the `compression` field; empty when absent
  std::string lib_version;          // `ver`, else `lib_version`; empty when absent
};

// True for "application/x-www-form-urlencoded", case-insensitive, ignoring parameters such as
// "; charset=UTF-8" and surrounding spaces.
bool IsFormContentType(std::string_view content_type);

// True when the payload starts with one of the prefixes PostHog recognises as a form body:
// "data=", "ver=", "_=", "ip=", "compression=".
bool HasFormPrefix(std::string_view payload);

// Parses a form body. kInvalidArgument ("request_decoding_error") when it does not start with a
// recognised prefix (HasFormPrefix).
StatusOr<CaptureForm> ParseCaptureForm(std::string_view payload);

// Url-decoding turns the '+' of base64 into ' '. When `value` consists only of base64
// characters and spaces, the spaces are turned back into '+'; otherwise it is returned as is.
std::string RepairBase64Spaces(std::string value);

}  // namespace hoglet::capture
