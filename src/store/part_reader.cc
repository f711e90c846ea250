#include "store/part_reader.h"

#include <algorithm>
#include <unordered_map>

#include "base/logging.h"
#include "store/fixed_columns.h"
#include "store/json_objects_column.h"
#include "store/property_keys.h"
#include "store/store_layout.h"

namespace hoglet::store {

Part::Part(fs::Env* env, std::string dir, PartMeta meta, std::shared_ptr<BlockCache> blocks)
    : env_(env),
      dir_(std::move(dir)),
      meta_(std::move(meta)),
      blocks_(std::move(blocks)),
      serial_([] {
        static std::atomic<uint64_t> next{1};
        return next.fetch_add(1);
      }()) {}

StatusOr<std::shared_ptr<Part>> Part::Open(fs::Env* env, std::string dir,
                                           std::shared_ptr<BlockCache> blocks) {
  StatusOr<std::string> data = fs::ReadFileToString(env, dir + "/" + std::string(kPartMetaFile));
  if (!data.ok()) return DataLossError("part " + dir + " has no readable meta file");
  StatusOr<PartMeta> meta = DecodePartMeta(*data);
  if (!meta.ok()) return meta.status().WithContext(dir);
  // Each file ends where the last of its columns' trailers ends (version 2: one file, version
  // 1: a file per column).
  std::map<std::string, uint64_t> file_ends;
  for (const ColumnMeta& column : meta->columns) {
    uint64_t& end = file_ends[column.file];
    end = std::max(end, column.end);
  }
  for (const auto& [name, end] : file_ends) {
    const std::string path = dir + "/" + name;
    StatusOr<ReadOnlyFile> file = ReadOnlyFile::Open(env, path);
    if (!file.ok() || file->size() != end) {
      return DataLossError("column file " + path + " is missing or has the wrong size");
    }
  }
  if (meta->FindColumn(kTimestampColumn, ColumnType::kInt64) == nullptr) {
    return DataLossError("part " + dir + " has no timestamp column");
  }
  return std::shared_ptr<Part>(
      new Part(env, std::move(dir), std::move(meta).value(), std::move(blocks)));
}

Part::~Part() {
  if (blocks_ != nullptr) blocks_->Forget(serial_);
  if (!obsolete_.load()) return;
  Status removed = RemovePartDir(env_, dir_);
  if (!removed.ok()) {
    LogWarning("could not remove merged-away part " + dir_ + " (" + removed.ToString() +
               "); it is discarded again at the next start");
  }
}

StatusOr<std::shared_ptr<const ColumnIndex>> Part::TimestampIndex() const {
  return Index(*meta_.FindColumn(kTimestampColumn, ColumnType::kInt64));
}

StatusOr<std::shared_ptr<const ColumnIndex>> Part::Index(const ColumnMeta& column) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = indexes_.find({column.file, column.end});
    if (it != indexes_.end()) return it->second;
  }
  HOGLET_ASSIGN_OR_RETURN(ReadOnlyFile file, ReadOnlyFile::Open(env_, dir_ + "/" + column.file));
  HOGLET_ASSIGN_OR_RETURN(ColumnIndex index, ReadColumnIndex(file, column.end));
  uint64_t rows = 0;
  for (const BlockInfo& b : index.blocks) rows += b.rows;
  if (rows != meta_.row_count) {
    return DataLossError("column " + column.name + " of " + file.path() + " holds " +
                         std::to_string(rows) + " rows, meta says " +
                         std::to_string(meta_.row_count));
  }
  auto shared = std::make_shared<const ColumnIndex>(std::move(index));
  std::lock_guard<std::mutex> lock(mu_);
  indexes_.emplace(std::make_pair(column.file, column.end), shared);
  return shared;
}

StatusOr<std::string> PartCursor::RawBlock(const ColumnMeta& column, size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const ColumnIndex> index, part_.Index(column));
  if (block >= index->blocks.size()) {
    return DataLossError("column " + column.name + " of " + part_.dir() + " lacks block " +
                         std::to_string(block));
  }
  auto it = files_.find(column.file);
  if (it == files_.end()) {
    HOGLET_ASSIGN_OR_RETURN(ReadOnlyFile file,
                            ReadOnlyFile::Open(part_.env(), part_.dir() + "/" + column.file));
    it = files_.emplace(column.file, std::move(file)).first;
  }
  return ReadColumnBlock(it->second, index->blocks[block]);
}

StatusOr<std::string> PartCursor::FixedBlock(std::string_view name, ColumnType type, size_t block) {
  const ColumnMeta* column = part_.meta().FindColumn(name, type);
  if (column == nullptr) {
    return DataLossError("part " + part_.dir() + " lacks column " + std::string(name));
  }
  return RawBlock(*column, block);
}

StatusOr<std::vector<Uuid>> PartCursor::Uuids(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw, FixedBlock(kUuidColumn, ColumnType::kUuid, block));
  return DecodeUuidBlock(raw);
}

StatusOr<DictStrings> PartCursor::EventNames(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw,
                          FixedBlock(kEventColumn, ColumnType::kDictString, block));
  return DecodeDictStringBlock(raw);
}

StatusOr<DictStrings> PartCursor::DistinctIds(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw,
                          FixedBlock(kDistinctIdColumn, ColumnType::kDictString, block));
  return DecodeDictStringBlock(raw);
}

StatusOr<std::vector<Uuid>> PartCursor::PersonIds(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw, FixedBlock(kPersonIdColumn, ColumnType::kUuid, block));
  return DecodeUuidBlock(raw);
}

StatusOr<std::vector<int64_t>> PartCursor::Timestamps(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw, FixedBlock(kTimestampColumn, ColumnType::kInt64, block));
  return DecodeInt64Block(raw);
}

StatusOr<std::vector<int64_t>> PartCursor::CreatedAts(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw, FixedBlock(kCreatedAtColumn, ColumnType::kInt64, block));
  return DecodeInt64Block(raw);
}

StatusOr<std::vector<std::string>> PartCursor::Properties(size_t block) {
  // Parts of versions 1 and 2 keep them as text.
  if (part_.meta().FindColumn(kPropertiesColumn, ColumnType::kText) != nullptr) {
    HOGLET_ASSIGN_OR_RETURN(std::string raw,
                            FixedBlock(kPropertiesColumn, ColumnType::kText, block));
    return DecodeTextBlock(raw);
  }
  HOGLET_ASSIGN_OR_RETURN(std::string raw,
                          FixedBlock(kPropertiesColumn, ColumnType::kPropertyKeys, block));
  HOGLET_ASSIGN_OR_RETURN(PropertyKeysBlock keys, DecodePropertyKeysBlock(raw));
  // The columns of the keys the block's lists name, each decoded once (a key without a column is
  // WritePropertiesJson's kDataLoss).
  std::vector<std::unique_ptr<PropertyColumnData>> decoded;
  std::unordered_map<std::string_view, const PropertyColumnData*> columns;
  for (const std::vector<std::string>& list : keys.lists) {
    for (const std::string& key : list) {
      if (columns.contains(key)) continue;
      HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<PropertyColumnData> column, Property(key, block));
      columns.emplace(key,
                      column != nullptr ? decoded.emplace_back(std::move(column)).get() : nullptr);
    }
  }
  StatusOr<std::vector<std::string>> out = WritePropertiesJson(keys, columns);
  if (!out.ok()) {
    return out.status().WithContext("block " + std::to_string(block) + " of " + part_.dir());
  }
  return out;
}

StatusOr<std::vector<std::string>> PartCursor::PersonProperties(size_t block) {
  // Parts of versions 1 and 2 keep them as text.
  if (part_.meta().FindColumn(kPersonPropertiesColumn, ColumnType::kText) != nullptr) {
    HOGLET_ASSIGN_OR_RETURN(std::string raw,
                            FixedBlock(kPersonPropertiesColumn, ColumnType::kText, block));
    return DecodeTextBlock(raw);
  }
  HOGLET_ASSIGN_OR_RETURN(std::string raw,
                          FixedBlock(kPersonPropertiesColumn, ColumnType::kJsonObjects, block));
  StatusOr<std::vector<std::string>> out = DecodeJsonObjectsBlock(raw);
  if (!out.ok()) {
    return out.status().WithContext("block " + std::to_string(block) + " of " + part_.dir());
  }
  return out;
}

StatusOr<std::vector<int64_t>> PartCursor::PersonCreatedAts(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw,
                          FixedBlock(kPersonCreatedAtColumn, ColumnType::kInt64, block));
  return DecodeInt64Block(raw);
}

StatusOr<std::vector<int64_t>> PartCursor::PersonModes(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::string raw,
                          FixedBlock(kPersonModeColumn, ColumnType::kInt64, block));
  return DecodeInt64Block(raw);
}

StatusOr<std::unique_ptr<PropertyColumnData>> PartCursor::Property(std::string_view key,
                                                                   size_t block) {
  const ColumnMeta* column = part_.meta().FindColumn(key, ColumnType::kProperty);
  if (column == nullptr) return std::unique_ptr<PropertyColumnData>();
  HOGLET_ASSIGN_OR_RETURN(std::string raw, RawBlock(*column, block));
  HOGLET_ASSIGN_OR_RETURN(PropertyColumnData data, PropertyColumnData::Decode(raw));
  return std::make_unique<PropertyColumnData>(std::move(data));
}

StatusOr<std::vector<Event>> PartCursor::ReadEvents(size_t block) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<Uuid> uuids, Uuids(block));
  HOGLET_ASSIGN_OR_RETURN(DictStrings names, EventNames(block));
  HOGLET_ASSIGN_OR_RETURN(DictStrings distinct_ids, DistinctIds(block));
  HOGLET_ASSIGN_OR_RETURN(std::vector<Uuid> person_ids, PersonIds(block));
  HOGLET_ASSIGN_OR_RETURN(std::vector<int64_t> timestamps, Timestamps(block));
  HOGLET_ASSIGN_OR_RETURN(std::vector<int64_t> created_ats, CreatedAts(block));
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> properties, Properties(block));
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> person_properties, PersonProperties(block));
  HOGLET_ASSIGN_OR_RETURN(std::vector<int64_t> person_created_ats, PersonCreatedAts(block));
  HOGLET_ASSIGN_OR_RETURN(std::vector<int64_t> person_modes, PersonModes(block));
  size_t rows = uuids.size();
  if (names.size() != rows || distinct_ids.size() != rows || person_ids.size() != rows ||
      timestamps.size() != rows || created_ats.size() != rows || properties.size() != rows ||
      person_properties.size() != rows || person_created_ats.size() != rows ||
      person_modes.size() != rows) {
    return DataLossError("columns of block " + std::to_string(block) + " of " + part_.dir() +
                         " disagree on the row count");
  }
  std::vector<Event> events(rows);
  for (size_t i = 0; i < rows; ++i) {
    Event& e = events[i];
    e.uuid = uuids[i];
    e.team_id = part_.meta().team_id;
    e.event = names.at(i);
    e.distinct_id = distinct_ids.at(i);
    e.person_id = person_ids[i];
    e.timestamp_us = timestamps[i];
    e.created_at_us = created_ats[i];
    e.properties = std::move(properties[i]);
    e.person_properties = std::move(person_properties[i]);
    e.person_created_at_us = person_created_ats[i];
    e.person_mode = person_modes[i];
  }
  return events;
}

}  // namespace hoglet::store
