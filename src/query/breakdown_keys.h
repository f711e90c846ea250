// The breakdown keys of a trends series' events (analytics §3.1): per event, the key of the line
// it counts in. A property breakdown gives one key per event: the property's value (of the event,
// its person now or one of its groups) or a HogQL expression's (query/row_expression.h), missing,
// null and "" read as the null label, a numeric value put into its histogram bin when the
// breakdown asks for bins; several properties (breakdownFilter.breakdowns) give the JSON array of
// their labels (BreakdownKey). With normalize_url, a property's value is read as a URL and
// loses its trailing '/', '?' and '#' characters (NormalizeBreakdownUrl). A cohort breakdown gives
// one key per listed cohort the event's person belongs to now, none when it is in none.
//
// Histogram bins are PostHog's: `n` bins of equal width between the smallest and the largest value
// of the series' events, bin x = [d/n*x + min, d/n*(x+1) + min) with d = max - min, the last one
// widened by 0.01 so that it holds the largest value; a value's key is its bin as "[lo,hi]"
// (numbers in shortest form, "[1,5.5]"), the null label when it is not a number. The bounds come
// from a first pass over the series' events (AddToBins), before the keys are read.
//
// Example (per series):
//   BreakdownScan keys(&breakdown, &expressions, context.cohorts, context.person_properties);
//   if (keys.needs_bins()) { for each block: keys.AddToBins(block, &rows, selected); }
//   for each block: HOGLET_ASSIGN_OR_RETURN(BlockKeys block_keys, keys.Open(block, &rows,
//   selected));
//                   for each row: HOGLET_ASSIGN_OR_RETURN(const std::vector<std::string>* row_keys,
//                                                         block_keys.KeysOf(row));
//
// Not thread-safe: one BreakdownScan per series scan, used by the thread running it.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/property_value.h"
#include "query/aggregate.h"
#include "query/cohort_membership.h"
#include "query/event_persons.h"
#include "query/event_rows.h"
#include "query/row_expression.h"
#include "query/trends_query.h"
#include "store/block_reader.h"

namespace hoglet::query {

// A person or group property as a breakdown reads it: nullopt for missing, null and "" (the
// null label's values).
std::optional<std::string> BreakdownPropertyText(const filters::Properties& properties,
                                                 const std::string& key);

// breakdown_normalize_url's reading of a value (PostHog's `trimRight(value, '/?#')`, "/" when
// nothing is left): "https://a.io/b/?" -> "https://a.io/b", "/" -> "/", "" -> "/". A query string
// or fragment with other characters stays ("/b?x=1" is kept whole).
std::string NormalizeBreakdownUrl(std::string_view value);

// The smallest and largest value of a histogram breakdown over a series' events, and its bins.
class HistogramBins {
 public:
  void Add(double value);
  // "[lo,hi]" of the bin of `value` among `count` bins; nullopt when no bin holds it (no value
  // was added, or it lies outside them).
  std::optional<std::string> LabelOf(double value, int count) const;

 private:
  std::optional<double> min_;
  std::optional<double> max_;
};

class BlockKeys;

class BreakdownScan {
 public:
  // `breakdown` null: every event's key is "". `hogql` holds, per property of the breakdown, its
  // compiled expression (null for the properties that are not HogQL); it may be null when none is.
  // `cohorts` and `persons` are needed by a cohort breakdown. All must outlive the scan.
  BreakdownScan(const Breakdown* breakdown,
                const std::vector<std::unique_ptr<RowExpression>>* hogql, CohortMembership* cohorts,
                PersonProperties* persons);

  // Whether the keys need a first pass over the events (histogram bins).
  bool needs_bins() const;
  // The first pass: the values of the selected rows widen the histograms' bounds.
  Status AddToBins(store::BlockReader* block, EventRows* rows, const store::RowSelection& selected);

  // Reads what the keys of the block's selected rows need (columns, expressions, persons).
  StatusOr<BlockKeys> Open(store::BlockReader* block, EventRows* rows,
                           const store::RowSelection& selected);

  // The keys of a cohort breakdown for `person`: its cohorts among the listed ones
  // (kInvalidArgument for a cohort the project does not have).
  StatusOr<const std::vector<std::string>*> CohortKeysOf(const Uuid& person,
                                                         const filters::Properties& properties);
  // The same, reading the person's properties.
  StatusOr<const std::vector<std::string>*> CohortKeysOf(const Uuid& person);

  const Breakdown* breakdown() const { return breakdown_; }

 private:
  friend class BlockKeys;

  const Breakdown* breakdown_;
  const std::vector<std::unique_ptr<RowExpression>>* hogql_;
  CohortMembership* cohorts_;
  PersonProperties* persons_;
  std::vector<HistogramBins> bins_;  // per property
  bool cohort_persons_ = false;      // a listed cohort other than "all": membership reads persons
  std::unordered_map<Uuid, std::vector<std::string>, UuidHash> cohort_keys_;
  // A breakdown by person properties only: the key of each set of properties keyed so far
  // (PersonProperties hands the same set to the persons that share it, and each person's set
  // lives as long as the scan).
  std::unordered_map<const filters::Properties*, std::vector<std::string>> person_keys_;
};

// The keys of one block's rows.
class BlockKeys {
 public:
  // The keys of a selected row: exactly one for a property breakdown (and "" without a
  // breakdown), any number for a cohort breakdown. Valid until the next call (rows with the same
  // person's properties, or the same value of the block's column, share one list kept apart).
  StatusOr<const std::vector<std::string>*> KeysOf(size_t row);
  // Whether each list KeysOf answers keeps its keys for as long as the block is scanned, so that
  // one address is one list (no breakdown, a breakdown by person properties or by one event
  // property); otherwise a list may be rewritten by the next call.
  bool lists_stable() const { return scan_->breakdown_ == nullptr || by_person_ || by_slot_; }

 private:
  friend class BreakdownScan;
  BlockKeys(BreakdownScan* scan, EventRows* rows) : scan_(scan), rows_(rows) {}

  // The key of a property breakdown's row, read from its properties.
  StatusOr<std::string> KeyOf(size_t row);
  // The text of property `i` on `row`; nullopt for missing, null and "" (a normalized URL is
  // "/" for "").
  StatusOr<std::optional<std::string>> TextOf(size_t i, size_t row);
  // The same before normalizing, "" kept.
  StatusOr<std::optional<std::string>> ValueOf(size_t i, size_t row);

  BreakdownScan* scan_;
  EventRows* rows_;
  std::vector<const store::PropertyColumnData*> columns_;  // per property; null: not an event's
  std::vector<std::vector<std::optional<std::string>>> hogql_values_;  // per property
  // The rows' persons, for cohort breakdowns.
  const std::vector<Uuid>* persons_ = nullptr;
  std::vector<std::string> labels_;
  std::vector<std::string> row_keys_;  // what KeysOf answered last, when not kept apart
  // By person properties only: the keys depend on the person's properties alone (kept in the
  // scan's person_keys_); those of the last properties asked.
  bool by_person_ = false;
  const filters::Properties* last_properties_ = nullptr;
  const std::vector<std::string>* last_keys_ = nullptr;
  // By one event property: the keys depend on the row's slot of the block's column alone
  // (store/property_column.h), kept per slot once read (null: not yet).
  bool by_slot_ = false;
  std::vector<const std::vector<std::string>*> slot_keys_;
  const std::vector<std::string>* null_slot_keys_ = nullptr;  // absent and null rows
  std::deque<std::vector<std::string>> slot_key_lists_;       // what slot_keys_ point at
};

}  // namespace hoglet::query
