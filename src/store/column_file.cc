#include "store/column_file.h"

#include "store/byte_codec.h"

namespace hoglet::store {
namespace {

constexpr uint32_t kColumnMagic = 0x31434748;  // "HGC1" little-endian
constexpr uint64_t kTrailerBytes = 12;

}  // namespace

Status ColumnSink::EnsureOpen() {
  if (file_ != nullptr) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(file_, env_->OpenFile(path_, fs::OpenMode::kCreateTruncate));
  return Status::Ok();
}

StatusOr<uint64_t> ColumnSink::Append(std::string_view bytes) {
  HOGLET_RETURN_IF_ERROR(EnsureOpen());
  const uint64_t offset = size_;
  HOGLET_RETURN_IF_ERROR(file_->WriteAt(offset, bytes));
  size_ += bytes.size();
  return offset;
}

Status ColumnSink::Sync() {
  HOGLET_RETURN_IF_ERROR(EnsureOpen());
  return file_->Sync();
}

Status ColumnFileWriter::AddBlock(std::string_view raw, Codec codec, uint64_t rows, int64_t min,
                                  int64_t max) {
  std::string block = CompressBlock(codec, raw);
  BlockInfo info;
  info.offset = pending_.size();
  info.size = block.size();
  info.rows = rows;
  info.min = min;
  info.max = max;
  info.crc = Crc32(block);
  index_.blocks.push_back(info);
  pending_.append(block);
  if (pending_.size() >= flush_bytes_) return Flush();
  return Status::Ok();
}

Status ColumnFileWriter::Flush() {
  if (pending_.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(uint64_t base, sink_->Append(pending_));
  for (size_t i = first_pending_block_; i < index_.blocks.size(); ++i) {
    index_.blocks[i].offset += base;
  }
  first_pending_block_ = index_.blocks.size();
  pending_.clear();
  return Status::Ok();
}

StatusOr<uint64_t> ColumnFileWriter::Finish() {
  HOGLET_RETURN_IF_ERROR(Flush());
  ByteWriter index;
  index.PutVarint(index_.blocks.size());
  for (const BlockInfo& b : index_.blocks) {
    index.PutVarint(b.offset);
    index.PutVarint(b.size);
    index.PutVarint(b.rows);
    index.PutSignedVarint(b.min);
    index.PutSignedVarint(b.max);
    index.PutFixed32(b.crc);
  }
  ByteWriter trailer;
  trailer.PutFixed32(static_cast<uint32_t>(index.size()));
  trailer.PutFixed32(Crc32(index.data()));
  trailer.PutFixed32(kColumnMagic);
  std::string tail = std::move(index).Take();
  tail.append(trailer.data());
  HOGLET_ASSIGN_OR_RETURN(uint64_t offset, sink_->Append(tail));
  return offset + tail.size();
}

StatusOr<ColumnIndex> ReadColumnIndex(const ReadOnlyFile& file, uint64_t end) {
  if (end < kTrailerBytes || end > file.size()) {
    return DataLossError("column index outside " + file.path());
  }
  HOGLET_ASSIGN_OR_RETURN(std::string trailer, file.ReadAt(end - kTrailerBytes, kTrailerBytes));
  ByteReader tr(trailer);
  uint32_t index_size = 0, index_crc = 0, magic = 0;
  if (!tr.GetFixed32(&index_size) || !tr.GetFixed32(&index_crc) || !tr.GetFixed32(&magic) ||
      magic != kColumnMagic || index_size > end - kTrailerBytes) {
    return DataLossError("bad column trailer in " + file.path());
  }
  uint64_t index_offset = end - kTrailerBytes - index_size;
  HOGLET_ASSIGN_OR_RETURN(std::string raw, file.ReadAt(index_offset, index_size));
  if (Crc32(raw) != index_crc) return DataLossError("column index checksum: " + file.path());
  ByteReader r(raw);
  uint64_t count;
  if (!r.GetVarint(&count) || count > raw.size()) {
    return DataLossError("corrupt column index: " + file.path());
  }
  ColumnIndex index;
  index.blocks.resize(count);
  for (BlockInfo& b : index.blocks) {
    if (!r.GetVarint(&b.offset) || !r.GetVarint(&b.size) || !r.GetVarint(&b.rows) ||
        !r.GetSignedVarint(&b.min) || !r.GetSignedVarint(&b.max) || !r.GetFixed32(&b.crc) ||
        b.offset > index_offset || b.size > index_offset - b.offset) {
      return DataLossError("corrupt column index entry: " + file.path());
    }
  }
  return index;
}

StatusOr<std::string> ReadColumnBlock(const ReadOnlyFile& file, const BlockInfo& block) {
  HOGLET_ASSIGN_OR_RETURN(std::string compressed, file.ReadAt(block.offset, block.size));
  if (Crc32(compressed) != block.crc) {
    return DataLossError("column block checksum mismatch in " + file.path() + " at offset " +
                         std::to_string(block.offset));
  }
  StatusOr<std::string> raw = DecompressBlock(compressed);
  if (!raw.ok()) return raw.status().WithContext(file.path());
  return raw;
}

}  // namespace hoglet::store
