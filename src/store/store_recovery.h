// Opening a store directory after a clean shutdown or a crash (docs/event-store.md, "Crash
// rules"):
//
//   - tmp-part-* directories are unfinished writes or merges: removed;
//   - a part listed in another part's `replaces` was merged away before the crash: removed, so
//     its rows are not seen twice;
//   - every other part-* directory must open, else kDataLoss (the operator restores or removes
//     it; the store never silently drops published data);
//   - durable offsets are the maximum over the offsets file and every part's positions;
//   - the dedupe set is seeded with the rows of parts written within the dedupe window.
//
// Called once, before the store serves; single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "fs/env.h"
#include "store/part_reader.h"
#include "store/uuid_dedupe.h"

namespace hoglet::store {

struct RecoveredStore {
  // (team_id, day) → live parts, by part id.
  std::map<std::pair<int64_t, int64_t>, std::vector<std::shared_ptr<const Part>>> parts;
  uint64_t next_part_id = 1;
  std::map<int, uint64_t> durable_offsets;
};

// Scans `root` (created if missing), cleaning up as described above. Rows of parts whose
// written_at_us >= now_us - dedupe_window_us go into `dedupe`, oldest part first. The parts
// keep their decoded blocks in `blocks` (may be null).
StatusOr<RecoveredStore> RecoverStore(fs::Env* env, const std::string& root, int64_t now_us,
                                      int64_t dedupe_window_us, bool sync, UuidDedupe* dedupe,
                                      const std::shared_ptr<BlockCache>& blocks = nullptr);

}  // namespace hoglet::store
