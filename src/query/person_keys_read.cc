#include "query/person_keys_read.h"

#include <algorithm>

namespace hoglet::query {
namespace {

// Adds the person keys of `node` to `keys`; false when a filter may read persons otherwise.
bool AddFilterKeys(const filters::FilterNode& node, std::vector<std::string>* keys) {
  if (node.kind != filters::FilterNode::Kind::kLeaf) {
    return std::all_of(
        node.children.begin(), node.children.end(),
        [keys](const filters::FilterNode& child) { return AddFilterKeys(child, keys); });
  }
  switch (node.filter.type) {
    case filters::FilterType::kPerson:
      keys->push_back(node.filter.key);
      return true;
    case filters::FilterType::kEvent:
    case filters::FilterType::kElement:
    case filters::FilterType::kGroup:
      return true;
    case filters::FilterType::kCohort:
    case filters::FilterType::kFlag:
    case filters::FilterType::kHogQL:
    case filters::FilterType::kOther:
      return false;
  }
  return false;
}

}  // namespace

std::optional<std::vector<std::string>> PersonKeysRead(const TrendsQuery& query,
                                                       const filters::FilterNode& test_accounts) {
  std::vector<std::string> keys;
  if (!AddFilterKeys(query.properties, &keys)) return std::nullopt;
  if (query.filter_test_accounts && !AddFilterKeys(test_accounts, &keys)) return std::nullopt;
  for (const Series& series : query.series) {
    if (series.action_id || series.math == Math::kHogQL) return std::nullopt;
    if (!AddFilterKeys(series.properties, &keys)) return std::nullopt;
  }
  if (query.breakdown) {
    if (query.breakdown->by_cohort() || query.breakdown->reads_hogql_or_histogram()) {
      return std::nullopt;
    }
    for (const BreakdownProperty& property : query.breakdown->properties) {
      if (property.person) keys.push_back(property.property);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace hoglet::query
