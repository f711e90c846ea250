// The embedded event log: segmented, checksummed, append-only files (format in docs/wal.md).
//
//   DIR/partition-NNN/SSSSSSSSSSSSSSSSSSSS.seg   segments, named by their first offset
//   DIR/consumers/<name>                          committed offsets per partition
//
// Open() recovers each partition: the last segment is scanned and a torn or corrupt tail (a
// crash mid-write) is truncated; records that were acknowledged are before that tail, because
// an append is acknowledged only after its fsync.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "log/event_log.h"

namespace hoglet::log {

struct WalOptions {
  std::string dir;                       // created if missing
  int partitions = 4;                    // fixed at creation; a different value is an error
  size_t segment_bytes = 64 << 20;       // roll to a new segment past this size
  size_t max_pending_bytes = 256 << 20;  // queued but unwritten bytes before appends fail
  bool fsync = true;                     // false only in tests and benchmarks
};

// kInvalidArgument for bad options, kDataLoss for damage that recovery cannot repair (anything
// but a torn tail), kUnavailable for I/O errors.
StatusOr<std::unique_ptr<EventLog>> OpenWalLog(const WalOptions& options);

}  // namespace hoglet::log
