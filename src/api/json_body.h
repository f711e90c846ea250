// The JSON object a REST request sends as its body, read field by field with types checked.
//
// A handler parses the body once, then asks for the fields it understands; fields nobody asks
// for are ignored (as Django REST framework does). Each typed read answers:
//   - std::nullopt            the field is absent
//   - a value                 the field is present with the expected type
//   - kInvalidArgument        the field is present with another type (null included), with reason
//                             "invalid_input" and a message naming the expected type; the caller
//                             reports it with the field's name as the error's `attr`
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
//   auto label = body.String("label");
//   if (!label.ok()) return respond(http::ErrorResponse(label.status(), "label"));
//
// Bounds: the body size is bounded by the router before a handler sees it; nesting depth is
// bounded by the parser (kMaxDepth). Not thread-safe: one instance per request.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::api {

class JsonBody {
 public:
  // The deepest nesting accepted in a body (objects and arrays).
  static constexpr size_t kMaxDepth = 64;

  // Parses `body`. An empty (or all-whitespace) body is an empty object. kInvalidArgument with
  // reason "parse_error" when the body is not JSON, is nested too deeply or is not an object.
  static StatusOr<JsonBody> Parse(std::string_view body);

  JsonBody(JsonBody&&) noexcept;
  JsonBody& operator=(JsonBody&&) noexcept;
  ~JsonBody();

  // True when the field is present, whatever its value (null included).
  bool Has(std::string_view key) const;
  // The fields present, in the body's order.
  std::vector<std::string> Keys() const;
  // True when the field is present and null.
  bool IsNull(std::string_view key) const;

  StatusOr<std::optional<std::string>> String(std::string_view key) const;
  // A string field Django REST framework's CharField would accept: kInvalidArgument "This field
  // is required." (reason "required") when absent and `required`, "This field may not be blank."
  // (reason "blank") when empty.
  enum class Presence { kOptional, kRequired };
  StatusOr<std::optional<std::string>> NonBlankString(std::string_view key,
                                                      Presence presence) const;
  StatusOr<std::optional<bool>> Bool(std::string_view key) const;
  // A JSON integer in int64 range (1.0 and "1" are not integers here).
  StatusOr<std::optional<int64_t>> Int(std::string_view key) const;
  // A JSON array whose elements are all strings (an element of another type is kInvalidArgument
  // naming its position).
  StatusOr<std::optional<std::vector<std::string>>> StringList(std::string_view key) const;
  // A JSON array, returned re-serialised in minified form.
  StatusOr<std::optional<std::string>> ArrayJson(std::string_view key) const;
  // A JSON object, returned re-serialised in minified form.
  StatusOr<std::optional<std::string>> ObjectJson(std::string_view key) const;

 private:
  struct State;
  explicit JsonBody(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace hoglet::api
