// One block of one part, read for a scan: each column is decoded at most once, on first use, so
// a scan pays only for the columns it touches; a part with a cache of decoded blocks
// (store/block_cache.h) serves the columns it keeps from there (all but the properties JSON).
// Property filters (filters/filter_tree.h) narrow a selection of the block's rows on the typed
// columns, without copying values.
//
// A property key without a column in the part is absent from every row, unless the part overflowed
// its column cap (PartMeta::property_overflow): then the rows' properties JSON is parsed once for
// the key and the values are served as if they were a column.
//
// Values reach the filter model (filters/property_match.h) as they are stored: a number as its
// double and, for the text operators, its shortest round-trip text ("5", "1.5").
//
// Single-threaded: one reader per block per thread; `cursor` must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "filters/property_match.h"
#include "store/block_cache.h"
#include "store/part_reader.h"
#include "store/properties_parser.h"

namespace hoglet::store {

// A selection of a block's rows: one flag per row, non-zero when selected.
using RowSelection = std::vector<char>;

bool AnySelected(const RowSelection& rows);

class BlockReader final {
 public:
  BlockReader(const Part& part, size_t block, PartCursor* cursor)
      : part_(part), block_(block), cursor_(cursor) {}

  const Part& part() const { return part_; }
  size_t block() const { return block_; }

  // The columns of the block. Pointers stay valid as long as the reader.
  StatusOr<const std::vector<int64_t>*> Timestamps();
  StatusOr<const DictStrings*> EventNames();
  StatusOr<const DictStrings*> DistinctIds();
  StatusOr<const std::vector<Uuid>*> PersonIds();
  StatusOr<const std::vector<Uuid>*> Uuids();
  // When ingestion stored each row (UTC microseconds).
  StatusOr<const std::vector<int64_t>*> CreatedAts();
  // Each row's person mode: 0 full, 1 propertyless, 2 force_upgrade (store/event.h).
  StatusOr<const std::vector<int64_t>*> PersonModes();
  // Each row's properties as the JSON object text ingestion stored.
  StatusOr<const std::vector<std::string>*> PropertiesJson();
  // The values of property `key`; nullptr when no row of the block has the key.
  StatusOr<const PropertyColumnData*> Property(std::string_view key);

  // A value a layer above works out from the block (the numbers of its rows' persons), kept in
  // the part's cache of decoded blocks as a column is, under `name`, and computed by `compute`
  // when not there. The name says all the value depends on besides the block, and is no column's
  // (those are "timestamp", "event", "property:<key>" …).
  template <typename T>
  StatusOr<std::shared_ptr<const T>> Derived(std::string_view name,
                                             const std::function<StatusOr<T>()>& compute) {
    return Decoded<T>(name, compute);
  }

  // Narrows a selection by a filter of another type than event (a person filter): the caller
  // knows where those values live.
  using OtherLeaf = std::function<Status(const filters::PropertyFilter&, RowSelection*)>;

  // Unselects the rows for which `node` does not hold. Event filters are evaluated on the
  // block's property columns; filters of other types go to `other` (when null, they too are read
  // as event filters).
  Status Select(const filters::FilterNode& node, const filters::MatchContext& context,
                RowSelection* rows, const OtherLeaf* other = nullptr);

 private:
  Status SelectLeaf(const filters::PropertyFilter& filter, const filters::MatchContext& context,
                    RowSelection* rows);

  // Column `column` of the block from the part's cache of decoded blocks, decoded by `decode`
  // when not there (or when the part has no cache).
  template <typename T>
  StatusOr<std::shared_ptr<const T>> Decoded(std::string_view column,
                                             const std::function<StatusOr<T>()>& decode) {
    if (part_.blocks() != nullptr) {
      return part_.blocks()->Get<T>(part_.serial(), block_, column, decode);
    }
    HOGLET_ASSIGN_OR_RETURN(T decoded, decode());
    return std::make_shared<const T>(std::move(decoded));
  }

  const Part& part_;
  const size_t block_;
  PartCursor* const cursor_;
  std::shared_ptr<const std::vector<int64_t>> timestamps_;
  std::shared_ptr<const DictStrings> event_names_;
  std::shared_ptr<const DictStrings> distinct_ids_;
  std::shared_ptr<const std::vector<Uuid>> person_ids_;
  std::shared_ptr<const std::vector<Uuid>> uuids_;
  std::shared_ptr<const std::vector<int64_t>> created_ats_;
  std::shared_ptr<const std::vector<int64_t>> person_modes_;
  std::map<std::string, std::shared_ptr<const PropertyColumnData>, std::less<>> properties_;
  std::optional<std::vector<std::string>> properties_json_;
};

// A stored property value as the filter model reads it, borrowed: strings and JSON text are not
// copied; a number's text is formatted into a buffer the reference points into (valid until the
// next Read).
class PropertyValueReader final {
 public:
  const filters::PropertyValueRef* Read(const PropertyValue* value);

 private:
  filters::PropertyValueRef ref_;
  char number_text_[32];
};

}  // namespace hoglet::store
