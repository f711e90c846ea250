// Answers kept for repeated queries (PostHog's query cache), keyed by what decides the answer:
// the project, the query as sent, and the version of the data it read (so a new event of the
// project makes its old answers unreachable, and they age out). Bounded by bytes; the least
// recently used answers go first.
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hoglet::query {

struct CachedAnswer {
  std::string json;            // the answer's fields, a JSON object
  int64_t computed_at_us = 0;  // when it was computed
};

class ResultCache {
 public:
  explicit ResultCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  std::optional<CachedAnswer> Get(const std::string& key);
  // An answer larger than the whole cache is not kept.
  void Put(const std::string& key, CachedAnswer answer);

  size_t bytes() const;

 private:
  struct Entry {
    std::string key;
    CachedAnswer answer;
  };
  size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first; guarded by mu_
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;  // guarded by mu_
  size_t bytes_ = 0;                                                   // guarded by mu_
};

}  // namespace hoglet::query
