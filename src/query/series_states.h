// The aggregate states of one trends series: per breakdown label, one state (query/aggregate.h)
// per bucket (one in all for total-value displays), created empty on first use.
//
// Not thread-safe: one per scan thread, merged afterwards (Merge).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "query/aggregate.h"
#include "query/trends_query.h"

namespace hoglet::query {

class SeriesStates {
 public:
  SeriesStates(Math math, size_t buckets) : math_(math), buckets_(buckets) {}

  // The states of `label`, one per bucket. The reference stays valid as long as this object.
  std::vector<std::unique_ptr<Aggregate>>& Row(const std::string& label);
  Aggregate& At(const std::string& label, size_t bucket) { return *Row(label)[bucket]; }

  const std::map<std::string, std::vector<std::unique_ptr<Aggregate>>>& states() const {
    return states_;
  }

  // Absorbs the states of `other`, a SeriesStates of the same math and buckets.
  void Merge(const SeriesStates& other);

 private:
  Math math_;
  size_t buckets_;
  std::map<std::string, std::vector<std::unique_ptr<Aggregate>>> states_;
};

}  // namespace hoglet::query
