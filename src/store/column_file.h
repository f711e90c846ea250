// The columns of a part on disk. Since part format version 2 every column of a part lives in one
// file (`columns`, part_meta.h); version 1 parts have one file per column. Either way a column
// is compressed blocks followed by its block index and trailer:
//
//   ... block 0 ... block 1 ... | index | u32 index_size | u32 index_crc | u32 magic "HGC1"
//   index = varint block_count, then per block:
//           varint offset | varint size | varint rows | zig-zag min | zig-zag max | u32 crc
//
// `offset` is the block's position in the file. The part's meta records where each column's
// trailer ends (ColumnMeta::end); a column's blocks all lie before its index. Each block is a
// block_codec.h frame; `crc` is the CRC-32 of the compressed bytes, checked on every read.
// min/max are the block's smallest and largest int64 value for int64 columns (the timestamp
// pruning key) and 0 otherwise.
//
// ColumnFileWriter buffers a column's compressed blocks in memory and appends them to the
// part's ColumnSink once `flush_bytes` accumulate, so a part with many columns keeps bounded
// memory; the columns' chunks interleave in the file. Not thread-safe.
// ColumnIndex is immutable once read and may be shared by threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "fs/env.h"
#include "store/block_codec.h"
#include "store/read_only_file.h"

namespace hoglet::store {

struct BlockInfo {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t rows = 0;
  int64_t min = 0;
  int64_t max = 0;
  uint32_t crc = 0;
};

struct ColumnIndex {
  std::vector<BlockInfo> blocks;
};

// The file the columns of one part are appended to. Not thread-safe.
class ColumnSink final {
 public:
  // `env` must outlive the sink. The file is created at the first Append.
  ColumnSink(fs::Env* env, std::string path) : env_(env), path_(std::move(path)) {}

  // Appends `bytes` at the end of the file; returns the offset they start at.
  StatusOr<uint64_t> Append(std::string_view bytes);
  // fsyncs the file (creating it first if nothing was appended).
  Status Sync();

  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }

 private:
  Status EnsureOpen();

  fs::Env* env_;
  std::string path_;
  std::unique_ptr<fs::File> file_;
  uint64_t size_ = 0;
};

class ColumnFileWriter final {
 public:
  // `sink` must outlive the writer.
  explicit ColumnFileWriter(ColumnSink* sink, size_t flush_bytes = 256 << 10)
      : sink_(sink), flush_bytes_(flush_bytes) {}

  // Compresses `raw` with `codec` and queues it as the next block.
  Status AddBlock(std::string_view raw, Codec codec, uint64_t rows, int64_t min, int64_t max);
  // Appends what is queued, then the index and trailer. Returns the offset in the sink's file
  // where the trailer ends (ColumnMeta::end).
  StatusOr<uint64_t> Finish();

  size_t block_count() const { return index_.blocks.size(); }

 private:
  Status Flush();

  ColumnSink* sink_;
  size_t flush_bytes_;
  std::string pending_;
  size_t first_pending_block_ = 0;  // blocks from here on are in pending_, offsets relative to it
  ColumnIndex index_;
};

// Reads the index of the column whose trailer ends at `end` in `file`. kDataLoss when the
// trailer or index is corrupt or lies outside the file.
StatusOr<ColumnIndex> ReadColumnIndex(const ReadOnlyFile& file, uint64_t end);
// Reads, verifies and decompresses one block. kDataLoss on a checksum or codec failure.
StatusOr<std::string> ReadColumnBlock(const ReadOnlyFile& file, const BlockInfo& block);

}  // namespace hoglet::store
