// Writes one part: rows in, a complete part directory out (format in docs/event-store.md): the
// `columns` file holding every column, then `meta`.
//
// Usage:
//   HOGLET_ASSIGN_OR_RETURN(auto writer, PartWriter::Create(tmp_dir, meta, options));
//   for (const Event& e : sorted_events) HOGLET_RETURN_IF_ERROR(writer->Add(e));
//   HOGLET_ASSIGN_OR_RETURN(PartMeta meta, writer->Finish());
//   HOGLET_RETURN_IF_ERROR(PublishPart(env, tmp_dir, final_dir, options.fsync));
//
// Rows must arrive in storage order (event_order.h) and belong to the meta's team and day;
// anything else is kInternal (a bug of the caller). Rows stream through: only the current block
// of each column and a bounded amount of compressed output stay in memory, so merges of large
// parts do not hold them whole. Every top-level property key gets a typed column until
// `max_property_columns` keys exist; the properties JSON is kept by its keys' order
// (property_keys.h), and as text where that would not give it back: a row with a key beyond the
// columns (the meta then records property_overflow), a number or string written otherwise than
// the columns would write it. I/O errors are kUnavailable. Not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "fs/env.h"
#include "store/column_file.h"
#include "store/event.h"
#include "store/part_meta.h"
#include "store/property_column.h"
#include "store/property_keys.h"

namespace hoglet::store {

struct PartWriterOptions {
  // A block ends at `block_rows` rows or once its rows' text (event, distinct id, properties,
  // person properties) reaches `block_bytes`, whichever comes first: events of persons with
  // large properties make short blocks, so a reader decodes a bounded amount at a time.
  size_t block_rows = 8192;
  size_t block_bytes = size_t{4} << 20;
  size_t max_property_columns = 1000;
  bool fsync = true;
  fs::Env* env = nullptr;  // every file operation; nullptr: fs::Env::Default()
};

class PartWriter final {
 public:
  // Creates `dir` (which must not exist yet). `meta` supplies part_id, team_id, day,
  // written_at_us, positions and replaces; the writer fills in the rest.
  static StatusOr<std::unique_ptr<PartWriter>> Create(std::string dir, PartMeta meta,
                                                      const PartWriterOptions& options);

  Status Add(const Event& event);
  // Writes the last block, column indexes and the meta file; fsyncs every file and the directory
  // when options.fsync. The writer is spent afterwards.
  StatusOr<PartMeta> Finish();

 private:
  struct PropertyColumn {
    std::string key;
    PropertyColumnData data;
    std::unique_ptr<ColumnFileWriter> writer;
  };

  PartWriter(std::string dir, PartMeta meta, const PartWriterOptions& options);
  StatusOr<PropertyColumn*> ColumnFor(const std::string& key);
  Status FlushBlock();

  std::string dir_;
  PartMeta meta_;
  PartWriterOptions options_;
  KeyedProperties keyed_;  // the row's properties

  // Fixed columns of the current block.
  std::vector<Uuid> uuids_;
  std::vector<std::string> events_;
  std::vector<std::string> distinct_ids_;
  std::vector<Uuid> person_ids_;
  std::vector<int64_t> timestamps_;
  std::vector<int64_t> created_ats_;
  PropertyKeysBuilder property_keys_;
  std::vector<std::string> person_properties_;
  std::vector<int64_t> person_created_ats_;
  std::vector<int64_t> person_modes_;
  size_t block_text_bytes_ = 0;       // text of the current block's rows
  std::unique_ptr<ColumnSink> sink_;  // the part's `columns` file
  std::vector<std::unique_ptr<ColumnFileWriter>> fixed_writers_;  // in the order above

  std::vector<PropertyColumn> property_columns_;
  std::unordered_map<std::string, size_t> property_index_;
  std::vector<uint64_t> full_block_rows_;  // rows of each block already written
  bool has_last_ = false;
  Event last_;  // the previous row, for the order check (properties left empty)
  bool finished_ = false;
};

// Publishes a finished part: rename(tmp_dir, final_dir), then fsync of the parent directory when
// `sync`. After OK the part survives a crash.
Status PublishPart(fs::Env* env, const std::string& tmp_dir, const std::string& final_dir,
                   bool sync);

}  // namespace hoglet::store
