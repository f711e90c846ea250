#include "flags/cohort.h"

#include <simdjson.h>

#include <utility>

namespace hoglet::flags {
namespace {

namespace dom = simdjson::dom;

constexpr int kMaxCohortDepth = 16;

Status FieldError(const std::string& field, std::string_view what) {
  return InvalidArgumentError(field + " " + std::string(what), "invalid_input");
}

bool EqualsIgnoringCase(std::string_view text, std::string_view upper) {
  if (text.size() != upper.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

// The group kind named by a "type", or nullopt when it names a leaf ("person", "cohort", ...).
std::optional<CohortNode::Kind> GroupKind(std::string_view type) {
  if (EqualsIgnoringCase(type, "AND") || EqualsIgnoringCase(type, "PROPERTY")) {
    return CohortNode::Kind::kAnd;
  }
  if (EqualsIgnoringCase(type, "OR")) return CohortNode::Kind::kOr;
  return std::nullopt;
}

StatusOr<CohortNode> ParseNode(const dom::element& element, const std::string& path, int depth) {
  dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return FieldError(path, "must be an object");
  }
  CohortNode node;
  if (object.size() == 0) return node;  // {}: an empty AND, true for everyone

  std::optional<CohortNode::Kind> kind;
  dom::element type;
  if (object.at_key("type").get(type) == simdjson::SUCCESS) {
    std::string_view name;
    if (type.get_string().get(name) == simdjson::SUCCESS) kind = GroupKind(name);
  }
  dom::element values;
  bool has_values = object.at_key("values").get(values) == simdjson::SUCCESS;
  if (has_values && !kind) {
    // A group without a "type" reads as AND, like PostHog's property groups.
    bool has_type = object.at_key("type").error() == simdjson::SUCCESS;
    if (has_type && !type.is_null()) {
      return FieldError(path + ".type", "of a group must be \"AND\" or \"OR\"");
    }
    kind = CohortNode::Kind::kAnd;
  }
  if (kind) {
    if (depth > kMaxCohortDepth) {
      return FieldError(
          path, "nests groups more than " + std::to_string(kMaxCohortDepth) + " levels deep");
    }
    if (!has_values) return FieldError(path, "is a group without \"values\"");
    dom::array array;
    if (values.get_array().get(array) != simdjson::SUCCESS) {
      return FieldError(path + ".values", "must be a list");
    }
    node.kind = *kind;
    size_t i = 0;
    for (dom::element child : array) {
      HOGLET_ASSIGN_OR_RETURN(
          CohortNode parsed,
          ParseNode(child, path + ".values[" + std::to_string(i++) + "]", depth + 1));
      node.children.push_back(std::move(parsed));
    }
    return node;
  }
  StatusOr<filters::PropertyFilter> filter =
      filters::ParsePropertyFilter(simdjson::minify(element));
  if (!filter.ok()) {
    return InvalidArgumentError(path + ": " + filter.status().message(), "invalid_input");
  }
  node.kind = CohortNode::Kind::kLeaf;
  node.filter = std::move(filter).value();
  return node;
}

}  // namespace

StatusOr<CohortNode> ParseCohortFilters(std::string_view json) {
  dom::parser parser;
  dom::element root;
  simdjson::padded_string padded(json);
  simdjson::error_code error = parser.parse(padded).get(root);
  if (error != simdjson::SUCCESS) {
    return InvalidArgumentError(
        std::string("cohort filters are not valid JSON: ") + simdjson::error_message(error),
        "invalid_input");
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError("cohort filters must be a JSON object", "invalid_input");
  }
  dom::element properties;
  if (object.at_key("properties").get(properties) != simdjson::SUCCESS || properties.is_null()) {
    return CohortNode();
  }
  return ParseNode(properties, "properties", 1);
}

}  // namespace hoglet::flags
