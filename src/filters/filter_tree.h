// A tree of property filters: PostHog's `properties` as the events and persons lists take it and
// as a cohort stores it (analytics §3.1, capture-and-flags §3.6):
//
//   [{"key": "$browser", "value": "Chrome"}, {"key": "$os", "value": "Mac OS X"}]   (an AND)
//   {"type": "OR", "values": [{"type": "AND", "values": [<filter>, ...]}, <filter>, ...]}
//
// A group is an object with "values" whose "type" is "AND", "OR" or "PROPERTY" (any case;
// PROPERTY and a missing type read as AND); `{}` is an empty AND; any other object is one
// filter (property_filter.h); inside a list read strictly (FilterParseOptions::strict), `{}` is
// an error. An AND of no children holds, an OR of none does not.
//
// Parsed trees are immutable values, safe to share between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/property_filter.h"

namespace hoglet::filters {

struct FilterNode {
  enum class Kind { kAnd, kOr, kLeaf };
  Kind kind = Kind::kAnd;
  std::vector<FilterNode> children;  // kAnd / kOr
  PropertyFilter filter;             // kLeaf

  // An AND without children: holds for everything (no filter at all).
  bool empty() const { return kind == Kind::kAnd && children.empty(); }
};

// Groups nest at most this deep (the root is level 1).
inline constexpr int kMaxFilterTreeDepth = 16;

struct FilterTreeOptions {
  FilterParseOptions filter;  // how each filter is read
  // When set, every filter must be of this type (a filter without "type" takes
  // filter.default_type): the events list takes event filters, the persons list person filters.
  std::optional<FilterType> only_type;
  size_t max_filters = 0;  // 0: no limit
  // How messages name the root ("properties"; children are "properties[0]",
  // "properties.values[1]", …).
  std::string root_name = "properties";
};

// Parses a list of filters (an AND) or a group or filter object. kInvalidArgument (reason
// "invalid_input") naming the place (e.g. "properties.values[0]: the filter on 'big' has a regex
// that RE2 cannot use: missing ): (") for malformed JSON, a malformed group, a filter
// ParsePropertyFilter refuses, groups nested deeper than kMaxFilterTreeDepth, and as `options`
// asks.
StatusOr<FilterNode> ParseFilterTree(std::string_view json, const FilterTreeOptions& options = {});

// Whether `node` holds when each filter holds as `leaf(filter)` says (and a filter with
// "negation": true holds when it does not).
template <typename LeafMatch>
bool MatchTree(const FilterNode& node, const LeafMatch& leaf) {
  switch (node.kind) {
    case FilterNode::Kind::kLeaf:
      return leaf(node.filter) != node.filter.negation;
    case FilterNode::Kind::kAnd:
      for (const FilterNode& child : node.children) {
        if (!MatchTree(child, leaf)) return false;
      }
      return true;
    case FilterNode::Kind::kOr:
      for (const FilterNode& child : node.children) {
        if (MatchTree(child, leaf)) return true;
      }
      return false;
  }
  return false;
}

// Calls `fn` on every filter of the tree, in document order.
template <typename Fn>
void ForEachFilter(const FilterNode& node, const Fn& fn) {
  if (node.kind == FilterNode::Kind::kLeaf) {
    fn(node.filter);
    return;
  }
  for (const FilterNode& child : node.children) ForEachFilter(child, fn);
}
template <typename Fn>
void ForEachFilter(FilterNode& node, const Fn& fn) {
  if (node.kind == FilterNode::Kind::kLeaf) {
    fn(node.filter);
    return;
  }
  for (FilterNode& child : node.children) ForEachFilter(child, fn);
}

}  // namespace hoglet::filters
