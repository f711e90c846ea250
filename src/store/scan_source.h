// The seam the query engine reads the embedded store through: a snapshot of one team's live parts
// over a time range. A snapshot is immutable: appends and merges after it was taken change
// nothing it lists, and the parts it lists stay readable (their files go only with the last
// reference). Rows become visible to a snapshot as soon as the Append that wrote them returned.
//
// Reading a part: Part::meta() (row count, time range), Part::TimestampIndex() (per block min/max
// timestamps, for pruning), and a PartCursor + BlockReader per block (store/block_reader.h) for
// typed columns and property filters.
//
// Isolation: a snapshot holds only the parts of the team it names.
//
// Thread safety: Snapshot may be called from any thread; a snapshot may be shared by threads,
// each reading its own parts through its own cursors.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "base/status.h"
#include "store/part_reader.h"

namespace hoglet::store {

struct ScanSnapshot {
  int64_t team_id = 0;
  // Parts holding rows of team_id with a timestamp in the asked range (and maybe others: a part
  // is listed when its time range overlaps), oldest day first.
  std::vector<std::shared_ptr<const Part>> parts;
};

class ScanSource {
 public:
  virtual ~ScanSource() = default;

  // The parts of `team_id` that may hold rows with from_us <= timestamp <= to_us.
  virtual StatusOr<ScanSnapshot> Snapshot(int64_t team_id, int64_t from_us,
                                          int64_t to_us) const = 0;

  // The earliest event timestamp of the team (PostHog's date_from "all"); nullopt when the team
  // has no events.
  virtual StatusOr<std::optional<int64_t>> FirstEventTime(int64_t team_id) const = 0;

  // A number that grows whenever rows of the team are stored (merges keep the rows and leave it
  // alone), for keying cached answers. It starts again at 0 with the process.
  virtual uint64_t DataVersion(int64_t team_id) const = 0;
};

}  // namespace hoglet::store
