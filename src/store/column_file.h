// One column of a part on disk: compressed blocks followed by a block index.
//
//   block 0 | block 1 | ... | index | u32 index_size | u32 index_crc | u32 magic "HGC1"
//   index = varint block_count, then per block:
//           varint offset | varint size | varint rows | zig-zag min | zig-zag max | u32 crc
//
// Each block is a block_codec.h frame; `crc` is the CRC-32 of the compressed bytes, checked on
// every read. min/max are the block's smallest and largest int64 value for int64 columns (the
// timestamp pruning key) and 0 otherwise.
//
// ColumnFileWriter buffers compressed blocks in memory and appends them to the file (created at
// the first flush, through the Env) once `flush_bytes` accumulate, so a part with many columns
// keeps bounded memory. Not thread-safe.
// ColumnIndex is immutable once read and may be shared by threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/block_codec.h"
#include "fs/env.h"
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

class ColumnFileWriter final {
 public:
  // `env` must outlive the writer.
  ColumnFileWriter(fs::Env* env, std::string path, size_t flush_bytes = 256 << 10)
      : env_(env), path_(std::move(path)), flush_bytes_(flush_bytes) {}

  // Compresses `raw` with `codec` and queues it as the next block.
  Status AddBlock(std::string_view raw, Codec codec, uint64_t rows, int64_t min, int64_t max);
  // Writes what is queued plus the index; fsyncs the file when `sync`. Returns the file size.
  StatusOr<uint64_t> Finish(bool sync);

  const std::string& path() const { return path_; }
  size_t block_count() const { return index_.blocks.size(); }

 private:
  Status Flush();

  fs::Env* env_;
  std::string path_;
  size_t flush_bytes_;
  std::unique_ptr<fs::File> file_;  // open from the first flush on
  std::string pending_;
  uint64_t written_ = 0;  // bytes already in the file + pending_
  ColumnIndex index_;
};

// Reads the index of a column file. kDataLoss when the trailer or index is corrupt.
StatusOr<ColumnIndex> ReadColumnIndex(const ReadOnlyFile& file);
// Reads, verifies and decompresses one block. kDataLoss on a checksum or codec failure.
StatusOr<std::string> ReadColumnBlock(const ReadOnlyFile& file, const BlockInfo& block);

}  // namespace hoglet::store
