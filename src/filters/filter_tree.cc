#include "filters/filter_tree.h"

#include <simdjson.h>

#include <utility>

#include "filters/property_value_json.h"

namespace hoglet::filters {
namespace {

namespace dom = simdjson::dom;

Status Invalid(const std::string& path, std::string_view what) {
  return InvalidArgumentError(path + " " + std::string(what), "invalid_input");
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

// The group kind named by a "type", or nullopt when it names a filter ("person", "cohort", ...).
std::optional<FilterNode::Kind> GroupKind(std::string_view type) {
  if (EqualsIgnoringCase(type, "AND") || EqualsIgnoringCase(type, "PROPERTY")) {
    return FilterNode::Kind::kAnd;
  }
  if (EqualsIgnoringCase(type, "OR")) return FilterNode::Kind::kOr;
  return std::nullopt;
}

class TreeParser {
 public:
  explicit TreeParser(const FilterTreeOptions& options) : options_(options) {}

  StatusOr<FilterNode> Root(const dom::element& root) {
    dom::array list;
    if (root.get_array().get(list) == simdjson::SUCCESS) {
      return Children(FilterNode::Kind::kAnd, list, options_.root_name, 1);
    }
    return Node(root, options_.root_name, 1);
  }

 private:
  StatusOr<FilterNode> Children(FilterNode::Kind kind, const dom::array& values,
                                const std::string& path, int depth) {
    FilterNode node;
    node.kind = kind;
    size_t i = 0;
    for (dom::element child : values) {
      HOGLET_ASSIGN_OR_RETURN(FilterNode parsed,
                              Node(child, path + "[" + std::to_string(i++) + "]", depth + 1));
      node.children.push_back(std::move(parsed));
    }
    return node;
  }

  StatusOr<FilterNode> Node(const dom::element& element, const std::string& path, int depth) {
    dom::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      return Invalid(path, "must be an object");
    }
    if (object.size() == 0) {
      // {}: an empty AND, true for everything. Inside a list a client sends, a mistake.
      if (options_.filter.strict && depth > 1) {
        return Invalid(path, "is empty; expected a property filter or a group");
      }
      return FilterNode();
    }

    std::optional<FilterNode::Kind> kind;
    dom::element type;
    bool has_type = object.at_key("type").get(type) == simdjson::SUCCESS;
    if (has_type) {
      std::string_view name;
      if (type.get_string().get(name) == simdjson::SUCCESS) kind = GroupKind(name);
    }
    dom::element values;
    bool has_values = object.at_key("values").get(values) == simdjson::SUCCESS;
    if (has_values && !kind) {
      // A group without a "type" reads as AND, like PostHog's property groups.
      if (has_type && !type.is_null()) {
        return Invalid(path + ".type", "of a group must be \"AND\" or \"OR\"");
      }
      kind = FilterNode::Kind::kAnd;
    }
    if (kind) {
      if (depth > kMaxFilterTreeDepth) {
        return Invalid(
            path, "nests groups more than " + std::to_string(kMaxFilterTreeDepth) + " levels deep");
      }
      if (!has_values) return Invalid(path, "is a group without \"values\"");
      dom::array array;
      if (values.get_array().get(array) != simdjson::SUCCESS) {
        return Invalid(path + ".values", "must be a list");
      }
      return Children(*kind, array, path + ".values", depth);
    }
    return Leaf(element, path);
  }

  StatusOr<FilterNode> Leaf(const dom::element& element, const std::string& path) {
    if (options_.max_filters > 0 && ++filters_ > options_.max_filters) {
      return InvalidArgumentError(options_.root_name + ": at most " +
                                      std::to_string(options_.max_filters) +
                                      " filters are accepted",
                                  "invalid_input");
    }
    StatusOr<PropertyFilter> filter = PropertyFilterFromJson(element, options_.filter);
    if (!filter.ok()) {
      return InvalidArgumentError(path + ": " + filter.status().message(), "invalid_input");
    }
    if (options_.only_type && filter->type != *options_.only_type) {
      return InvalidArgumentError(
          path + ": filters of type '" + filter->type_name + "' are not supported here; only " +
              std::string(FilterTypeName(*options_.only_type)) + " property filters are",
          "invalid_input");
    }
    FilterNode node;
    node.kind = FilterNode::Kind::kLeaf;
    node.filter = std::move(filter).value();
    return node;
  }

  const FilterTreeOptions& options_;
  size_t filters_ = 0;
};

}  // namespace

StatusOr<FilterNode> ParseFilterTree(std::string_view json, const FilterTreeOptions& options) {
  // Two JSON levels per group (object, list), the filter object, and room for its value.
  constexpr size_t kMaxJsonDepth = 2 * kMaxFilterTreeDepth + 64;
  dom::parser parser;
  if (parser.allocate(json.size() + 1, kMaxJsonDepth) != simdjson::SUCCESS) {
    return InternalError("cannot allocate a JSON parser");
  }
  simdjson::padded_string padded(json);
  dom::element root;
  simdjson::error_code error = parser.parse(padded).get(root);
  if (error != simdjson::SUCCESS) {
    return InvalidArgumentError(
        options.root_name + " is not valid JSON (" + simdjson::error_message(error) +
            R"(): expected a list of filters, e.g. [{"key":"$browser","value":"Chrome"}])",
        "invalid_input");
  }
  return TreeParser(options).Root(root);
}

}  // namespace hoglet::filters
