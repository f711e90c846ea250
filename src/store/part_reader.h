// Reading published parts.
//
// Part is one published, immutable part directory: its meta plus a cache of column indexes, and
// the cache of decoded blocks its scans use (store/block_cache.h), if any. It is shared as
// shared_ptr<const Part> by every snapshot that lists it. A merge marks the parts it replaced
// obsolete; the directory of an obsolete part is removed when the last reference goes, so a
// query that took its snapshot before the merge keeps reading the old files; its decoded blocks
// leave the cache then too. Thread-safe.
//
// PartCursor reads the blocks of one part for one scan (one thread). It opens the part's column
// file (files, for a version 1 part) on first use and closes it when destroyed, so descriptors
// are held only while a scan runs.
//
// Errors: kDataLoss when the meta, an index or a block is corrupt or a column file has the wrong
// size; kUnavailable when the disk refuses a read.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "fs/env.h"
#include "store/block_cache.h"
#include "store/column_file.h"
#include "store/event.h"
#include "store/part_meta.h"
#include "store/property_column.h"
#include "store/read_only_file.h"
#include "store/string_column.h"

namespace hoglet::store {

class Part final {
 public:
  // Reads and validates `dir`/meta and the sizes of the column files. Every file operation of
  // the part and its cursors goes through `env`, which must outlive them. Scans keep the blocks
  // they decode in `blocks` when given.
  static StatusOr<std::shared_ptr<Part>> Open(fs::Env* env, std::string dir,
                                              std::shared_ptr<BlockCache> blocks = nullptr);
  ~Part();
  Part(const Part&) = delete;
  Part& operator=(const Part&) = delete;

  const PartMeta& meta() const { return meta_; }
  const std::string& dir() const { return dir_; }
  fs::Env* env() const { return env_; }
  // The cache of decoded blocks (nullptr: none), and the number naming this part in it, unique
  // in the process.
  BlockCache* blocks() const { return blocks_.get(); }
  uint64_t serial() const { return serial_; }
  // Blocks of the part (the same for every column) and the timestamp column's block index,
  // whose min/max drive pruning.
  StatusOr<std::shared_ptr<const ColumnIndex>> TimestampIndex() const;
  StatusOr<std::shared_ptr<const ColumnIndex>> Index(const ColumnMeta& column) const;

  // Marks the part replaced: its directory goes away with the last reference.
  void MarkObsolete() const { obsolete_.store(true); }

 private:
  Part(fs::Env* env, std::string dir, PartMeta meta, std::shared_ptr<BlockCache> blocks);

  fs::Env* const env_;
  std::string dir_;
  PartMeta meta_;
  const std::shared_ptr<BlockCache> blocks_;
  const uint64_t serial_;
  mutable std::mutex mu_;
  // By (file, end): the columns of a version 2 part share one file. Guarded by mu_.
  mutable std::map<std::pair<std::string, uint64_t>, std::shared_ptr<const ColumnIndex>> indexes_;
  mutable std::atomic<bool> obsolete_{false};
};

class PartCursor final {
 public:
  explicit PartCursor(const Part& part) : part_(part) {}

  StatusOr<std::vector<Uuid>> Uuids(size_t block);
  StatusOr<DictStrings> EventNames(size_t block);
  StatusOr<DictStrings> DistinctIds(size_t block);
  StatusOr<std::vector<Uuid>> PersonIds(size_t block);
  StatusOr<std::vector<int64_t>> Timestamps(size_t block);
  StatusOr<std::vector<int64_t>> CreatedAts(size_t block);
  StatusOr<std::vector<std::string>> Properties(size_t block);
  StatusOr<std::vector<std::string>> PersonProperties(size_t block);
  StatusOr<std::vector<int64_t>> PersonCreatedAts(size_t block);
  StatusOr<std::vector<int64_t>> PersonModes(size_t block);
  // The block of property column `key`; nullptr when the part has no column for it.
  StatusOr<std::unique_ptr<PropertyColumnData>> Property(std::string_view key, size_t block);
  // Every row of a block as events.
  StatusOr<std::vector<Event>> ReadEvents(size_t block);

 private:
  StatusOr<std::string> RawBlock(const ColumnMeta& column, size_t block);
  StatusOr<std::string> FixedBlock(std::string_view name, ColumnType type, size_t block);

  const Part& part_;
  std::map<std::string, ReadOnlyFile> files_;  // by file name
};

}  // namespace hoglet::store
