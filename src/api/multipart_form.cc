#include "api/multipart_form.h"

#include "base/ascii.h"

namespace hoglet::api {
namespace {

Status Invalid(std::string message) {
  return InvalidArgumentError("multipart body: " + std::move(message), "invalid_input");
}

// The value of parameter `name` in a header value such as `form-data; name="csv"`; unquoted
// when quoted (a backslash escapes the next character). nullopt when absent.
std::optional<std::string> HeaderParam(std::string_view value, std::string_view name) {
  size_t pos = value.find(';');
  while (pos != std::string_view::npos) {
    size_t start = value.find_first_not_of(" \t", pos + 1);
    if (start == std::string_view::npos) return std::nullopt;
    size_t eq = value.find('=', start);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = TrimBlanks(value.substr(start, eq - start));
    size_t cursor = eq + 1;
    std::string parsed;
    if (cursor < value.size() && value[cursor] == '"') {
      ++cursor;
      while (cursor < value.size() && value[cursor] != '"') {
        if (value[cursor] == '\\' && cursor + 1 < value.size()) ++cursor;
        parsed.push_back(value[cursor++]);
      }
      pos = value.find(';', cursor);
    } else {
      size_t end = value.find(';', cursor);
      parsed = std::string(TrimBlanks(value.substr(
          cursor, end == std::string_view::npos ? std::string_view::npos : end - cursor)));
      pos = end;
    }
    if (EqualsIgnoreAsciiCase(key, name)) return parsed;
  }
  return std::nullopt;
}

// Reads the part headers in `head` (CRLF-separated lines) into `*part`.
Status ReadPartHeaders(std::string_view head, FormPart* part) {
  bool has_disposition = false;
  while (!head.empty()) {
    size_t end = head.find("\r\n");
    std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view() : head.substr(end + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Invalid("a part header has no ':'");
    std::string_view field = TrimBlanks(line.substr(0, colon));
    std::string_view value = TrimBlanks(line.substr(colon + 1));
    if (EqualsIgnoreAsciiCase(field, "Content-Disposition")) {
      has_disposition = true;
      auto name = HeaderParam(value, "name");
      if (!name || name->empty()) return Invalid("a part has no field name");
      part->name = *name;
      part->filename = HeaderParam(value, "filename");
    } else if (EqualsIgnoreAsciiCase(field, "Content-Type")) {
      part->content_type = std::string(value);
    }
  }
  if (!has_disposition) return Invalid("a part has no Content-Disposition");
  return Status::Ok();
}

}  // namespace

bool IsMultipartForm(std::string_view content_type) {
  std::string_view media = TrimBlanks(content_type.substr(0, content_type.find(';')));
  return EqualsIgnoreAsciiCase(media, "multipart/form-data");
}

StatusOr<std::vector<FormPart>> ParseMultipartForm(std::string_view content_type,
                                                   std::string_view body, size_t max_parts) {
  if (!IsMultipartForm(content_type)) return Invalid("the Content-Type is not multipart/form-data");
  auto boundary = HeaderParam(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) {
    return Invalid("the Content-Type has no valid boundary");
  }
  const std::string delimiter = "--" + *boundary;
  // The preamble before the first delimiter is ignored (RFC 2046).
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos || (pos > 0 && body.substr(pos - 2, 2) != "\r\n")) {
    return Invalid("the body does not contain the boundary");
  }
  const std::string separator = "\r\n" + delimiter;
  std::vector<FormPart> parts;
  pos += delimiter.size();
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // the close delimiter
    if (body.substr(pos, 2) != "\r\n") return Invalid("a boundary is not followed by a new line");
    pos += 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    size_t next = body.find(separator, pos);
    if (next == std::string_view::npos) return Invalid("the body ends before its closing boundary");
    FormPart part;
    if (body.substr(pos, 2) == "\r\n") {
      head_end = pos - 2;  // a part with no headers
    } else if (head_end == std::string_view::npos || head_end > next) {
      return Invalid("a part's headers do not end with an empty line");
    }
    HOGLET_RETURN_IF_ERROR(ReadPartHeaders(body.substr(pos, head_end - pos), &part));
    part.data = body.substr(head_end + 4, next - head_end - 4);
    if (parts.size() == max_parts) {
      return Invalid("more than " + std::to_string(max_parts) + " parts");
    }
    parts.push_back(std::move(part));
    pos = next + separator.size();
  }
}

const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name) {
  for (const FormPart& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

}  // namespace hoglet::api
