// A multipart/form-data body (RFC 7578) split into its parts, as browsers send a form with a
// file: each part's field name, file name (when it is a file) and bytes.
//
// Only what form uploads use is read: the boundary parameter of the Content-Type, each part's
// Content-Disposition `name` and `filename`, and its Content-Type. Pure: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::api {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // set for a file field
  std::string content_type;             // the part's Content-Type; empty when absent
  std::string_view data;                // a view into the body passed to ParseMultipartForm
};

// Whether `content_type` (a Content-Type header value) is multipart/form-data.
bool IsMultipartForm(std::string_view content_type);

// The parts of `body`, in order. kInvalidArgument naming what is wrong: no boundary, a body that
// does not start with the boundary or never closes it, a part without a name, more than
// `max_parts` parts.
StatusOr<std::vector<FormPart>> ParseMultipartForm(std::string_view content_type,
                                                   std::string_view body, size_t max_parts = 64);

// The first part named `name`, or null.
const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace hoglet::api
