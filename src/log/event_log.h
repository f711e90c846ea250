// The event log: the durable queue between capture and ingestion (the role Kafka plays in
// PostHog). Records are opaque byte strings appended to numbered partitions; each partition is
// an ordered sequence addressed by a 0-based offset. Consumers read in order and commit the
// offset they have finished with; records below every consumer's committed offset may be
// discarded.
//
// Durability contract: when an Append's callback reports OK, every record of that append is on
// stable storage (fsync'd) and survives a crash; a failed append stores none of its records
// that a reader could see. Appends to one partition are ordered as their calls were made.
//
// Freshness: a record is readable (Read, EndOffset) on every thread of this process from the
// moment its append's callback reports OK, and a Commit is visible to Committed() once it has
// returned. The embedded log is opened by one process at a time (log/wal_log.h); an adapter over
// a shared broker makes both visible to every process by the same moment.
//
// Thread safety: every method may be called from any thread.
//
// Implementations: log/wal_log.h (embedded, files under the data directory); a Kafka adapter
// implements the same interface.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::log {

struct Record {
  uint64_t offset = 0;
  std::string payload;
};

// The records of one request bound for one partition (see EventLog::AppendAll).
struct PartitionAppend {
  int partition = 0;
  std::vector<std::string> payloads;
};

class EventLog {
 public:
  // Called once, on an internal thread, when the append is durable (OK, with the offset of the
  // first record) or has failed (kUnavailable: disk full or I/O error; kResourceExhausted: too
  // much is waiting to be written — the caller should answer 503/429 and the client retry).
  // The callback must not block.
  using AppendCallback = std::function<void(StatusOr<uint64_t> first_offset)>;

  virtual ~EventLog() = default;

  virtual int partition_count() const = 0;

  // Appends `payloads` to `partition` (0 <= partition < partition_count()). Several appends
  // waiting at once are written and fsync'd together (group commit).
  virtual void Append(int partition, std::vector<std::string> payloads, AppendCallback done) = 0;

  // Appends to several partitions as one: `done` is called once, with OK when every record of
  // every part is durable. When the log cannot take them all — the disk cannot hold them
  // (kUnavailable), too much is waiting (kResourceExhausted), a record is too large
  // (kPayloadTooLarge), closed — none is written. The one exception is an I/O error (not a
  // full disk) while writing, which fails only the parts it hit; `done` then reports it too.
  using AppendAllCallback = std::function<void(Status)>;
  virtual void AppendAll(std::vector<PartitionAppend> appends, AppendAllCallback done) = 0;

  // Reads records of `partition` with offset >= `from_offset`, in order, up to `max_records`
  // records or about `max_bytes` bytes (at least one record when any is available). Waits up to
  // `wait` for the first record when none is available yet; returns an empty vector on timeout.
  // kDataLoss when a record fails its checksum inside acknowledged data.
  virtual StatusOr<std::vector<Record>> Read(int partition, uint64_t from_offset,
                                             size_t max_records, size_t max_bytes,
                                             std::chrono::milliseconds wait) = 0;

  // The offset the next appended record of `partition` will get.
  virtual uint64_t EndOffset(int partition) const = 0;

  // Durably records that `consumer` has processed every record of `partition` below
  // `next_offset`. Segments below the lowest committed offset of all consumers may be deleted.
  virtual Status Commit(std::string_view consumer, int partition, uint64_t next_offset) = 0;

  // The last committed offset of `consumer` for `partition` (0 if it never committed).
  virtual uint64_t Committed(std::string_view consumer, int partition) const = 0;

  // Wakes every reader waiting in Read() and makes later calls fail fast with kUnavailable;
  // appends already accepted are still completed. Used at shutdown.
  virtual void Close() = 0;
};

// Which partition a key's records go to: a stable hash of the key, modulo `partition_count`.
// Stable across versions and machines (it decides where existing data lives).
int PartitionForKey(std::string_view key, int partition_count);

}  // namespace hoglet::log
