// Committed consumer offsets of the embedded log, one file per consumer:
//
//   DIR/<escaped consumer name>.offsets
//     magic "HOGLTOFS" (8) | version u32 | name_length u32 | name | partitions u32 |
//     next_offset u64 × partitions | crc32c u32 (of everything before it)
//
// Little-endian. A commit rewrites the consumer's file atomically (temporary file, fsync,
// rename, directory fsync), so a crash leaves the previous or the new offsets, never a mix.
// Reads are served from memory.
//
// Consumer names are 1–200 bytes of any content; bytes outside [A-Za-z0-9_.-] (and a leading
// '.') are written as %XX in the file name.
//
// Threads: all methods are thread-safe. Commits are serialised (one file write at a time);
// Committed and MinCommitted never wait for a commit's fsync.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "fs/env.h"

namespace hoglet::log {

class ConsumerOffsets final {
 public:
  // Loads every consumer file in `dir` (created if missing). kDataLoss when a file is damaged
  // or records a different partition count.
  static StatusOr<std::unique_ptr<ConsumerOffsets>> Open(fs::Env* env, const std::string& dir,
                                                         int partitions, bool sync);

  // Durably sets `consumer`'s next offset for `partition`. kInvalidArgument for a bad name or
  // partition; kUnavailable when the file cannot be written (the old value stays in force).
  Status Commit(std::string_view consumer, int partition, uint64_t next_offset);

  // The committed next offset, 0 when `consumer` never committed `partition`.
  uint64_t Committed(std::string_view consumer, int partition) const;

  // The lowest committed offset of `partition` over every known consumer, nullopt when there
  // is no consumer.
  std::optional<uint64_t> MinCommitted(int partition) const;

  // The file name that stores `consumer`'s offsets ("<escaped>.offsets").
  static std::string FileNameFor(std::string_view consumer);

 private:
  ConsumerOffsets(fs::Env* env, std::string dir, int partitions, bool sync);

  fs::Env* const env_;
  const std::string dir_;
  const int partitions_;
  const bool sync_;

  std::mutex write_mu_;  // held across a commit's file write; taken before mu_
  mutable std::mutex mu_;
  std::map<std::string, std::vector<uint64_t>, std::less<>> offsets_;  // guarded by mu_
};

}  // namespace hoglet::log
