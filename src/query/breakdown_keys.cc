#include "query/breakdown_keys.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "query/trends_runner.h"
#include "store/column_type.h"

namespace hoglet::query {

namespace {

// A property's text, "" kept: nullopt only for missing and null.
std::optional<std::string> PropertyText(const filters::Properties& properties,
                                        const std::string& key) {
  auto found = properties.find(key);
  if (found == properties.end() || found->second.kind == filters::PropertyValue::Kind::kNull) {
    return std::nullopt;
  }
  return found->second.ToText();
}

}  // namespace

std::optional<std::string> BreakdownPropertyText(const filters::Properties& properties,
                                                 const std::string& key) {
  std::optional<std::string> text = PropertyText(properties, key);
  if (!text || text->empty()) return std::nullopt;
  return text;
}

std::string NormalizeBreakdownUrl(std::string_view value) {
  const size_t end = value.find_last_not_of("/?#");
  if (end == std::string_view::npos) return "/";
  return std::string(value.substr(0, end + 1));
}

namespace {

// A label's text as toFloat reads it; nullopt for what is not a finite number.
std::optional<double> NumberOf(const std::string& text) {
  double number = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [ptr, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || ptr != end || !std::isfinite(number)) return std::nullopt;
  return number;
}

// Bin x of `count` between `min` and `max`, computed as ClickHouse computes PostHog's bins, so
// that the bounds, and the bin a value falls in, are the same to the last bit.
std::pair<double, double> Bin(double min, double max, int count, int x) {
  const double width = (max - min) / static_cast<double>(count);
  const double lo = width * static_cast<double>(x) + min;
  double hi = width * static_cast<double>(x + 1) + min;
  if (x + 1 == count) hi += 0.01;
  return {lo, hi};
}

}  // namespace

void HistogramBins::Add(double value) {
  if (!min_ || value < *min_) min_ = value;
  if (!max_ || value > *max_) max_ = value;
}

std::optional<std::string> HistogramBins::LabelOf(double value, int count) const {
  if (!min_ || count < 1) return std::nullopt;
  const double min = *min_;
  const double max = *max_;
  // The bins tile [min, max + 0.01) without overlap, so at most one holds the value: look next to
  // where it should be, and through them all when rounding put it elsewhere.
  auto holds = [&](int x) {
    auto [lo, hi] = Bin(min, max, count, x);
    return lo <= value && value < hi;
  };
  std::optional<int> found;
  const double width = (max - min) / static_cast<double>(count);
  if (width > 0) {
    const double guess = std::floor((value - min) / width);
    if (guess >= -1 && guess <= count) {
      for (int x = static_cast<int>(guess) - 1; x <= static_cast<int>(guess) + 1 && !found; ++x) {
        if (x >= 0 && x < count && holds(x)) found = x;
      }
    }
  }
  for (int x = 0; x < count && !found; ++x) {
    if (holds(x)) found = x;
  }
  if (!found) return std::nullopt;
  auto [lo, hi] = Bin(min, max, count, *found);
  return "[" + store::FormatNumber(lo) + "," + store::FormatNumber(hi) + "]";
}

BreakdownScan::BreakdownScan(const Breakdown* breakdown,
                             const std::vector<std::unique_ptr<RowExpression>>* hogql,
                             CohortMembership* cohorts, PersonProperties* persons)
    : breakdown_(breakdown), hogql_(hogql), cohorts_(cohorts), persons_(persons) {
  if (breakdown_ == nullptr) return;
  bins_.resize(breakdown_->properties.size());
  for (int64_t cohort : breakdown_->cohorts) {
    if (cohort != kAllUsersCohort) cohort_persons_ = true;
  }
}

bool BreakdownScan::needs_bins() const {
  if (breakdown_ == nullptr) return false;
  for (const BreakdownProperty& by : breakdown_->properties) {
    if (by.histogram_bin_count) return true;
  }
  return false;
}

Status BreakdownScan::AddToBins(store::BlockReader* block, EventRows* rows,
                                const store::RowSelection& selected) {
  HOGLET_ASSIGN_OR_RETURN(BlockKeys keys, Open(block, rows, selected));
  for (size_t row = 0; row < selected.size(); ++row) {
    if (!selected[row]) continue;
    for (size_t i = 0; i < breakdown_->properties.size(); ++i) {
      if (!breakdown_->properties[i].histogram_bin_count) continue;
      HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> text, keys.TextOf(i, row));
      std::optional<double> number = text ? NumberOf(*text) : std::nullopt;
      if (number) bins_[i].Add(*number);
    }
  }
  return Status::Ok();
}

StatusOr<BlockKeys> BreakdownScan::Open(store::BlockReader* block, EventRows* rows,
                                        const store::RowSelection& selected) {
  BlockKeys keys(this, rows);
  if (breakdown_ == nullptr) return keys;
  if (breakdown_->by_cohort()) {
    if (cohort_persons_) {
      HOGLET_ASSIGN_OR_RETURN(keys.persons_, rows->Persons());
      HOGLET_RETURN_IF_ERROR(rows->LoadPersonProperties(selected));
    }
    return keys;
  }
  bool person = false;
  keys.hogql_values_.resize(breakdown_->properties.size());
  for (size_t i = 0; i < breakdown_->properties.size(); ++i) {
    const BreakdownProperty& by = breakdown_->properties[i];
    const store::PropertyColumnData* column = nullptr;
    if (by.hogql) {
      const RowExpression* expression =
          hogql_ != nullptr && i < hogql_->size() ? (*hogql_)[i].get() : nullptr;
      if (expression == nullptr) {
        return InternalError("a hogql breakdown without its compiled expression");
      }
      HOGLET_RETURN_IF_ERROR(expression->Evaluate(block, selected, &keys.hogql_values_[i]));
    } else if (by.person) {
      person = true;
    } else if (!by.group_type_index) {
      HOGLET_ASSIGN_OR_RETURN(column, block->Property(by.property));
    }
    keys.columns_.push_back(column);
  }
  if (person) HOGLET_RETURN_IF_ERROR(rows->LoadPersonProperties(selected));
  // Keys of nothing but the person's properties are those of any row with the same properties;
  // the key of one event property is that of any row with the same value (slot) in the block.
  keys.by_person_ = std::all_of(breakdown_->properties.begin(), breakdown_->properties.end(),
                                [](const BreakdownProperty& by) { return by.person && !by.hogql; });
  const BreakdownProperty& first = breakdown_->properties.front();
  keys.by_slot_ = breakdown_->properties.size() == 1 && !first.hogql && !first.person &&
                  !first.group_type_index;
  if (const store::PropertyColumnData* column = keys.columns_.front();
      keys.by_slot_ && column != nullptr) {
    // Worth it where values repeat (a dictionary's strings); elsewhere each row has its slot.
    if (column->slots() * 2 <= column->rows()) {
      keys.slot_keys_.assign(column->slots(), nullptr);
    } else {
      keys.by_slot_ = false;
    }
  }
  return keys;
}

StatusOr<const std::vector<std::string>*> BreakdownScan::CohortKeysOf(
    const Uuid& person, const filters::Properties& properties) {
  auto found = cohort_keys_.find(person);
  if (found != cohort_keys_.end()) return &found->second;
  std::vector<std::string> keys;
  for (int64_t cohort : breakdown_->cohorts) {
    bool in = cohort == kAllUsersCohort;
    if (!in) {
      if (cohorts_ == nullptr) return InternalError("a cohort breakdown without cohort data");
      HOGLET_ASSIGN_OR_RETURN(in, cohorts_->InCohort(cohort, person, properties));
    }
    if (in) keys.push_back(std::to_string(cohort));
  }
  return &cohort_keys_.emplace(person, std::move(keys)).first->second;
}

StatusOr<const std::vector<std::string>*> BreakdownScan::CohortKeysOf(const Uuid& person) {
  static const filters::Properties kNone;
  const filters::Properties* properties = &kNone;
  if (cohort_persons_ && !cohort_keys_.contains(person)) {
    if (persons_ == nullptr) return InternalError("a cohort breakdown without person data");
    HOGLET_ASSIGN_OR_RETURN(properties, persons_->Of(person));
  }
  return CohortKeysOf(person, *properties);
}

StatusOr<std::optional<std::string>> BlockKeys::ValueOf(size_t i, size_t row) {
  const BreakdownProperty& by = scan_->breakdown_->properties[i];
  if (by.hogql) {
    const std::vector<std::optional<std::string>>& values = hogql_values_[i];
    if (row >= values.size()) return std::nullopt;
    return values[row];
  }
  if (by.person) {
    HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties, rows_->PersonPropertiesOf(row));
    return PropertyText(*properties, by.property);
  }
  if (by.group_type_index) {
    HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties,
                            rows_->GroupPropertiesOf(*by.group_type_index, row));
    return PropertyText(*properties, by.property);
  }
  const store::PropertyColumnData* column = columns_[i];
  const store::PropertyValue* value = column != nullptr ? column->Get(row) : nullptr;
  return value != nullptr ? store::StringifyProperty(*value) : std::nullopt;
}

StatusOr<std::optional<std::string>> BlockKeys::TextOf(size_t i, size_t row) {
  const BreakdownProperty& by = scan_->breakdown_->properties[i];
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> text, ValueOf(i, row));
  // normalize_url reads "" as "/" too; missing and null stay the null label.
  if (text && by.normalize_url && !by.hogql && !by.histogram_bin_count) {
    return std::optional<std::string>(NormalizeBreakdownUrl(*text));
  }
  if (!text || text->empty()) return std::nullopt;
  return text;
}

StatusOr<const std::vector<std::string>*> BlockKeys::KeysOf(size_t row) {
  static const std::vector<std::string> kNoBreakdown{std::string()};
  const Breakdown* breakdown = scan_->breakdown_;
  if (breakdown == nullptr) return &kNoBreakdown;
  if (breakdown->by_cohort()) {
    if (persons_ == nullptr) return scan_->CohortKeysOf(Uuid());
    HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties, rows_->PersonPropertiesOf(row));
    return scan_->CohortKeysOf((*persons_)[row], *properties);
  }
  if (by_person_) {
    HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties, rows_->PersonPropertiesOf(row));
    if (properties != last_properties_) {
      auto found = scan_->person_keys_.find(properties);
      if (found == scan_->person_keys_.end()) {
        HOGLET_ASSIGN_OR_RETURN(std::string key, KeyOf(row));
        found =
            scan_->person_keys_.emplace(properties, std::vector<std::string>{std::move(key)}).first;
      }
      last_properties_ = properties;
      last_keys_ = &found->second;
    }
    return last_keys_;
  }
  if (by_slot_) {
    const store::PropertyColumnData* column = columns_.front();
    const uint32_t slot =
        column != nullptr ? column->SlotOf(row) : store::PropertyColumnData::kNoSlot;
    const std::vector<std::string>** keys =
        slot == store::PropertyColumnData::kNoSlot ? &null_slot_keys_ : &slot_keys_[slot];
    if (*keys == nullptr) {
      HOGLET_ASSIGN_OR_RETURN(std::string key, KeyOf(row));
      *keys = &slot_key_lists_.emplace_back(std::vector<std::string>{std::move(key)});
    }
    return *keys;
  }
  HOGLET_ASSIGN_OR_RETURN(std::string key, KeyOf(row));
  row_keys_.assign(1, std::move(key));
  return &row_keys_;
}

StatusOr<std::string> BlockKeys::KeyOf(size_t row) {
  const Breakdown* breakdown = scan_->breakdown_;
  labels_.clear();
  for (size_t i = 0; i < breakdown->properties.size(); ++i) {
    HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> text, TextOf(i, row));
    if (const std::optional<int>& count = breakdown->properties[i].histogram_bin_count) {
      std::optional<double> number = text ? NumberOf(*text) : std::nullopt;
      text = number ? scan_->bins_[i].LabelOf(*number, *count) : std::nullopt;
    }
    labels_.push_back(text ? *std::move(text) : std::string(kBreakdownNullLabel));
  }
  return BreakdownKey(*breakdown, labels_);
}

}  // namespace hoglet::query
