// The embedded event log: segmented, checksummed, append-only files (format in docs/wal.md).
//
//   DIR/META                                      format version and partition count
//   DIR/LOCK                                      held (flock) while the log is open
//   DIR/partition-NNN/SSSSSSSSSSSSSSSSSSSS.seg   segments, named by their first offset
//   DIR/consumers/<name>.offsets                  committed offsets per partition
//
// Open() recovers each partition: every segment is scanned and verified, and a torn or corrupt
// tail of the last one (a crash mid-write) is truncated; records that were acknowledged are
// before that tail, because an append is acknowledged only after its fsync.
//
// Behaviour beyond the EventLog contract:
//   - One writer thread per partition does the group commits (one pwrite + one fdatasync per
//     group); callbacks run on it. Immediate rejections run on the caller's thread before
//     Append returns: kResourceExhausted (more than max_pending_bytes waiting in the
//     partition), kPayloadTooLarge (a record over 64 MiB, or an append that can never fit
//     under max_pending_bytes), kInvalidArgument (bad partition), kUnavailable (closed).
//   - A write or fsync failure fails every append of its group with kUnavailable; the segment
//     is truncated back to its last durable size and later appends may succeed.
//   - EndOffset() is the end of the durable records (appends in flight are not counted).
//   - Read() below the oldest retained offset is kNotFound with reason "offset_out_of_range";
//     the consumer resumes from a later offset (retention only deletes segments every known
//     consumer has committed past, so only a new or rewound consumer sees it).
//   - Commit() of an offset past EndOffset() is kInvalidArgument. After a commit, segments all
//     of whose records are below every known consumer's committed offset are deleted (never
//     the active segment). A log nobody ever committed on keeps everything.
//   - Close() completes accepted appends, then every call fails fast with kUnavailable.
//     Callbacks must not call Close() or destroy the log.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "base/status.h"
#include "log/event_log.h"

namespace hoglet::fs {
class Env;
}  // namespace hoglet::fs

namespace hoglet::log {

struct WalOptions {
  // Created (with parents) if missing.
  std::string dir;
  // 1..65536; fixed when the directory is created, and a different value later is an error.
  int partitions = 4;
  // Roll to a new segment once the active one holds this many bytes. The active segment stays
  // whatever the consumers committed, so this is what a partition keeps on disk at least.
  size_t segment_bytes = 16 << 20;
  // Per partition: bytes queued or being written (payload + 20 per record) before appends are
  // refused with kResourceExhausted.
  size_t max_pending_bytes = 256 << 20;
  // false only in tests and benchmarks: nothing is fsync'd, so acknowledgements promise nothing
  // across a machine crash.
  bool fsync = true;
  // File system (not owned; must outlive the log). nullptr: the real one, Env::Default().
  fs::Env* env = nullptr;
};

// kInvalidArgument for bad options (including a partition count other than the one the
// directory was created with), kDataLoss for damage that recovery cannot repair (anything but
// a torn tail), kUnavailable for I/O errors or when another open log holds the directory.
StatusOr<std::unique_ptr<EventLog>> OpenWalLog(const WalOptions& options);

}  // namespace hoglet::log
