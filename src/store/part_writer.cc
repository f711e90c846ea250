#include "store/part_writer.h"

#include <algorithm>

#include "store/event_order.h"
#include "store/fixed_columns.h"
#include "store/json_objects_column.h"

namespace hoglet::store {
namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& values) {
  return std::vector<std::string_view>(values.begin(), values.end());
}

}  // namespace

PartWriter::PartWriter(std::string dir, PartMeta meta, const PartWriterOptions& options)
    : dir_(std::move(dir)), meta_(std::move(meta)), options_(options) {
  if (options_.block_rows == 0) options_.block_rows = 8192;
  if (options_.env == nullptr) options_.env = fs::Env::Default();
}

StatusOr<std::unique_ptr<PartWriter>> PartWriter::Create(std::string dir, PartMeta meta,
                                                         const PartWriterOptions& options) {
  std::unique_ptr<PartWriter> writer(new PartWriter(std::move(dir), std::move(meta), options));
  fs::Env* env = writer->options_.env;
  if (env->FileExists(writer->dir_)) {
    return InternalError("part directory " + writer->dir_ + " exists already");
  }
  HOGLET_RETURN_IF_ERROR(env->CreateDir(writer->dir_));
  writer->sink_ =
      std::make_unique<ColumnSink>(env, writer->dir_ + "/" + std::string(kPartColumnsFile));
  const std::pair<std::string_view, ColumnType> fixed[] = {
      {kUuidColumn, ColumnType::kUuid},
      {kEventColumn, ColumnType::kDictString},
      {kDistinctIdColumn, ColumnType::kDictString},
      {kPersonIdColumn, ColumnType::kUuid},
      {kTimestampColumn, ColumnType::kInt64},
      {kCreatedAtColumn, ColumnType::kInt64},
      {kPropertiesColumn, ColumnType::kPropertyKeys},
      {kPersonPropertiesColumn, ColumnType::kJsonObjects},
      {kPersonCreatedAtColumn, ColumnType::kInt64},
      {kPersonModeColumn, ColumnType::kInt64}};
  for (const auto& [name, type] : fixed) {
    writer->fixed_writers_.push_back(std::make_unique<ColumnFileWriter>(writer->sink_.get()));
    writer->meta_.columns.push_back({std::string(name), type, std::string(kPartColumnsFile), 0});
  }
  writer->meta_.format_version = kPartFormatVersion;
  writer->meta_.block_rows = writer->options_.block_rows;
  writer->meta_.row_count = 0;
  writer->meta_.property_overflow = false;
  return writer;
}

StatusOr<PartWriter::PropertyColumn*> PartWriter::ColumnFor(const std::string& key) {
  auto it = property_index_.find(key);
  if (it != property_index_.end()) return &property_columns_[it->second];
  if (property_columns_.size() >= options_.max_property_columns) return nullptr;
  size_t index = property_columns_.size();
  PropertyColumn column;
  column.key = key;
  column.writer = std::make_unique<ColumnFileWriter>(sink_.get());
  // Blocks written before the key first appeared hold no value for it.
  for (uint64_t rows : full_block_rows_) {
    PropertyColumnData empty;
    for (uint64_t i = 0; i < rows; ++i) empty.AppendAbsent();
    HOGLET_RETURN_IF_ERROR(column.writer->AddBlock(empty.Encode(), Codec::kLz4, rows, 0, 0));
  }
  property_columns_.push_back(std::move(column));
  property_index_.emplace(key, index);
  return &property_columns_.back();
}

Status PartWriter::Add(const Event& event) {
  if (finished_) return InternalError("PartWriter::Add after Finish");
  if (event.team_id != meta_.team_id || DayOf(event.timestamp_us) != meta_.day) {
    return InternalError("event of team " + std::to_string(event.team_id) +
                         " does not belong in part of team " + std::to_string(meta_.team_id) +
                         ", day " + std::to_string(meta_.day));
  }
  if (has_last_ && StorageOrderLess(event, last_)) {
    return InternalError("events added to a part out of storage order");
  }
  last_.person_id = event.person_id;
  last_.timestamp_us = event.timestamp_us;
  last_.uuid = event.uuid;
  has_last_ = true;

  if (meta_.row_count == 0) {
    meta_.min_timestamp_us = meta_.max_timestamp_us = event.timestamp_us;
    meta_.min_created_at_us = meta_.max_created_at_us = event.created_at_us;
  } else {
    meta_.min_timestamp_us = std::min(meta_.min_timestamp_us, event.timestamp_us);
    meta_.max_timestamp_us = std::max(meta_.max_timestamp_us, event.timestamp_us);
    meta_.min_created_at_us = std::min(meta_.min_created_at_us, event.created_at_us);
    meta_.max_created_at_us = std::max(meta_.max_created_at_us, event.created_at_us);
  }
  ++meta_.row_count;

  size_t row = uuids_.size();
  uuids_.push_back(event.uuid);
  events_.push_back(event.event);
  distinct_ids_.push_back(event.distinct_id);
  person_ids_.push_back(event.person_id);
  timestamps_.push_back(event.timestamp_us);
  created_ats_.push_back(event.created_at_us);
  person_properties_.push_back(event.person_properties);
  person_created_ats_.push_back(event.person_created_at_us);
  person_modes_.push_back(event.person_mode);
  block_text_bytes_ += event.event.size() + event.distinct_id.size() + event.properties.size() +
                       event.person_properties.size();

  // Properties that are not a JSON object are kept as text and give no columns. Otherwise the
  // properties' columns hold the values, and the text only the rows they would not give back.
  if (keyed_.Parse(event.properties)) {
    bool by_keys = keyed_.written_back();
    for (auto& [key, value] : keyed_.properties()) {
      HOGLET_ASSIGN_OR_RETURN(PropertyColumn * column, ColumnFor(key));
      if (column == nullptr) {
        meta_.property_overflow = true;
        by_keys = false;
        continue;
      }
      while (column->data.rows() < row) column->data.AppendAbsent();
      column->data.Append(std::move(value));
    }
    if (by_keys) {  // AddKeys reads the keys only
      property_keys_.AddKeys(keyed_.refs());
    } else {
      property_keys_.AddText(event.properties);
    }
  } else {
    property_keys_.AddText(event.properties);
  }
  if (uuids_.size() >= options_.block_rows || block_text_bytes_ >= options_.block_bytes) {
    return FlushBlock();
  }
  return Status::Ok();
}

Status PartWriter::FlushBlock() {
  size_t rows = uuids_.size();
  if (rows == 0) return Status::Ok();
  auto [ts_min, ts_max] = std::minmax_element(timestamps_.begin(), timestamps_.end());
  auto [ca_min, ca_max] = std::minmax_element(created_ats_.begin(), created_ats_.end());
  HOGLET_RETURN_IF_ERROR(
      fixed_writers_[0]->AddBlock(EncodeUuidBlock(uuids_), Codec::kLz4, rows, 0, 0));
  HOGLET_RETURN_IF_ERROR(
      fixed_writers_[1]->AddBlock(EncodeDictStringBlock(Views(events_)), Codec::kZstd, rows, 0, 0));
  HOGLET_RETURN_IF_ERROR(fixed_writers_[2]->AddBlock(EncodeDictStringBlock(Views(distinct_ids_)),
                                                     Codec::kZstd, rows, 0, 0));
  HOGLET_RETURN_IF_ERROR(
      fixed_writers_[3]->AddBlock(EncodeUuidBlock(person_ids_), Codec::kLz4, rows, 0, 0));
  HOGLET_RETURN_IF_ERROR(fixed_writers_[4]->AddBlock(EncodeInt64Block(timestamps_), Codec::kLz4,
                                                     rows, *ts_min, *ts_max));
  HOGLET_RETURN_IF_ERROR(fixed_writers_[5]->AddBlock(EncodeInt64Block(created_ats_), Codec::kLz4,
                                                     rows, *ca_min, *ca_max));
  HOGLET_RETURN_IF_ERROR(
      fixed_writers_[6]->AddBlock(property_keys_.Encode(), Codec::kZstd, rows, 0, 0));
  HOGLET_RETURN_IF_ERROR(fixed_writers_[7]->AddBlock(
      EncodeJsonObjectsBlock(Views(person_properties_)), Codec::kZstd, rows, 0, 0));
  HOGLET_RETURN_IF_ERROR(
      fixed_writers_[8]->AddBlock(EncodeInt64Block(person_created_ats_), Codec::kLz4, rows, 0, 0));
  HOGLET_RETURN_IF_ERROR(
      fixed_writers_[9]->AddBlock(EncodeInt64Block(person_modes_), Codec::kLz4, rows, 0, 0));
  for (PropertyColumn& column : property_columns_) {
    while (column.data.rows() < rows) column.data.AppendAbsent();
    HOGLET_RETURN_IF_ERROR(
        column.writer->AddBlock(column.data.Encode(), column.data.PreferredCodec(), rows, 0, 0));
    column.data.Clear();
  }
  full_block_rows_.push_back(rows);
  uuids_.clear();
  events_.clear();
  distinct_ids_.clear();
  person_ids_.clear();
  timestamps_.clear();
  created_ats_.clear();
  property_keys_.Clear();
  person_properties_.clear();
  person_created_ats_.clear();
  person_modes_.clear();
  block_text_bytes_ = 0;
  return Status::Ok();
}

StatusOr<PartMeta> PartWriter::Finish() {
  if (finished_) return InternalError("PartWriter::Finish called twice");
  finished_ = true;
  HOGLET_RETURN_IF_ERROR(FlushBlock());
  for (size_t i = 0; i < fixed_writers_.size(); ++i) {
    HOGLET_ASSIGN_OR_RETURN(meta_.columns[i].end, fixed_writers_[i]->Finish());
  }
  for (PropertyColumn& column : property_columns_) {
    ColumnMeta meta{column.key, ColumnType::kProperty, std::string(kPartColumnsFile), 0};
    HOGLET_ASSIGN_OR_RETURN(meta.end, column.writer->Finish());
    meta_.columns.push_back(std::move(meta));
  }
  if (options_.fsync) HOGLET_RETURN_IF_ERROR(sink_->Sync());
  HOGLET_RETURN_IF_ERROR(fs::WriteFile(options_.env, dir_ + "/" + std::string(kPartMetaFile),
                                       EncodePartMeta(meta_), options_.fsync));
  if (options_.fsync) HOGLET_RETURN_IF_ERROR(options_.env->SyncDir(dir_));
  return meta_;
}

Status PublishPart(fs::Env* env, const std::string& tmp_dir, const std::string& final_dir,
                   bool sync) {
  HOGLET_RETURN_IF_ERROR(env->RenameFile(tmp_dir, final_dir));
  if (sync) HOGLET_RETURN_IF_ERROR(env->SyncDir(fs::DirName(final_dir)));
  return Status::Ok();
}

}  // namespace hoglet::store
