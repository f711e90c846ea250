#include "api/json_body.h"

#include <simdjson.h>

#include <algorithm>
#include <utility>

namespace hoglet::api {
namespace {

namespace dom = simdjson::dom;

std::string_view TypeName(dom::element_type type) {
  switch (type) {
    case dom::element_type::ARRAY:
      return "a list";
    case dom::element_type::OBJECT:
      return "an object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
      return "an integer";
    case dom::element_type::DOUBLE:
      return "a number";
    case dom::element_type::STRING:
      return "a string";
    case dom::element_type::BOOL:
      return "a boolean";
    case dom::element_type::NULL_VALUE:
      return "null";
  }
  return "another type";
}

Status WrongType(std::string_view key, std::string_view expected, const dom::element& value) {
  return InvalidArgumentError("'" + std::string(key) + "' must be " + std::string(expected) +
                                  ", not " + std::string(TypeName(value.type())),
                              "invalid_input");
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace

struct JsonBody::State {
  dom::parser parser;  // owns the document `object` points into
  dom::object object;
  bool empty = false;  // an empty body: no fields

  std::optional<dom::element> Find(std::string_view key) const {
    if (empty) return std::nullopt;
    dom::element value;
    if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
    return value;
  }
};

JsonBody::JsonBody(std::unique_ptr<State> state) : state_(std::move(state)) {}
JsonBody::JsonBody(JsonBody&&) noexcept = default;
JsonBody& JsonBody::operator=(JsonBody&&) noexcept = default;
JsonBody::~JsonBody() = default;

StatusOr<JsonBody> JsonBody::Parse(std::string_view body) {
  auto state = std::make_unique<State>();
  if (IsBlank(body)) {
    state->empty = true;
    return JsonBody(std::move(state));
  }
  if (state->parser.allocate(std::max<size_t>(body.size(), 64), kMaxDepth) != simdjson::SUCCESS) {
    return InvalidArgumentError("the request body is too large to parse", "parse_error");
  }
  dom::element root;
  simdjson::error_code error = state->parser.parse(body.data(), body.size()).get(root);
  if (error == simdjson::DEPTH_ERROR) {
    return InvalidArgumentError(
        "the JSON request body is nested more than " + std::to_string(kMaxDepth) + " levels deep",
        "parse_error");
  }
  if (error != simdjson::SUCCESS) {
    return InvalidArgumentError(
        std::string("the request body is not valid JSON: ") + simdjson::error_message(error),
        "parse_error");
  }
  if (root.get_object().get(state->object) != simdjson::SUCCESS) {
    return InvalidArgumentError(
        "the request body must be a JSON object, not " + std::string(TypeName(root.type())),
        "parse_error");
  }
  return JsonBody(std::move(state));
}

bool JsonBody::Has(std::string_view key) const { return state_->Find(key).has_value(); }

std::vector<std::string> JsonBody::Keys() const {
  std::vector<std::string> keys;
  if (state_->empty) return keys;
  for (dom::key_value_pair field : state_->object) keys.emplace_back(field.key);
  return keys;
}

bool JsonBody::IsNull(std::string_view key) const {
  auto value = state_->Find(key);
  return value && value->is_null();
}

StatusOr<std::optional<std::string>> JsonBody::String(std::string_view key) const {
  auto value = state_->Find(key);
  if (!value) return std::optional<std::string>();
  std::string_view text;
  if (value->get_string().get(text) != simdjson::SUCCESS) {
    return WrongType(key, "a string", *value);
  }
  return std::optional<std::string>(std::string(text));
}

StatusOr<std::optional<std::string>> JsonBody::NonBlankString(std::string_view key,
                                                              Presence presence) const {
  if (presence == Presence::kRequired && !Has(key)) {
    return InvalidArgumentError("This field is required.", "required");
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> text, String(key));
  if (text && text->empty()) return InvalidArgumentError("This field may not be blank.", "blank");
  return text;
}

StatusOr<std::optional<bool>> JsonBody::Bool(std::string_view key) const {
  auto value = state_->Find(key);
  if (!value) return std::optional<bool>();
  bool flag = false;
  if (value->get_bool().get(flag) != simdjson::SUCCESS) return WrongType(key, "a boolean", *value);
  return std::optional<bool>(flag);
}

StatusOr<std::optional<int64_t>> JsonBody::Int(std::string_view key) const {
  auto value = state_->Find(key);
  if (!value) return std::optional<int64_t>();
  int64_t number = 0;
  if (value->get_int64().get(number) != simdjson::SUCCESS) {
    if (value->is_uint64()) {
      return InvalidArgumentError("'" + std::string(key) + "' is out of range", "invalid_input");
    }
    return WrongType(key, "an integer", *value);
  }
  return std::optional<int64_t>(number);
}

StatusOr<std::optional<std::vector<std::string>>> JsonBody::StringList(std::string_view key) const {
  auto value = state_->Find(key);
  if (!value) return std::optional<std::vector<std::string>>();
  dom::array array;
  if (value->get_array().get(array) != simdjson::SUCCESS) return WrongType(key, "a list", *value);
  std::vector<std::string> strings;
  size_t index = 0;
  for (dom::element element : array) {
    std::string_view text;
    if (element.get_string().get(text) != simdjson::SUCCESS) {
      return WrongType(std::string(key) + "[" + std::to_string(index) + "]", "a string", element);
    }
    strings.emplace_back(text);
    ++index;
  }
  return std::optional<std::vector<std::string>>(std::move(strings));
}

StatusOr<std::optional<std::string>> JsonBody::ArrayJson(std::string_view key) const {
  auto value = state_->Find(key);
  if (!value) return std::optional<std::string>();
  if (!value->is_array()) return WrongType(key, "a list", *value);
  return std::optional<std::string>(simdjson::minify(*value));
}

StatusOr<std::optional<std::string>> JsonBody::ObjectJson(std::string_view key) const {
  auto value = state_->Find(key);
  if (!value) return std::optional<std::string>();
  if (!value->is_object()) return WrongType(key, "an object", *value);
  return std::optional<std::string>(simdjson::minify(*value));
}

}  // namespace hoglet::api
