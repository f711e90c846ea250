// One segment file of a partition: a header, then frames whose offsets run consecutively from
// the segment's base offset (the file is named after it: 00000000000000001234.seg).
//
// Creation and recovery:
//   Segment::Create writes and syncs the header and the directory entry before any record
//   goes in. Segment::Recover scans and verifies every frame of an existing file. Damage in a
//   sealed segment (any but the partition's last) is kDataLoss. In the last segment, damage
//   is a torn tail — the unacknowledged end of a group commit cut by a crash — and is
//   truncated away, unless a good frame of a *later* group commit follows it: later groups are
//   written only after the earlier one was fsync'd and acknowledged, so that damage is inside
//   acknowledged data and is kDataLoss.
//
// Threads: base_offset() and path() are immutable. The bookkeeping (end offset, durable size,
// sparse index) is externally synchronised: the owning Partition guards it with its mutex.
// ReadRecords only uses immutable state and the File (pread), so it may run without a lock
// on a position and limit taken under that mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "fs/env.h"
#include "log/event_log.h"

namespace hoglet::log {

class Segment final {
 public:
  // "DIR/00000000000000001234.seg".
  static std::string PathFor(const std::string& dir, uint64_t base_offset);
  // The base offset encoded in a segment file name, or false for other names.
  static bool ParseFileName(const std::string& name, uint64_t* base_offset);

  // Creates an empty segment in `dir`, replacing any stray file of that name. With `sync`, the
  // header and the directory entry are durable on return.
  static StatusOr<std::shared_ptr<Segment>> Create(fs::Env* env, const std::string& dir,
                                                   uint64_t base_offset, bool sync);

  // Opens and verifies the segment at `path`, whose name says it starts at `base_offset`.
  // `is_last`: the partition's newest segment, whose damaged tail is truncated (see above).
  static StatusOr<std::shared_ptr<Segment>> Recover(fs::Env* env, const std::string& path,
                                                    uint64_t base_offset, bool is_last, bool sync);

  uint64_t base_offset() const { return base_offset_; }
  const std::string& path() const { return path_; }
  fs::File* file() const { return file_.get(); }

  // Guarded by the owning partition's mutex.
  uint64_t end_offset() const { return end_offset_; }  // one past the last durable record
  uint64_t size_bytes() const { return size_bytes_; }  // durable bytes, header included
  // Records that the frame of `offset` starts at byte `position` (called for every frame in
  // order; only every ~64 KiB is kept in the sparse index).
  void AddFrame(uint64_t offset, uint64_t position);
  // Records the new durable end after a group commit.
  void SetDurableEnd(uint64_t end_offset, uint64_t size_bytes);
  // The last indexed frame at or before `offset` (offset >= base_offset()).
  void Seek(uint64_t offset, uint64_t* frame_offset, uint64_t* position) const;

  // Appends to `out` the records with offset >= `from` found in bytes [position, limit), where
  // the frame at `position` carries `frame_offset`, until `out` holds `max_records` or the
  // payloads read by this call pass `*budget_bytes` (decremented; at least one record is read
  // when `out` is empty). True when every record up to `limit` was taken, false when a limit
  // stopped the read first. kDataLoss when a frame there is damaged.
  StatusOr<bool> ReadRecords(uint64_t from, uint64_t frame_offset, uint64_t position,
                             uint64_t limit, size_t max_records, size_t* budget_bytes,
                             std::vector<Record>* out) const;

 private:
  struct IndexEntry {
    uint64_t offset;
    uint64_t position;
  };

  Segment(std::string path, uint64_t base_offset, std::unique_ptr<fs::File> file);

  const std::string path_;
  const uint64_t base_offset_;
  const std::unique_ptr<fs::File> file_;
  uint64_t end_offset_;
  uint64_t size_bytes_;
  std::vector<IndexEntry> index_;  // ascending; index_[0] is the first frame's position
};

}  // namespace hoglet::log
