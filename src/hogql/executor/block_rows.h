// The rows of one block of the events table as HogQL expressions read them (expression.h's
// RowSource): each column, property and person property decoded on first use, the persons
// resolved at query time (query/event_persons.h) and their properties read in one batch. The
// executor runs queries over it; insights evaluate their HogQL breakdowns through it
// (row_expression_compiler.h).
//
// Example:
//   BlockRows rows(block, plan, context, team_id);
//   rows.set_row(7);
//   Value v = Evaluate(plan.select[0], {.zone = &zone, .row = &rows});
//   HOGLET_RETURN_IF_ERROR(rows.status());
//
// Not thread-safe: one per block, used by the thread scanning it. A read that fails gives NULL
// and leaves its error in status(), which the caller checks after the rows.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "hogql/executor/executor.h"
#include "hogql/executor/expression.h"
#include "hogql/executor/plan.h"
#include "store/block_reader.h"

namespace hoglet::hogql {

class BlockRows final : public RowSource {
 public:
  // `plan` names the property slots; `context` gives the persons and their properties. Both must
  // outlive this object.
  BlockRows(store::BlockReader* block, const PlannedQuery& plan, const HogQLRunContext& context,
            int64_t team_id);

  void set_row(size_t row) { row_ = row; }
  // The first error of a read, Ok when every read succeeded.
  const Status& status() const { return status_; }

  Value Column(EventColumn column) override;
  // The current row's entry in the block's dictionary of a dictionary-coded column (kEvent,
  // kDistinctId): rows with the same entry hold the same value. nullopt for other columns and
  // when the column cannot be read (status() says why).
  std::optional<uint32_t> DictionaryCode(EventColumn column);
  Value Property(size_t slot, PropertyRead read) override;
  Value PersonProperty(size_t slot) override;

 private:
  template <typename T>
  bool Load(StatusOr<T> loaded, T* out) {
    if (!loaded.ok()) {
      if (status_.ok()) status_ = loaded.status();
      return false;
    }
    *out = *loaded;
    return true;
  }

  // The block's dictionary-coded column (kEvent, kDistinctId), read at the first call; null for
  // other columns and when it cannot be read (status() says why).
  const store::DictStrings* Dictionary(EventColumn column);
  bool ResolvePersons();

  store::BlockReader* const block_;
  const int64_t team_id_;
  const PlannedQuery& plan_;
  const HogQLRunContext& context_;
  size_t row_ = 0;
  Status status_ = Status::Ok();
  const store::DictStrings* names_ = nullptr;
  const std::vector<int64_t>* timestamps_ = nullptr;
  const store::DictStrings* distinct_ids_ = nullptr;
  const std::vector<Uuid>* uuids_ = nullptr;
  const std::vector<int64_t>* created_ats_ = nullptr;
  const std::vector<int64_t>* person_modes_ = nullptr;
  const std::vector<std::string>* properties_json_ = nullptr;
  const std::vector<Uuid>* persons_ = nullptr;  // resolved: the block's, or moved_
  std::vector<Uuid> moved_;
  bool person_properties_loaded_ = false;
  std::vector<const store::PropertyColumnData*> properties_;
  std::vector<bool> properties_loaded_;
};

}  // namespace hoglet::hogql
