// The embedded columnar event store (format in docs/event-store.md).
//
//   DIR/team-<id>/<yyyy-mm-dd>/part-<seq>/   one immutable part: a file per column + meta
//
// Parts are written to a temporary directory, fsync'd and published by rename; a crash never
// leaves a partial part visible. Small parts of one (team, day) are merged in the background.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "store/event_store.h"

namespace hoglet::store {

struct ColumnarStoreOptions {
  std::string dir;             // created if missing
  int merge_threads = 1;       // 0 disables background merges (tests)
  size_t merge_min_parts = 4;  // merge a (team, day) once it has this many small parts
  size_t small_part_rows = 1 << 20;
  bool fsync = true;  // false only in tests and benchmarks
};

// kDataLoss when a published part is unreadable, kUnavailable for I/O errors.
StatusOr<std::unique_ptr<EventStore>> OpenColumnarStore(const ColumnarStoreOptions& options);

}  // namespace hoglet::store
