// The meta file of a part (`<part dir>/meta`): what the part holds and how to read it.
//
//   u32 magic "HGPM" | u32 format version | body | u32 CRC-32 of everything before it
//
// The body (varints unless noted) is listed field by field in EncodePartMeta and in
// docs/event-store.md. A part directory without a valid meta file is not a part: readers
// report kDataLoss for it; the store's recovery removes it only when it is a temporary directory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/column_type.h"
#include "store/event_store.h"

namespace hoglet::store {

// Version 3 keeps the properties JSON by its keys' order (store/property_keys.h) and the person
// properties by key (store/json_objects_column.h) instead of as text; version 2 kept every column
// in one file, `columns`; version 1 one file per column. Parts of every version are read, and
// merged into version 3 parts like any other.
inline constexpr uint32_t kPartFormatVersion = 3;
inline constexpr uint32_t kOldestPartFormatVersion = 1;
inline constexpr std::string_view kPartMetaFile = "meta";
inline constexpr std::string_view kPartColumnsFile = "columns";

// Names of the fixed columns (one per Event field except team_id, which the directory implies).
inline constexpr std::string_view kUuidColumn = "uuid";
inline constexpr std::string_view kEventColumn = "event";
inline constexpr std::string_view kDistinctIdColumn = "distinct_id";
inline constexpr std::string_view kPersonIdColumn = "person_id";
inline constexpr std::string_view kTimestampColumn = "timestamp_us";
inline constexpr std::string_view kCreatedAtColumn = "created_at_us";
inline constexpr std::string_view kPropertiesColumn = "properties";
inline constexpr std::string_view kPersonPropertiesColumn = "person_properties";
inline constexpr std::string_view kPersonCreatedAtColumn = "person_created_at_us";
inline constexpr std::string_view kPersonModeColumn = "person_mode";

struct ColumnMeta {
  std::string name;  // fixed column name, or the property key for kProperty columns
  ColumnType type = ColumnType::kProperty;
  std::string file;  // file name inside the part directory
  uint64_t end = 0;  // where the column's trailer ends in `file` (column_file.h)

  friend bool operator==(const ColumnMeta&, const ColumnMeta&) = default;
};

struct PartMeta {
  uint32_t format_version = kPartFormatVersion;
  uint64_t part_id = 0;  // unique in the store, increasing with creation
  int64_t team_id = 0;
  int64_t day = 0;  // UTC days since 1970-01-01 of every row's timestamp
  uint64_t row_count = 0;
  uint64_t block_rows = 0;  // rows per block at most (blocks of large rows hold fewer)
  int64_t min_timestamp_us = 0;
  int64_t max_timestamp_us = 0;
  int64_t min_created_at_us = 0;
  int64_t max_created_at_us = 0;
  int64_t written_at_us = 0;  // store clock when the part was written
  // Log positions this part completes. Only the last part published by an Append carries the
  // Append's position, so a crash mid-Append never over-states DurableOffset.
  std::vector<LogPosition> positions;
  std::vector<uint64_t> replaces;  // ids of the parts a merge folded into this one
  // True when some property keys were beyond the per-part column cap and live only in the
  // properties JSON; false means a key without a column is absent from every row.
  bool property_overflow = false;
  std::vector<ColumnMeta> columns;  // fixed columns first, then property columns

  const ColumnMeta* FindColumn(std::string_view name, ColumnType type) const;
};

std::string EncodePartMeta(const PartMeta& meta);
// kDataLoss on a bad magic, checksum, unknown version or truncated body.
StatusOr<PartMeta> DecodePartMeta(std::string_view data);

}  // namespace hoglet::store
