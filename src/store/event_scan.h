// The scan behind ListEvents: filters the rows of parts and keeps the newest `limit` matches.
//
// A scan skips whole parts and blocks whose timestamp range cannot match (after/before, or
// older than the current limit-th match), evaluates the cheap fixed-column filters first, then
// the property filters on typed columns, and materialises only surviving rows. Property keys
// without a column read as absent, unless the part overflowed its column cap, in which case the
// row's properties JSON is consulted. Property filters are the filter model's
// (filters/property_match.h), evaluated on the typed values without copying them: a number reads
// as its shortest round-trip text ("5", "1.5"), since the typed column keeps only the double.
//
// TopCandidates, ScanPart and Materialize are single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/status.h"
#include "store/event.h"
#include "store/event_query.h"
#include "store/part_reader.h"

namespace hoglet::store {

// A row that may be in the result: its sort key and where it lives.
struct Candidate {
  int64_t timestamp_us = 0;
  Uuid uuid;
  uint32_t part = 0;  // index into the scan's list of parts
  uint32_t block = 0;
  uint32_t row = 0;
};

// The best `limit` candidates in result order (timestamp, then uuid, descending). Scans keep
// only sort keys here; Materialize reads the full rows of the winners afterwards, so blocks that
// contribute nothing to the result are never decoded beyond their timestamp and uuid columns.
class TopCandidates final {
 public:
  explicit TopCandidates(size_t limit) : limit_(limit) {}

  // True once `limit` candidates are held (never for limit 0, which admits nothing).
  bool full() const { return limit_ > 0 && heap_.size() >= limit_; }
  // The worst candidate kept; only when full().
  const Candidate& worst() const { return heap_.front(); }
  // True when a row with this key would be kept.
  bool Admits(int64_t timestamp_us, const Uuid& uuid) const;
  void Offer(const Candidate& c);
  // The kept candidates, best first.
  std::vector<Candidate> TakeSorted() &&;

 private:
  size_t limit_;
  std::vector<Candidate> heap_;  // heap with the worst candidate at the front
};

// Adds the rows of `part` that match `query`; `part_index` is recorded in the candidates.
Status ScanPart(const Part& part, uint32_t part_index, const EventQuery& query, TopCandidates* top);

// Reads the events of `candidates` (from TopCandidates::TakeSorted, indexing into `parts`), in
// the same order.
StatusOr<std::vector<Event>> Materialize(const std::vector<const Part*>& parts,
                                         const std::vector<Candidate>& candidates);
}  // namespace hoglet::store
