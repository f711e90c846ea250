// One partition of the embedded log: its segments, its pending appends and its writer thread.
//
// Group commit: Append queues the payloads (bounded by max_pending_bytes) and returns. The
// partition's writer thread takes every queued append (up to kMaxGroupBytes), assigns offsets
// in queue order, encodes all frames into one buffer, writes it with one pwrite, fdatasyncs,
// publishes the new durable end to readers and only then runs the callbacks. A failed write or
// sync fails every append of the group with kUnavailable and truncates the segment back to its
// last durable size, so no half-written record stays and later appends reuse the offsets.
//
// Reservation: an append first reserves its bytes — pending budget, and disk blocks in the
// active segment (fallocate, ahead in 1 MiB steps) — before it is queued. A full disk thus
// refuses the append up front, before anything is written, and a reserved append is not
// refused for space later: a new segment is started only once the disk has room for every
// outstanding reservation in it, else writing goes on in the current one. That is what lets
// WalLog::AppendAll store a request's records in several partitions all or not at all.
//
// Readers see only durable records: Read never passes the durable end published after a sync.
//
// Threads: every public method is thread-safe. Callbacks run on the writer thread, except the
// immediate rejections of Append (closed, over the pending limit, too large), which run on the
// caller's thread before Append returns. Callbacks must not block and must not call Close().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "fs/env.h"
#include "log/event_log.h"
#include "log/segment.h"

namespace hoglet::log {

struct PartitionOptions {
  fs::Env* env = nullptr;
  std::string dir;           // this partition's directory; created if missing
  size_t segment_bytes = 0;  // roll once the active segment holds at least this much
  size_t max_pending_bytes = 0;
  bool sync = true;
};

class Partition final {
 public:
  // Recovers the segments in `options.dir` (see segment.h) and starts the writer thread.
  // kDataLoss when acknowledged records are damaged or a range of offsets is missing.
  static StatusOr<std::unique_ptr<Partition>> Open(const PartitionOptions& options);

  ~Partition();  // Close()
  Partition(const Partition&) = delete;
  Partition& operator=(const Partition&) = delete;

  // Reserve, then AppendReserved; a refused reservation goes to `done` at once.
  void Append(std::vector<std::string> payloads, EventLog::AppendCallback done);

  // The bytes an append of `payloads` takes (frames included); kPayloadTooLarge when a record
  // is over the log's limit or the append could never fit under max_pending_bytes.
  StatusOr<size_t> AppendBytes(const std::vector<std::string>& payloads) const;
  // Claims room for an append of `bytes` (from AppendBytes): kUnavailable when closed or the
  // disk cannot hold it (nothing is claimed then), kResourceExhausted over max_pending_bytes.
  Status Reserve(size_t bytes);
  // Gives back a reservation that will not be appended.
  void Unreserve(size_t bytes);
  // Queues an append whose `bytes` were reserved. Fails only for an I/O error while writing, or
  // when the partition closes first.
  void AppendReserved(std::vector<std::string> payloads, size_t bytes,
                      EventLog::AppendCallback done);

  // See EventLog::Read. kNotFound (reason "offset_out_of_range") when `from_offset` is below the
  // first retained record; kUnavailable once closed.
  StatusOr<std::vector<Record>> Read(uint64_t from_offset, size_t max_records, size_t max_bytes,
                                     std::chrono::milliseconds wait);

  // One past the last durable record.
  uint64_t EndOffset() const;
  // The first retained offset (the base of the oldest segment).
  uint64_t StartOffset() const;

  // Deletes every segment whose records are all below `offset`, never the active one.
  void DeleteSegmentsBelow(uint64_t offset);

  // Refuses new appends, wakes readers, completes accepted appends and joins the writer.
  void Close();

 private:
  struct PendingAppend {
    std::vector<std::string> payloads;
    EventLog::AppendCallback done;
    size_t bytes = 0;
  };

  Partition(const PartitionOptions& options, std::vector<std::shared_ptr<Segment>> segments);

  void WriterLoop();
  // Writes and syncs `group` as records [first_offset, ...); writer thread only.
  Status WriteGroup(const std::vector<PendingAppend>& group, uint64_t first_offset);
  // Starts a new active segment at next_offset_ when the current one is full and the disk has
  // room in it for every outstanding reservation; otherwise writing goes on in the current one.
  void MaybeRoll();
  // Makes sure disk blocks are reserved up to `end` in the active segment. Called under mu_.
  Status ReserveUpTo(uint64_t end);

  const PartitionOptions options_;

  mutable std::mutex mu_;
  std::condition_variable writer_wake_;  // pending_ grew or closing_
  std::condition_variable data_ready_;   // durable_end_ grew or closing_
  // Guarded by mu_ (with the bookkeeping of every Segment in segments_):
  std::vector<std::shared_ptr<Segment>> segments_;  // ascending base offsets; back() is active
  std::deque<PendingAppend> pending_;
  size_t pending_bytes_ = 0;  // payload and frame bytes reserved, queued or being written
  uint64_t durable_end_ = 0;
  bool closing_ = false;
  uint64_t written_size_ = 0;   // active segment bytes written, as of the last group
  uint64_t allocated_end_ = 0;  // disk blocks of the active segment are reserved up to here

  // Changed by the writer thread under mu_, read by it without:
  std::shared_ptr<Segment> active_;
  // Writer thread only:
  uint64_t next_offset_ = 0;         // == durable_end_ between groups
  uint64_t active_size_ = 0;         // durable bytes of active_
  bool needs_truncate_ = false;      // a failed group's bytes may remain past active_size_
  bool roll_failing_ = false;        // the last roll failed (logged once until one succeeds)
  std::string buffer_;               // encoded frames of the current group
  std::vector<uint64_t> positions_;  // file position of each frame of the current group

  std::mutex join_mu_;  // serialises joining writer_ in concurrent Close() calls
  std::thread writer_;
};

}  // namespace hoglet::log
