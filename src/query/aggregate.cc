#include "query/aggregate.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hoglet::query {
namespace {

class Count final : public Aggregate {
 public:
  void Add(const AggregateInput&) override { ++count_; }
  void AddRows(uint64_t count) override { count_ += count; }
  void Merge(const Aggregate& other) override { count_ += static_cast<const Count&>(other).count_; }
  double Finalize() const override { return static_cast<double>(count_); }
  std::unique_ptr<Aggregate> NewEmpty() const override { return std::make_unique<Count>(); }

 private:
  uint64_t count_ = 0;
};

// The actors' numbers are kept in a flat list while they are few for their range, then as one bit
// per number. The list is appended as they come, sorted and deduplicated when it has doubled since
// it last was, and when counted; a block's rows are in (person, time) order, so a person's events
// in one bucket mostly come one after another and only the first of them is appended. Once the
// bits (numbers up to the list's largest) would take at most twice the list's bytes, it turns
// into bits: a day's persons out of a project's are often that many.
class DistinctActors final : public Aggregate {
 public:
  void Add(const AggregateInput& row) override { AddActor(row.actor); }
  void AddActors(const uint32_t* actors, size_t count) override {
    for (size_t i = 0; i < count; ++i) AddActor(actors[i]);
  }
  void Merge(const Aggregate& other) override {
    const DistinctActors& theirs = static_cast<const DistinctActors&>(other);
    theirs.Compact();  // either may turn into bits here
    Compact();
    if (theirs.dense_) {
      if (!dense_) ToBits();
      if (bits_.size() < theirs.bits_.size()) bits_.resize(theirs.bits_.size());
      for (size_t i = 0; i < theirs.bits_.size(); ++i) bits_[i] |= theirs.bits_[i];
      return;
    }
    if (dense_) {
      for (uint32_t actor : theirs.actors_) SetBit(actor);
      return;
    }
    if (theirs.actors_.empty()) return;
    if (actors_.empty()) {
      actors_ = theirs.actors_;
    } else {
      std::vector<uint32_t> both;
      both.reserve(actors_.size() + theirs.actors_.size());
      std::set_union(actors_.begin(), actors_.end(), theirs.actors_.begin(), theirs.actors_.end(),
                     std::back_inserter(both));
      actors_ = std::move(both);
    }
    sorted_ = actors_.size();
    if (Crowded()) ToBits();
  }
  double Finalize() const override {
    Compact();  // may turn the list into bits
    if (!dense_) return static_cast<double>(actors_.size());
    size_t count = 0;
    for (uint64_t word : bits_) count += static_cast<size_t>(__builtin_popcountll(word));
    return static_cast<double>(count);
  }
  bool Actors(std::vector<uint32_t>* out) const override {
    Compact();
    if (!dense_) {
      *out = actors_;
      return true;
    }
    out->clear();
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t word = bits_[w]; word != 0; word &= word - 1) {
        out->push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(word))));
      }
    }
    return true;
  }
  std::unique_ptr<Aggregate> NewEmpty() const override {
    return std::make_unique<DistinctActors>();
  }

 private:
  static constexpr size_t kFirstCompaction = 1024;

  void AddActor(uint32_t actor) {
    if (dense_) {
      SetBit(actor);
      return;
    }
    if (!actors_.empty() && actors_.back() == actor) return;
    actors_.push_back(actor);
    if (actors_.size() >= 2 * std::max<size_t>(sorted_, kFirstCompaction)) Compact();
  }

  // Sorts what was appended since the last time, merges it into the sorted distinct prefix. The
  // rows of a part come in person order, so the tail is often sorted already, and often all
  // after the prefix. The list may then turn into bits.
  void Compact() const {
    if (sorted_ == actors_.size()) return;
    auto tail = actors_.begin() + static_cast<ptrdiff_t>(sorted_);
    if (!std::is_sorted(tail, actors_.end())) std::sort(tail, actors_.end());
    if (tail != actors_.begin() && *tail < *(tail - 1)) {
      std::inplace_merge(actors_.begin(), tail, actors_.end());
    }
    actors_.erase(std::unique(actors_.begin(), actors_.end()), actors_.end());
    sorted_ = actors_.size();
    if (Crowded()) ToBits();
  }
  // Whether bits up to the sorted list's last would take at most twice the list's bytes.
  bool Crowded() const {
    return !actors_.empty() &&
           actors_.size() * sizeof(uint32_t) * 2 * 8 >= static_cast<size_t>(actors_.back()) + 1;
  }
  void ToBits() const {
    dense_ = true;
    for (uint32_t actor : actors_) SetBit(actor);
    actors_ = {};
    sorted_ = 0;
  }
  void SetBit(uint32_t actor) const {
    const size_t word = actor >> 6;
    if (word >= bits_.size()) bits_.resize(std::max(word + 1, bits_.size() + bits_.size() / 2));
    bits_[word] |= uint64_t{1} << (actor & 63);
  }

  // Until dense_: actors_[0, sorted_) is sorted without repeats, the rest as appended (Finalize
  // compacts). Once dense_: bit n of bits_ (word n / 64) is set when actor n was added.
  mutable bool dense_ = false;
  mutable std::vector<uint32_t> actors_;
  mutable size_t sorted_ = 0;
  mutable std::vector<uint64_t> bits_;
};

class DistinctSessions final : public Aggregate {
 public:
  void Add(const AggregateInput& row) override { sessions_.emplace(row.session); }
  void Merge(const Aggregate& other) override {
    const auto& sessions = static_cast<const DistinctSessions&>(other).sessions_;
    sessions_.insert(sessions.begin(), sessions.end());
  }
  double Finalize() const override { return static_cast<double>(sessions_.size()); }
  std::unique_ptr<Aggregate> NewEmpty() const override {
    return std::make_unique<DistinctSessions>();
  }

 private:
  std::unordered_set<std::string> sessions_;
};

enum class Fold { kSum, kAvg, kMin, kMax };

class NumericFold final : public Aggregate {
 public:
  explicit NumericFold(Fold fold) : fold_(fold) {}
  void Add(const AggregateInput& row) override {
    if (!row.number) return;
    Take(*row.number, 1);
  }
  void Merge(const Aggregate& other) override {
    const auto& o = static_cast<const NumericFold&>(other);
    if (o.count_ == 0) return;
    if (count_ == 0) {
      min_ = o.min_;
      max_ = o.max_;
    } else {
      min_ = std::min(min_, o.min_);
      max_ = std::max(max_, o.max_);
    }
    sum_ += o.sum_;
    count_ += o.count_;
  }
  double Finalize() const override {
    if (count_ == 0) return 0;
    switch (fold_) {
      case Fold::kSum:
        return sum_;
      case Fold::kAvg:
        return sum_ / static_cast<double>(count_);
      case Fold::kMin:
        return min_;
      case Fold::kMax:
        return max_;
    }
    return 0;
  }
  std::unique_ptr<Aggregate> NewEmpty() const override {
    return std::make_unique<NumericFold>(fold_);
  }

 private:
  void Take(double value, uint64_t count) {
    if (count_ == 0) {
      min_ = max_ = value;
    } else {
      min_ = std::min(min_, value);
      max_ = std::max(max_, value);
    }
    sum_ += value;
    count_ += count;
  }

  Fold fold_;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
  uint64_t count_ = 0;
};

class Quantile final : public Aggregate {
 public:
  explicit Quantile(double level) : level_(level) {}
  void Add(const AggregateInput& row) override {
    if (row.number) values_.push_back(*row.number);
  }
  void Merge(const Aggregate& other) override {
    const auto& values = static_cast<const Quantile&>(other).values_;
    values_.insert(values_.end(), values.begin(), values.end());
  }
  double Finalize() const override {
    std::vector<double> sorted = values_;
    return InterpolatedQuantile(&sorted, level_);
  }
  std::unique_ptr<Aggregate> NewEmpty() const override {
    return std::make_unique<Quantile>(level_);
  }

 private:
  double level_;
  std::vector<double> values_;
};

// Events per person, then one of avg/min/max (level < 0) or a quantile (level in [0, 1]).
class CountPerActor final : public Aggregate {
 public:
  CountPerActor(Fold fold, double level) : fold_(fold), level_(level) {}
  void Add(const AggregateInput& row) override {
    // As DistinctActors: consecutive rows are mostly of one actor. The map's nodes do not move.
    if (last_ == nullptr || row.actor != last_actor_) {
      last_ = &counts_[row.actor];
      last_actor_ = row.actor;
    }
    ++*last_;
  }
  void Merge(const Aggregate& other) override {
    for (const auto& [actor, count] : static_cast<const CountPerActor&>(other).counts_) {
      counts_[actor] += count;
    }
  }
  double Finalize() const override {
    if (counts_.empty()) return 0;
    std::vector<double> values;
    values.reserve(counts_.size());
    for (const auto& [actor, count] : counts_) values.push_back(static_cast<double>(count));
    if (level_ >= 0) return InterpolatedQuantile(&values, level_);
    double sum = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -min;
    for (double v : values) {
      sum += v;
      min = std::min(min, v);
      max = std::max(max, v);
    }
    switch (fold_) {
      case Fold::kMin:
        return min;
      case Fold::kMax:
        return max;
      default:
        return sum / static_cast<double>(values.size());
    }
  }
  std::unique_ptr<Aggregate> NewEmpty() const override {
    return std::make_unique<CountPerActor>(fold_, level_);
  }

 private:
  Fold fold_;
  double level_;
  std::unordered_map<uint32_t, uint64_t> counts_;
  uint32_t last_actor_ = 0;   // the actor added last, when last_ is set
  uint64_t* last_ = nullptr;  // its count
};

}  // namespace

size_t UuidHash::operator()(const Uuid& uuid) const {
  uint64_t a = 0;
  uint64_t b = 0;
  std::memcpy(&a, uuid.bytes.data(), 8);
  std::memcpy(&b, uuid.bytes.data() + 8, 8);
  return static_cast<size_t>((a ^ (b * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL);
}

double InterpolatedQuantile(std::vector<double>* values, double level) {
  if (values->empty()) return 0;
  std::sort(values->begin(), values->end());
  double last = static_cast<double>(values->size() - 1);
  double index = std::max(0.0, std::min(last, level * last));
  size_t left = static_cast<size_t>(index);
  if (left + 1 >= values->size()) return (*values)[left];
  double right_weight = index - static_cast<double>(left);
  return (*values)[left] * (1 - right_weight) + (*values)[left + 1] * right_weight;
}

std::unique_ptr<Aggregate> NewAggregate(Math math) {
  switch (math) {
    case Math::kTotal:
    case Math::kHogQL:  // the HogQL engine computes the values; its events are counted
      return std::make_unique<Count>();
    case Math::kDau:
    case Math::kWeeklyActive:
    case Math::kMonthlyActive:
    case Math::kUniqueGroup:  // the actor is the group
    case Math::kFirstTimeForUser:
    case Math::kFirstMatchingEventForUser:
      return std::make_unique<DistinctActors>();
    case Math::kUniqueSession:
      return std::make_unique<DistinctSessions>();
    case Math::kSum:
      return std::make_unique<NumericFold>(Fold::kSum);
    case Math::kAvg:
      return std::make_unique<NumericFold>(Fold::kAvg);
    case Math::kMin:
      return std::make_unique<NumericFold>(Fold::kMin);
    case Math::kMax:
      return std::make_unique<NumericFold>(Fold::kMax);
    case Math::kMedian:
      return std::make_unique<Quantile>(0.5);
    case Math::kP75:
      return std::make_unique<Quantile>(0.75);
    case Math::kP90:
      return std::make_unique<Quantile>(0.9);
    case Math::kP95:
      return std::make_unique<Quantile>(0.95);
    case Math::kP99:
      return std::make_unique<Quantile>(0.99);
    case Math::kAvgCountPerActor:
      return std::make_unique<CountPerActor>(Fold::kAvg, -1);
    case Math::kMinCountPerActor:
      return std::make_unique<CountPerActor>(Fold::kMin, -1);
    case Math::kMaxCountPerActor:
      return std::make_unique<CountPerActor>(Fold::kMax, -1);
    case Math::kMedianCountPerActor:
      return std::make_unique<CountPerActor>(Fold::kAvg, 0.5);
    case Math::kP75CountPerActor:
      return std::make_unique<CountPerActor>(Fold::kAvg, 0.75);
    case Math::kP90CountPerActor:
      return std::make_unique<CountPerActor>(Fold::kAvg, 0.9);
    case Math::kP95CountPerActor:
      return std::make_unique<CountPerActor>(Fold::kAvg, 0.95);
    case Math::kP99CountPerActor:
      return std::make_unique<CountPerActor>(Fold::kAvg, 0.99);
  }
  return std::make_unique<Count>();
}

}  // namespace hoglet::query
