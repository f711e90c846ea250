// The embedded columnar event store (format in docs/event-store.md).
//
//   DIR/team-<id>/<yyyy-mm-dd>/part-<seq>/   one immutable part: a file per column + meta
//
// Parts are written to a temporary directory, fsync'd and published by rename; a crash never
// leaves a partial part visible. Small parts of one (team, day) are merged in the background.
//
// Appends are serialised by one mutex (they are disk-bound); queries run concurrently with
// appends and merges on immutable snapshots of the live parts and never wait for disk writes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "fs/env.h"
#include "store/event_store.h"

namespace hoglet::store {

struct ColumnarStoreOptions {
  std::string dir;                   // created if missing
  int merge_threads = 1;             // 0 disables background merges (tests)
  size_t merge_min_parts = 4;        // merge a (team, day) once it has this many small parts
  size_t merge_max_parts = 32;       // at most this many parts go into one merge
  size_t small_part_rows = 1 << 20;  // parts with fewer rows are merge candidates
  bool fsync = true;                 // false only in tests and benchmarks

  size_t block_rows = 8192;              // rows per column block, at most
  size_t block_bytes = size_t{4} << 20;  // text per block, at most (part_writer.h)
  size_t max_property_columns = 1000;    // typed property columns per part; more stay JSON only
  // Append dedupe: (team, uuid) pairs of parts written within this window before open, plus
  // everything appended since, at most dedupe_max_entries (oldest forgotten first).
  int64_t dedupe_window_us = int64_t{24} * 3600 * 1000 * 1000;
  size_t dedupe_max_entries = 4'000'000;
  // Decoded column blocks kept between scans (store/block_cache.h), in bytes; 0 keeps none.
  size_t block_cache_bytes = 0;
  const Clock* clock = nullptr;  // nullptr: SystemClock::Get(); must outlive the store
  fs::Env* env = nullptr;        // every file operation; nullptr: fs::Env::Default()
};

// kDataLoss when a published part is unreadable, kUnavailable for I/O errors.
StatusOr<std::unique_ptr<EventStore>> OpenColumnarStore(const ColumnarStoreOptions& options);

}  // namespace hoglet::store
