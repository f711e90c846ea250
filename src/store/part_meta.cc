#include "store/part_meta.h"

#include "store/byte_codec.h"

namespace hoglet::store {
namespace {

constexpr uint32_t kMetaMagic = 0x4d504748;  // "HGPM" little-endian

}  // namespace

const ColumnMeta* PartMeta::FindColumn(std::string_view name, ColumnType type) const {
  for (const ColumnMeta& c : columns) {
    if (c.type == type && c.name == name) return &c;
  }
  return nullptr;
}

std::string EncodePartMeta(const PartMeta& meta) {
  ByteWriter w;
  w.PutFixed32(kMetaMagic);
  w.PutFixed32(meta.format_version);
  w.PutVarint(meta.part_id);
  w.PutSignedVarint(meta.team_id);
  w.PutSignedVarint(meta.day);
  w.PutVarint(meta.row_count);
  w.PutVarint(meta.block_rows);
  w.PutSignedVarint(meta.min_timestamp_us);
  w.PutSignedVarint(meta.max_timestamp_us);
  w.PutSignedVarint(meta.min_created_at_us);
  w.PutSignedVarint(meta.max_created_at_us);
  w.PutSignedVarint(meta.written_at_us);
  w.PutVarint(meta.positions.size());
  for (const LogPosition& p : meta.positions) {
    w.PutSignedVarint(p.partition);
    w.PutVarint(p.next_offset);
  }
  w.PutVarint(meta.replaces.size());
  for (uint64_t id : meta.replaces) w.PutVarint(id);
  w.PutU8(meta.property_overflow ? 1 : 0);
  w.PutVarint(meta.columns.size());
  for (const ColumnMeta& c : meta.columns) {
    w.PutString(c.name);
    w.PutU8(static_cast<uint8_t>(c.type));
    w.PutString(c.file);
    w.PutVarint(c.end);
  }
  w.PutFixed32(Crc32(w.data()));
  return std::move(w).Take();
}

StatusOr<PartMeta> DecodePartMeta(std::string_view data) {
  if (data.size() < 12) return DataLossError("part meta too short");
  ByteReader crc_reader(data.substr(data.size() - 4));
  uint32_t crc = 0;
  if (!crc_reader.GetFixed32(&crc) || crc != Crc32(data.substr(0, data.size() - 4))) {
    return DataLossError("part meta checksum mismatch");
  }
  ByteReader r(data.substr(0, data.size() - 4));
  PartMeta m;
  uint32_t magic = 0;
  if (!r.GetFixed32(&magic) || magic != kMetaMagic) return DataLossError("bad part meta magic");
  if (!r.GetFixed32(&m.format_version) || m.format_version < kOldestPartFormatVersion ||
      m.format_version > kPartFormatVersion) {
    return DataLossError("unsupported part format version " + std::to_string(m.format_version) +
                         " (this build reads versions " + std::to_string(kOldestPartFormatVersion) +
                         " to " + std::to_string(kPartFormatVersion) + ")");
  }
  uint64_t n_positions = 0, n_replaces = 0, n_columns = 0;
  uint8_t overflow = 0;
  bool ok = r.GetVarint(&m.part_id) && r.GetSignedVarint(&m.team_id) && r.GetSignedVarint(&m.day) &&
            r.GetVarint(&m.row_count) && r.GetVarint(&m.block_rows) &&
            r.GetSignedVarint(&m.min_timestamp_us) && r.GetSignedVarint(&m.max_timestamp_us) &&
            r.GetSignedVarint(&m.min_created_at_us) && r.GetSignedVarint(&m.max_created_at_us) &&
            r.GetSignedVarint(&m.written_at_us) && r.GetVarint(&n_positions) &&
            n_positions <= r.remaining();
  if (!ok) return DataLossError("truncated part meta header");
  for (uint64_t i = 0; i < n_positions; ++i) {
    int64_t partition = 0;
    LogPosition p;
    if (!r.GetSignedVarint(&partition) || !r.GetVarint(&p.next_offset)) {
      return DataLossError("truncated part meta positions");
    }
    p.partition = static_cast<int>(partition);
    m.positions.push_back(p);
  }
  if (!r.GetVarint(&n_replaces) || n_replaces > r.remaining()) {
    return DataLossError("truncated part meta replaces");
  }
  for (uint64_t i = 0; i < n_replaces; ++i) {
    uint64_t id = 0;
    if (!r.GetVarint(&id)) return DataLossError("truncated part meta replaces");
    m.replaces.push_back(id);
  }
  if (!r.GetU8(&overflow) || !r.GetVarint(&n_columns) || n_columns > r.remaining()) {
    return DataLossError("truncated part meta columns");
  }
  m.property_overflow = overflow != 0;
  for (uint64_t i = 0; i < n_columns; ++i) {
    ColumnMeta c;
    std::string_view name, file;
    uint8_t type = 0;
    if (!r.GetString(&name) || !r.GetU8(&type) || !r.GetString(&file) || !r.GetVarint(&c.end)) {
      return DataLossError("truncated part meta column list");
    }
    if (type < static_cast<uint8_t>(ColumnType::kUuid) ||
        type > static_cast<uint8_t>(ColumnType::kJsonObjects) || file.empty() ||
        file.find('/') != std::string_view::npos) {
      return DataLossError("bad column entry in part meta");
    }
    c.name.assign(name);
    c.type = static_cast<ColumnType>(type);
    c.file.assign(file);
    m.columns.push_back(std::move(c));
  }
  if (!r.empty()) return DataLossError("trailing bytes in part meta");
  return m;
}

}  // namespace hoglet::store
