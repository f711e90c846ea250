#include "flags/flag_evaluator.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "filters/property_match.h"
#include "flags/flag_hash.h"

namespace hoglet::flags {
namespace {

constexpr std::string_view kSurveyFlagPrefix = "survey-targeting-";
constexpr std::string_view kEnrollmentPrefix = "$feature_enrollment/";
// Cohorts may refer to cohorts; deeper than this they refer to each other in a loop.
constexpr int kMaxCohortNesting = 32;
// Above this many requested keys a hash set beats scanning the list for every flag.
constexpr size_t kFlagKeysScanLimit = 8;

const filters::Properties& EmptyProperties() {
  static const filters::Properties* const kEmpty = new filters::Properties();
  return *kEmpty;
}

// PostHog's current ranking of non-matching reasons: when no condition matches, the flag reports
// the highest-ranked reason seen (a later condition wins a tie). A condition that ran outranks one
// skipped for a missing group, so mixed-targeting flags report the person condition's result.
int Score(Reason reason) {
  switch (reason) {
    case Reason::kSuperConditionValue:
      return 6;
    case Reason::kHoldoutConditionValue:
      return 5;
    case Reason::kConditionMatch:
      return 4;
    case Reason::kOutOfRolloutBound:
      return 3;
    case Reason::kNoConditionMatch:
      return 2;
    case Reason::kNoGroupType:
      return 1;
    case Reason::kFlagDisabled:
      return 0;
    case Reason::kMissingDependency:
      return -1;
  }
  return 0;
}

// Which flags a request asks for (before dependencies are added).
class Selector {
 public:
  explicit Selector(const EvaluationRequest& request) : request_(request) {
    if (request.flag_keys && request.flag_keys->size() > kFlagKeysScanLimit) {
      for (const std::string& key : *request.flag_keys) key_set_.insert(key);
    }
  }

  bool Selected(const FeatureFlag& flag) const {
    if (request_.only_survey_flags && !flag.key.starts_with(kSurveyFlagPrefix)) return false;
    if (!RuntimeSelected(flag)) return false;
    if (!ContextSelected(flag)) return false;
    if (request_.flag_keys) {
      if (!key_set_.empty()) return key_set_.contains(flag.key);
      const std::vector<std::string>& keys = *request_.flag_keys;
      return std::find(keys.begin(), keys.end(), flag.key) != keys.end();
    }
    return true;
  }

 private:
  bool RuntimeSelected(const FeatureFlag& flag) const {
    if (!flag.evaluation_runtime || *flag.evaluation_runtime == EvaluationRuntime::kAll) {
      return true;
    }
    if (!request_.runtime) return false;  // unknown caller: only flags for every runtime
    return *request_.runtime == EvaluationRuntime::kAll ||
           *request_.runtime == *flag.evaluation_runtime;
  }

  bool ContextSelected(const FeatureFlag& flag) const {
    if (request_.evaluation_contexts.empty() || flag.evaluation_contexts.empty()) return true;
    for (const std::string& tag : flag.evaluation_contexts) {
      const std::vector<std::string>& wanted = request_.evaluation_contexts;
      if (std::find(wanted.begin(), wanted.end(), tag) != wanted.end()) return true;
    }
    return false;
  }

  const EvaluationRequest& request_;
  std::unordered_set<std::string_view> key_set_;
};

enum class Outcome { kMatch, kNoMatch, kOutOfRollout, kError };
enum class Tri : int8_t { kUnknown = -1, kFalse = 0, kTrue = 1, kError = 2 };

// Evaluates flags for one request. Holds per-request state: earlier results (for flag
// dependencies) and dynamic cohort results.
class Evaluator {
 public:
  Evaluator(const FlagSnapshot& snapshot, const EvaluationRequest& request)
      : snapshot_(snapshot), request_(request), context_{request.now_us, request.time_zone} {}

  // Results by snapshot position, consulted by flag-dependency filters.
  void set_results(const std::vector<FlagResult>* results) { results_ = results; }

  FlagResult Evaluate(const FeatureFlag& flag) {
    FlagResult result;
    result.flag = &flag;
    if (!flag.active) {
      result.reason = Reason::kFlagDisabled;
      return result;
    }
    if (snapshot_.HasBrokenDependencies(flag)) {
      result.reason = Reason::kMissingDependency;
      return result;
    }
    const FlagFilters& filters = flag.filters;

    if (filters.feature_enrollment) {
      if (EvaluateEnrollment(flag, &result)) return result;
    } else if (!filters.super_groups.empty() && !filters.super_groups[0].properties.empty()) {
      if (EvaluateSuperCondition(flag, &result)) return result;
    }
    if (filters.holdout || !filters.holdout_groups.empty()) {
      if (EvaluateHoldout(flag, &result)) return result;
    }

    if (filters.groups.empty()) {
      result.reason = Reason::kNoConditionMatch;
      return result;
    }
    Reason best = Reason::kNoGroupType;
    std::optional<int> best_index;
    bool skipped_group_conditions = false;
    auto consider = [&](Reason reason, int index) {
      if (Score(best) <= Score(reason)) {
        best = reason;
        best_index = index;
      }
    };
    for (size_t i = 0; i < filters.groups.size(); ++i) {
      const Condition& condition = filters.groups[i];
      const int index = static_cast<int>(i);
      std::optional<int> aggregation = condition.aggregation_group_type_index
                                           ? condition.aggregation_group_type_index
                                           : filters.aggregation_group_type_index;
      std::string_view bucketing_id;
      if (aggregation) {
        std::optional<std::string_view> group_key = GroupKey(*aggregation);
        if (!group_key) {
          skipped_group_conditions = true;
          consider(Reason::kNoGroupType, index);
          continue;
        }
        bucketing_id = *group_key;
      } else {
        if (flag.bucket_by_device_id && (!request_.device_id || request_.device_id->empty())) {
          consider(Reason::kOutOfRolloutBound, index);
          continue;
        }
        bucketing_id = PersonBucketingId(flag);
      }

      Outcome outcome = MatchCondition(flag, condition, aggregation, bucketing_id);
      if (outcome == Outcome::kError) return Failed(flag);
      if (outcome == Outcome::kMatch) {
        result.enabled = true;
        result.variant = MatchingVariant(flag, condition, bucketing_id);
        result.reason = Reason::kConditionMatch;
        result.condition_index = index;
        result.payload = Payload(flag, result.variant);
        return result;
      }
      consider(outcome == Outcome::kOutOfRollout ? Reason::kOutOfRolloutBound
                                                 : Reason::kNoConditionMatch,
               index);
      if (outcome == Outcome::kOutOfRollout && filters.early_exit) break;
    }
    result.reason = best;
    result.condition_index = best_index;
    result.group_conditions_skipped = best == Reason::kNoConditionMatch && skipped_group_conditions;
    return result;
  }

 private:
  static FlagResult Failed(const FeatureFlag& flag) {
    FlagResult result;
    result.flag = &flag;
    result.failed = true;
    result.reason = Reason::kNoConditionMatch;
    return result;
  }

  static std::optional<std::string_view> Payload(const FeatureFlag& flag,
                                                 const std::optional<std::string>& variant) {
    const auto& payloads = flag.filters.payloads;
    if (payloads.empty()) return std::nullopt;
    auto it = payloads.find(variant ? std::string_view(*variant) : std::string_view("true"));
    if (it == payloads.end()) return std::nullopt;
    return std::string_view(it->second);
  }

  // Early access, new form: the person's "$feature_enrollment/<key>" property decides.
  bool EvaluateEnrollment(const FeatureFlag& flag, FlagResult* result) {
    std::string property;
    property.reserve(kEnrollmentPrefix.size() + flag.key.size());
    property.append(kEnrollmentPrefix).append(flag.key);
    auto it = request_.person_properties.find(property);
    if (it == request_.person_properties.end()) return false;
    const filters::PropertyValue& value = it->second;
    result->enabled = (value.kind == filters::PropertyValue::Kind::kBool && value.boolean) ||
                      (value.kind == filters::PropertyValue::Kind::kString && value.text == "true");
    result->reason = Reason::kSuperConditionValue;
    result->condition_index = 0;
    if (result->enabled) result->payload = Payload(flag, std::nullopt);
    return true;
  }

  // Early access, legacy form: super_groups[0] decides once the person has any of its keys.
  bool EvaluateSuperCondition(const FeatureFlag& flag, FlagResult* result) {
    const Condition& condition = flag.filters.super_groups[0];
    const filters::Properties& person = request_.person_properties;
    bool relevant =
        std::any_of(condition.properties.begin(), condition.properties.end(),
                    [&](const filters::PropertyFilter& f) { return person.contains(f.key); });
    if (!relevant) return false;
    Outcome outcome = MatchCondition(flag, condition, std::nullopt, PersonBucketingId(flag));
    if (outcome == Outcome::kError) {
      *result = Failed(flag);
      return true;
    }
    result->enabled = outcome == Outcome::kMatch;
    result->reason = Reason::kSuperConditionValue;
    result->condition_index = 0;
    if (result->enabled) result->payload = Payload(flag, std::nullopt);
    return true;
  }

  // Holdouts: a share of bucketing ids is held out of the experiment and gets the holdout variant.
  bool EvaluateHoldout(const FeatureFlag& flag, FlagResult* result) {
    const FlagFilters& filters = flag.filters;
    std::string_view id;
    if (filters.aggregation_group_type_index) {
      id = GroupKey(*filters.aggregation_group_type_index).value_or(std::string_view());
    } else {
      id = PersonBucketingId(flag);
    }
    std::optional<std::string> variant;
    if (filters.holdout) {
      double percentage = std::clamp(filters.holdout->exclusion_percentage, 0.0, 100.0);
      if (percentage < 100 && HoldoutHash(id) > percentage / 100) return false;
      variant = "holdout-" + std::to_string(filters.holdout->id);
    } else {
      // Legacy holdout groups (only the first, and only without properties).
      const Condition& holdout = filters.holdout_groups[0];
      if (!holdout.properties.empty()) return false;
      if (holdout.rollout_percentage && HoldoutHash(id) > *holdout.rollout_percentage / 100) {
        return false;
      }
      variant = holdout.variant;
    }
    result->enabled = true;
    result->variant = std::move(variant);
    result->reason = Reason::kHoldoutConditionValue;
    result->condition_index = std::nullopt;
    result->payload = Payload(flag, result->variant);
    return true;
  }

  const std::string* GroupTypeName(int index) const {
    for (const GroupTypeMapping& mapping : snapshot_.group_types()) {
      if (mapping.index == index) return &mapping.name;
    }
    return nullptr;
  }

  // The request's key for the group type at `index`; nullopt when it sent none (or "").
  std::optional<std::string_view> GroupKey(int index) const {
    const std::string* name = GroupTypeName(index);
    if (name == nullptr) return std::nullopt;
    auto it = request_.groups.find(*name);
    if (it == request_.groups.end() || it->second.empty()) return std::nullopt;
    return std::string_view(it->second);
  }

  const filters::Properties& GroupProperties(std::optional<int> index) const {
    if (!index) return EmptyProperties();
    const std::string* name = GroupTypeName(*index);
    if (name == nullptr) return EmptyProperties();
    auto it = request_.group_properties.find(*name);
    return it == request_.group_properties.end() ? EmptyProperties() : it->second;
  }

  // Device id for device-bucketed flags, else a stored hash-key override (experience
  // continuity), else the distinct id.
  std::string_view PersonBucketingId(const FeatureFlag& flag) const {
    if (flag.bucket_by_device_id && request_.device_id && !request_.device_id->empty()) {
      return *request_.device_id;
    }
    if (!request_.hash_key_overrides.empty()) {
      auto it = request_.hash_key_overrides.find(flag.key);
      if (it != request_.hash_key_overrides.end()) return it->second;
    }
    return request_.distinct_id;
  }

  // An empty bucketing id hashes to 0, as PostHog's service does.
  static double Hash(const FeatureFlag& flag, std::string_view id, std::string_view salt) {
    return id.empty() ? 0.0 : FlagHash(flag.key, id, salt);
  }

  Outcome MatchCondition(const FeatureFlag& flag, const Condition& condition,
                         std::optional<int> aggregation, std::string_view bucketing_id) {
    bool has_cohorts = false;
    for (const filters::PropertyFilter& filter : condition.properties) {
      bool matches = true;
      switch (filter.type) {
        case filters::FilterType::kFlag:
          matches = MatchFlagFilter(filter);
          break;
        case filters::FilterType::kCohort:
          has_cohorts = true;  // the most expensive: evaluated after the others
          break;
        case filters::FilterType::kPerson:
          matches = filters::MatchProperty(filter, request_.person_properties, context_);
          break;
        case filters::FilterType::kGroup:
          matches = filters::MatchProperty(
              filter,
              GroupProperties(filter.group_type_index ? filter.group_type_index : aggregation),
              context_);
          break;
        case filters::FilterType::kEvent:
        case filters::FilterType::kElement:  // as any other type: flags do not read elements
        case filters::FilterType::kHogQL:    // nor HogQL
        case filters::FilterType::kOther:
          matches = filters::MatchProperty(
              filter, aggregation ? GroupProperties(aggregation) : request_.person_properties,
              context_);
          break;
      }
      if (!matches) return Outcome::kNoMatch;
    }
    if (has_cohorts) {
      for (const filters::PropertyFilter& filter : condition.properties) {
        if (filter.type != filters::FilterType::kCohort) continue;
        Tri member = CohortMatches(static_cast<int64_t>(filter.value.number), 0);
        if (member == Tri::kError) return Outcome::kError;
        bool in = member == Tri::kTrue;
        if ((filter.op == filters::Operator::kNotIn) == in) return Outcome::kNoMatch;
      }
    }

    double rollout = condition.rollout_percentage.value_or(100);
    if (rollout == 100) return Outcome::kMatch;
    return Hash(flag, bucketing_id, "") <= rollout / 100 ? Outcome::kMatch : Outcome::kOutOfRollout;
  }

  std::optional<std::string> MatchingVariant(const FeatureFlag& flag, const Condition& condition,
                                             std::string_view bucketing_id) const {
    const std::vector<Variant>& variants = flag.filters.variants;
    if (variants.empty()) return std::nullopt;
    if (condition.variant) {
      for (const Variant& variant : variants) {
        if (variant.key == *condition.variant) return variant.key;
      }
    }
    double hash = Hash(flag, bucketing_id, "variant");
    double cumulative = 0;
    for (const Variant& variant : variants) {
      cumulative += variant.rollout_percentage / 100;
      if (hash < cumulative) return variant.key;
    }
    return std::nullopt;
  }

  // flag_evaluates_to: true matches any enabled value, false only a disabled one, a string that
  // variant. The dependency was evaluated earlier (it comes first in the snapshot).
  bool MatchFlagFilter(const filters::PropertyFilter& filter) const {
    if (filter.op != filters::Operator::kFlagEvaluatesTo || results_ == nullptr) return false;
    std::optional<size_t> position = snapshot_.PositionOf(filter.key);
    if (!position || *position >= results_->size()) return false;
    const FlagResult& dependency = (*results_)[*position];
    if (dependency.flag == nullptr) return false;  // not evaluated: cannot happen
    switch (filter.value.kind) {
      case filters::PropertyValue::Kind::kBool:
        return filter.value.boolean ? dependency.enabled : !dependency.enabled;
      case filters::PropertyValue::Kind::kString:
        return dependency.enabled && dependency.variant && *dependency.variant == filter.value.text;
      default:
        return false;
    }
  }

  // Static cohorts by membership, dynamic ones by their property tree; kError when the cohort
  // does not exist or cohorts refer to each other in a loop.
  Tri CohortMatches(int64_t id, int depth) {
    if (depth > kMaxCohortNesting) return Tri::kError;
    const Cohort* cohort = snapshot_.CohortById(id);
    if (cohort == nullptr) return Tri::kError;
    if (cohort->is_static) return request_.static_cohorts.contains(id) ? Tri::kTrue : Tri::kFalse;
    size_t position = static_cast<size_t>(cohort - snapshot_.cohorts().data());
    if (cohort_results_.empty()) cohort_results_.assign(snapshot_.cohorts().size(), Tri::kUnknown);
    if (cohort_results_[position] != Tri::kUnknown) return cohort_results_[position];
    Tri result = MatchNode(cohort->root, depth);
    cohort_results_[position] = result;
    return result;
  }

  Tri MatchNode(const filters::FilterNode& node, int depth) {
    switch (node.kind) {
      case filters::FilterNode::Kind::kLeaf: {
        Tri leaf = MatchLeaf(node.filter, depth);
        if (leaf == Tri::kError || !node.filter.negation) return leaf;
        return leaf == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
      }
      case filters::FilterNode::Kind::kAnd:
        for (const filters::FilterNode& child : node.children) {
          Tri value = MatchNode(child, depth);
          if (value != Tri::kTrue) return value;
        }
        return Tri::kTrue;
      case filters::FilterNode::Kind::kOr:
        for (const filters::FilterNode& child : node.children) {
          Tri value = MatchNode(child, depth);
          if (value != Tri::kFalse) return value;
        }
        return Tri::kFalse;
    }
    return Tri::kFalse;
  }

  Tri MatchLeaf(const filters::PropertyFilter& filter, int depth) {
    bool matches = false;
    switch (filter.type) {
      case filters::FilterType::kCohort: {
        Tri member = CohortMatches(static_cast<int64_t>(filter.value.number), depth + 1);
        if (member == Tri::kError) return member;
        matches = (member == Tri::kTrue) != (filter.op == filters::Operator::kNotIn);
        break;
      }
      case filters::FilterType::kFlag:
        matches = MatchFlagFilter(filter);
        break;
      default:
        matches = filters::MatchProperty(filter, request_.person_properties, context_);
        break;
    }
    return matches ? Tri::kTrue : Tri::kFalse;
  }

  const FlagSnapshot& snapshot_;
  const EvaluationRequest& request_;
  const filters::MatchContext context_;
  const std::vector<FlagResult>* results_ = nullptr;
  std::vector<Tri> cohort_results_;  // by cohort position; sized on first use
};

}  // namespace

std::string_view ReasonCode(Reason reason) {
  switch (reason) {
    case Reason::kConditionMatch:
      return "condition_match";
    case Reason::kNoConditionMatch:
      return "no_condition_match";
    case Reason::kOutOfRolloutBound:
      return "out_of_rollout_bound";
    case Reason::kNoGroupType:
      return "no_group_type";
    case Reason::kSuperConditionValue:
      return "super_condition_value";
    case Reason::kHoldoutConditionValue:
      return "holdout_condition_value";
    case Reason::kFlagDisabled:
      return "flag_disabled";
    case Reason::kMissingDependency:
      return "missing_dependency";
  }
  return "no_condition_match";
}

std::string FlagResult::Description() const {
  switch (reason) {
    case Reason::kConditionMatch:
      return "Matched condition set " + std::to_string(condition_index.value_or(0) + 1);
    case Reason::kNoConditionMatch:
      if (group_conditions_skipped) {
        return "No matching condition set (group conditions were not evaluated because no group "
               "type was provided)";
      }
      return "No matching condition set";
    case Reason::kOutOfRolloutBound:
      return "Out of rollout bound";
    case Reason::kNoGroupType:
      return "No group type";
    case Reason::kSuperConditionValue:
      return "Super condition value";
    case Reason::kHoldoutConditionValue:
      return "Holdout condition value";
    case Reason::kFlagDisabled:
      return "Feature flag is disabled";
    case Reason::kMissingDependency:
      return "Flag cannot be evaluated due to missing dependency";
  }
  return "No matching condition set";
}

std::vector<FlagResult> EvaluateFlags(const FlagSnapshot& snapshot,
                                      const EvaluationRequest& request) {
  const std::vector<FeatureFlag>& flags = snapshot.flags();
  Selector selector(request);
  Evaluator evaluator(snapshot, request);
  std::vector<FlagResult> results;

  if (!snapshot.HasDependencies()) {
    // No flag reads another's result: evaluate the selected flags straight into the answer.
    results.reserve(flags.size());
    for (const FeatureFlag& flag : flags) {
      if (selector.Selected(flag)) results.push_back(evaluator.Evaluate(flag));
    }
    return results;
  }

  // Selected flags and everything they depend on, evaluated in snapshot order so that each
  // dependency's result exists before a flag reads it.
  std::vector<uint8_t> selected(flags.size());
  std::vector<uint8_t> needed(flags.size());
  size_t selected_count = 0;
  for (size_t i = 0; i < flags.size(); ++i) {
    if (!selector.Selected(flags[i])) continue;
    selected[i] = 1;
    needed[i] = 1;
    ++selected_count;
    for (uint32_t dependency : snapshot.DependenciesOf(i)) needed[dependency] = 1;
  }
  std::vector<FlagResult> all(flags.size());
  evaluator.set_results(&all);
  for (size_t i = 0; i < flags.size(); ++i) {
    if (needed[i]) all[i] = evaluator.Evaluate(flags[i]);
  }
  results.reserve(selected_count);
  for (size_t i = 0; i < flags.size(); ++i) {
    if (selected[i]) results.push_back(std::move(all[i]));
  }
  return results;
}

}  // namespace hoglet::flags
