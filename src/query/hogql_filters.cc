#include "query/hogql_filters.h"

#include <utility>

namespace hoglet::query {

StatusOr<const RowExpression*> HogQLFilters::Condition(const filters::PropertyFilter& filter) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = compiled_.find(filter.key);
  if (found != compiled_.end()) return found->second.get();
  StatusOr<std::unique_ptr<RowExpression>> compiled = compiler_->Compile(filter.key);
  if (!compiled.ok()) {
    return InvalidArgumentError("the HogQL filter " + filters::QuotedFilterText(filter.key) + ": " +
                                    std::string(compiled.status().message()),
                                std::string(compiled.status().reason()));
  }
  const RowExpression* condition = compiled->get();
  compiled_.emplace(filter.key, *std::move(compiled));
  return condition;
}

}  // namespace hoglet::query
