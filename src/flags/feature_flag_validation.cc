#include "flags/feature_flag_validation.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "base/json_writer.h"
#include "filters/property_match.h"
#include "filters/property_value.h"
#include "flags/feature_flag.h"

namespace hoglet::flags {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxPropertyValues = 1000;  // PostHog's MAX_PROPERTY_VALUES

Status FiltersError(std::string message, std::string code = "invalid_input") {
  return InvalidArgumentError(std::move(message), std::move(code));
}

// A value as PostHog's messages print it: strings bare, anything else as JSON.
std::string Describe(dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  return simdjson::minify(value);
}

std::optional<dom::element> Field(dom::object object, std::string_view key) {
  dom::element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::string_view StringField(dom::object object, std::string_view key) {
  std::string_view text;
  if (object.at_key(key).get_string().get(text) != simdjson::SUCCESS) return {};
  return text;
}

// The objects in `object[key]` when it is a list (other items are skipped); empty otherwise.
std::vector<dom::object> ObjectsIn(dom::object object, std::string_view key) {
  std::vector<dom::object> result;
  dom::array array;
  if (object.at_key(key).get_array().get(array) != simdjson::SUCCESS) return result;
  for (dom::element item : array) {
    dom::object member;
    if (item.get_object().get(member) == simdjson::SUCCESS) result.push_back(member);
  }
  return result;
}

// An id written as a JSON integer or a string of digits.
std::optional<int64_t> IdOf(dom::element value) {
  int64_t id = 0;
  if (value.get_int64().get(id) == simdjson::SUCCESS) return id;
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS || text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return id;
}

bool IsBlankReference(dom::element value) {
  std::string_view text;
  return value.is_null() || (value.get_string().get(text) == simdjson::SUCCESS && text.empty());
}

const meta::FeatureFlagRecord* FlagById(const FlagProject& project, int64_t id) {
  for (const auto& flag : project.flags) {
    if (flag.id == id) return &flag;
  }
  return nullptr;
}

// Every property of every condition set ("groups"), objects only.
std::vector<dom::object> ConditionProperties(dom::object filters) {
  std::vector<dom::object> result;
  for (dom::object condition : ObjectsIn(filters, "groups")) {
    for (dom::object property : ObjectsIn(condition, "properties")) result.push_back(property);
  }
  return result;
}

// The flag ids a flag's conditions depend on ("type": "flag" properties with an id key).
std::vector<int64_t> DependencyIds(dom::object filters) {
  std::vector<int64_t> ids;
  for (dom::object property : ConditionProperties(filters)) {
    if (StringField(property, "type") != "flag") continue;
    auto key = Field(property, "key");
    if (!key) continue;
    if (auto id = IdOf(*key)) ids.push_back(*id);
  }
  return ids;
}

// The key of the flag a dependency names, which must be an existing active flag given by id.
StatusOr<std::string> ResolveDependency(dom::element reference, const FlagProject& project) {
  auto id = IdOf(reference);
  if (!id) {
    return FiltersError(
        "Flag dependencies must reference flag IDs (integers), not flag keys. Invalid "
        "reference: '" +
        Describe(reference) + "'");
  }
  const meta::FeatureFlagRecord* flag = FlagById(project, *id);
  if (flag == nullptr) {
    return FiltersError("Flag dependency references non-existent flag with ID " +
                        std::to_string(*id));
  }
  if (!flag->active) {
    return FiltersError("Cannot create dependency on disabled flag '" + flag->key +
                        "' (ID: " + std::to_string(*id) +
                        "). Flag dependencies must reference active flags only.");
  }
  return flag->key;
}

// Flag key → keys of the flags it depends on, for the project's stored flags. References that do
// not resolve are left out: they cannot close a cycle.
std::unordered_map<std::string, std::vector<std::string>> DependencyGraph(
    const FlagProject& project) {
  std::unordered_map<std::string, std::vector<std::string>> graph;
  dom::parser parser;
  for (const auto& flag : project.flags) {
    dom::object filters;
    if (parser.parse(flag.filters_json).get_object().get(filters) != simdjson::SUCCESS) continue;
    std::vector<std::string>& keys = graph[flag.key];
    for (int64_t id : DependencyIds(filters)) {
      if (const meta::FeatureFlagRecord* target = FlagById(project, id)) {
        keys.push_back(target->key);
      }
    }
  }
  return graph;
}

// PostHog's _check_flag_circular_dependencies: the flag may not depend on itself, directly or
// through other flags.
Status CheckDependencies(dom::object filters, const FlagUnderCheck& flag,
                         const FlagProject& project) {
  if (flag.key.empty()) return Status::Ok();
  std::vector<std::string> direct;
  for (dom::object property : ConditionProperties(filters)) {
    if (StringField(property, "type") != "flag") continue;
    auto reference = Field(property, "key");
    if (!reference || IsBlankReference(*reference)) continue;
    HOGLET_ASSIGN_OR_RETURN(std::string key, ResolveDependency(*reference, project));
    if (std::find(direct.begin(), direct.end(), key) == direct.end()) direct.push_back(key);
  }
  if (direct.empty()) return Status::Ok();
  if (std::find(direct.begin(), direct.end(), flag.key) != direct.end()) {
    return FiltersError("Feature flag '" + std::string(flag.key) + "' cannot depend on itself");
  }

  auto graph = DependencyGraph(project);
  std::unordered_set<std::string> clean;  // explored without finding a cycle
  std::vector<std::string> path = {std::string(flag.key)};
  std::function<Status(const std::string&)> visit = [&](const std::string& key) -> Status {
    auto seen = std::find(path.begin(), path.end(), key);
    if (seen != path.end()) {
      std::string cycle;
      for (auto it = seen; it != path.end(); ++it) cycle += *it + " → ";
      return FiltersError("Circular dependency detected: " + cycle + key);
    }
    if (clean.count(key) > 0) return Status::Ok();
    auto next = graph.find(key);
    if (next != graph.end()) {
      path.push_back(key);
      for (const std::string& dependency : next->second) {
        HOGLET_RETURN_IF_ERROR(visit(dependency));
      }
      path.pop_back();
    }
    clean.insert(key);
    return Status::Ok();
  };
  for (const std::string& key : direct) HOGLET_RETURN_IF_ERROR(visit(key));
  return Status::Ok();
}

// The aggregation a condition set is matched by: its own "aggregation_group_type_index" when it
// has the key (null: persons), else the flag's (mixed targeting).
std::optional<int64_t> ConditionAggregation(dom::object condition,
                                            std::optional<int64_t> flag_aggregation) {
  auto own = Field(condition, "aggregation_group_type_index");
  if (!own) return flag_aggregation;
  int64_t index = 0;
  if (own->get_int64().get(index) == simdjson::SUCCESS) return index;
  return std::nullopt;
}

// Each condition set by its own aggregation: person-aggregated ones may use person, cohort and
// flag properties (a property without a type is a person property, as evaluation reads it), and
// flag properties only with flag_evaluates_to; group-aggregated ones only properties of their
// own group type. Sets `*has_person_conditions`.
Status CheckPropertyTypes(dom::object filters, std::optional<int64_t> flag_aggregation,
                          bool* has_person_conditions) {
  *has_person_conditions = false;
  for (dom::object condition : ObjectsIn(filters, "groups")) {
    std::optional<int64_t> aggregation = ConditionAggregation(condition, flag_aggregation);
    if (!aggregation) *has_person_conditions = true;
    for (dom::object property : ObjectsIn(condition, "properties")) {
      auto type_field = Field(property, "type");
      std::string_view type = StringField(property, "type");
      if (!aggregation) {
        bool person_like = !type_field || type == "person" || type == "cohort" || type == "flag";
        if (!person_like) {
          return FiltersError(
              "Filters are not valid (person-aggregated conditions can only use person, cohort, "
              "and flag properties)");
        }
        if (type == "flag" && StringField(property, "operator") != "flag_evaluates_to") {
          return FiltersError("Flag properties must use the 'flag_evaluates_to' operator");
        }
        continue;
      }
      if (type != "group") {
        return FiltersError(
            "Filters are not valid (group-aggregated conditions can only use group properties)");
      }
      int64_t index = -1;
      if (property.at_key("group_type_index").get_int64().get(index) != simdjson::SUCCESS ||
          index != *aggregation) {
        return FiltersError(
            "Filters are not valid (group properties must match the condition set's group type)");
      }
    }
  }
  return Status::Ok();
}

bool IsTruthy(const std::optional<dom::element>& value) {
  if (!value || value->is_null()) return false;
  dom::object object;
  if (value->get_object().get(object) == simdjson::SUCCESS) return object.size() > 0;
  dom::array array;
  if (value->get_array().get(array) == simdjson::SUCCESS) return array.size() > 0;
  bool flag = false;
  if (value->get_bool().get(flag) == simdjson::SUCCESS) return flag;
  return true;
}

Status CheckVariants(dom::object filters, std::vector<std::string>* variant_keys) {
  auto multivariate = Field(filters, "multivariate");
  dom::object multivariate_object;
  if (!multivariate || multivariate->get_object().get(multivariate_object) != simdjson::SUCCESS) {
    return Status::Ok();
  }
  std::vector<dom::object> variants = ObjectsIn(multivariate_object, "variants");
  double sum = 0;
  for (dom::object variant : variants) {
    std::string_view key = StringField(variant, "key");
    if (!key.empty()) variant_keys->emplace_back(key);
    double percentage = 0;
    if (variant.at_key("rollout_percentage").get_double().get(percentage) == simdjson::SUCCESS) {
      sum += percentage;
    }
  }
  if (!variants.empty() && std::fabs(sum - 100) > 1e-9) {
    return FiltersError(
        "Invalid variant definitions: Variant rollout percentages must sum to 100.");
  }
  return Status::Ok();
}

Status CheckDateValue(const std::optional<dom::element>& value, int64_t now_us) {
  filters::PropertyValue parsed;
  std::string_view text;
  double number = 0;
  if (value && value->get_string().get(text) == simdjson::SUCCESS) {
    parsed = filters::PropertyValue::String(std::string(text));
  } else if (value && value->get_double().get(number) == simdjson::SUCCESS) {
    parsed = filters::PropertyValue::Number(number, simdjson::minify(*value));
  }
  if (parsed.kind != filters::PropertyValue::Kind::kNull &&
      filters::ParseDateValue(parsed, now_us).has_value()) {
    return Status::Ok();
  }
  return FiltersError("Invalid date value: " + (value ? Describe(*value) : std::string("None")),
                      "invalid_date");
}

// Whether the filters of a cohort hold a behavioural criterion (any "type": "behavioral").
bool HasBehavioralCriterion(const dom::element& element) {
  dom::object object;
  if (element.get_object().get(object) == simdjson::SUCCESS) {
    std::string_view type;
    if (object["type"].get_string().get(type) == simdjson::SUCCESS && type == "behavioral") {
      return true;
    }
    for (auto field : object) {
      if (HasBehavioralCriterion(field.value)) return true;
    }
    return false;
  }
  dom::array array;
  if (element.get_array().get(array) == simdjson::SUCCESS) {
    for (dom::element item : array) {
      if (HasBehavioralCriterion(item)) return true;
    }
  }
  return false;
}

// PostHog's rule: a flag may not use a cohort with behavioural criteria, directly or through the
// cohorts it refers to (their membership is what the person did, which flags do not read). The
// first such cohort, or null.
const meta::CohortRecord* BehavioralCohort(int64_t id, const FlagProject& project) {
  std::unordered_set<int64_t> seen;
  std::vector<int64_t> pending = {id};
  dom::parser parser;
  while (!pending.empty()) {
    int64_t next = pending.back();
    pending.pop_back();
    if (!seen.insert(next).second) continue;
    auto cohort = std::find_if(project.cohorts.begin(), project.cohorts.end(),
                               [&](const meta::CohortRecord& c) { return c.id == next; });
    if (cohort == project.cohorts.end() || cohort->is_static) continue;
    dom::element root;
    if (parser.parse(cohort->filters_json).get(root) == simdjson::SUCCESS &&
        HasBehavioralCriterion(root)) {
      return &*cohort;
    }
    for (int64_t referenced : ReferencedCohortIds(cohort->filters_json)) {
      pending.push_back(referenced);
    }
  }
  return nullptr;
}

Status CheckProperty(dom::object property, const FlagUnderCheck& flag, const FlagProject& project) {
  std::string_view type = StringField(property, "type");
  std::string_view op = StringField(property, "operator");
  auto value = Field(property, "value");
  dom::array list;
  if (value && value->get_array().get(list) == simdjson::SUCCESS &&
      list.size() > kMaxPropertyValues) {
    return FiltersError("Property group expressions of type " +
                        std::string(StringField(property, "key")) + " cannot contain more than " +
                        std::to_string(kMaxPropertyValues) + " values.");
  }
  if (type == "cohort") {
    std::optional<int64_t> id = value ? IdOf(*value) : std::nullopt;
    bool exists = id && std::any_of(project.cohorts.begin(), project.cohorts.end(),
                                    [&](const meta::CohortRecord& c) { return c.id == *id; });
    if (!exists) {
      return FiltersError(
          "Cohort with id " + (value ? Describe(*value) : std::string("None")) + " does not exist",
          "cohort_does_not_exist");
    }
    if (const meta::CohortRecord* behavioral = BehavioralCohort(*id, project)) {
      return FiltersError("Cohort '" + behavioral->name +
                              "' with filters on events cannot be used in feature flags.",
                          "behavioral_cohort_found");
    }
  }
  if (op == "is_date_before" || op == "is_date_after") {
    HOGLET_RETURN_IF_ERROR(CheckDateValue(value, flag.now_us));
  }
  static constexpr std::string_view kStringOperators[] = {
      "regex", "icontains", "not_regex", "not_icontains", "gte", "lte", "gt", "lt"};
  bool needs_string = std::find(std::begin(kStringOperators), std::end(kStringOperators), op) !=
                      std::end(kStringOperators);
  if (needs_string && !(value && value->is_string())) {
    return FiltersError("Invalid value for operator " + std::string(op) + ": " +
                            (value ? Describe(*value) : std::string("None")),
                        "invalid_value");
  }
  // Person and group filters name a property and an operator the evaluator knows; otherwise the
  // condition would silently match nobody (a stored flag keeps that reading).
  if (type.empty() || type == "person" || type == "group") {
    auto key_field = Field(property, "key");
    if (!key_field || !key_field->is_string() || StringField(property, "key").empty()) {
      return FiltersError("Property filters need a non-empty 'key'", "invalid_key");
    }
    auto op_field = Field(property, "operator");
    bool named = op_field && !op_field->is_null();
    if (named &&
        (!op_field->is_string() || filters::OperatorFromName(op) == filters::Operator::kUnknown)) {
      return FiltersError("Unknown operator '" + std::string(op) + "' on property '" +
                              std::string(StringField(property, "key")) + "'",
                          "invalid_operator");
    }
  }
  if ((op == "in" || op == "not_in") && type != "cohort") {
    return FiltersError("The '" + std::string(op) +
                            "' operator is only valid for cohort properties, not '" +
                            std::string(type.empty() ? "person" : type) + "' properties.",
                        "invalid_operator");
  }
  return Status::Ok();
}

// Checks the payloads and writes the filters back with object payloads as JSON-encoded strings.
StatusOr<std::string> CheckPayloads(dom::object filters,
                                    const std::vector<std::string>& variant_keys) {
  auto payloads = Field(filters, "payloads");
  dom::object payload_object;
  if (payloads && !payloads->is_null() &&
      payloads->get_object().get(payload_object) != simdjson::SUCCESS) {
    return FiltersError("Payloads must be passed as a dictionary");
  }
  bool has_payloads = payloads && !payloads->is_null();
  if (has_payloads) {
    dom::parser parser;
    size_t count = 0;
    for (dom::key_value_pair payload : payload_object) {
      ++count;
      std::string_view text;
      if (payload.value.get_string().get(text) == simdjson::SUCCESS) {
        dom::element ignored;
        if (parser.parse(std::string(text)).get(ignored) != simdjson::SUCCESS) {
          return FiltersError("Payload value is not valid JSON");
        }
      }
    }
    bool multivariate = IsTruthy(Field(filters, "multivariate"));
    for (dom::key_value_pair payload : payload_object) {
      if (multivariate) {
        if (std::find(variant_keys.begin(), variant_keys.end(), payload.key) ==
            variant_keys.end()) {
          return FiltersError("Payload keys must match a variant key for multivariate flags");
        }
      } else if (count > 1 || payload.key != "true") {
        return FiltersError("Payload keys must be 'true' for boolean flags");
      }
    }
  }

  JsonWriter w;
  w.BeginObject();
  for (dom::key_value_pair field : filters) {
    w.Key(field.key);
    if (field.key != "payloads" || !has_payloads) {
      w.Raw(simdjson::minify(field.value));
      continue;
    }
    w.BeginObject();
    for (dom::key_value_pair payload : payload_object) {
      w.Key(payload.key);
      if (payload.value.is_object()) {
        w.String(simdjson::minify(payload.value));
      } else {
        w.Raw(simdjson::minify(payload.value));
      }
    }
    w.EndObject();
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace

Status CheckFlagKey(std::string_view key) {
  if (key.empty()) return InvalidArgumentError("This field may not be blank.", "blank");
  if (key.size() > meta::kMaxFeatureFlagKeyBytes) {
    return InvalidArgumentError("Ensure this field has no more than " +
                                    std::to_string(meta::kMaxFeatureFlagKeyBytes) + " characters.",
                                "max_length");
  }
  bool valid = std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
  if (!valid) {
    return InvalidArgumentError("Only letters, numbers, hyphens (-) & underscores (_) are allowed.",
                                "invalid_key");
  }
  return Status::Ok();
}

StatusOr<std::string> CheckFlagFilters(std::string_view filters_json, const FlagUnderCheck& flag,
                                       const FlagProject& project) {
  dom::parser parser;
  dom::object filters;
  if (parser.parse(filters_json).get_object().get(filters) != simdjson::SUCCESS) {
    return FiltersError("'filters' must be an object");
  }
  if (flag.creating && !IsTruthy(Field(filters, "groups"))) {
    return FiltersError("Feature flags must have at least one condition set (group).");
  }

  std::optional<int64_t> aggregation;
  int64_t index = 0;
  if (filters.at_key("aggregation_group_type_index").get_int64().get(index) == simdjson::SUCCESS) {
    aggregation = index;
  }
  bool has_person_conditions = false;
  HOGLET_RETURN_IF_ERROR(CheckPropertyTypes(filters, aggregation, &has_person_conditions));
  // Flag dependencies are read only by person-aggregated condition sets.
  if (has_person_conditions) HOGLET_RETURN_IF_ERROR(CheckDependencies(filters, flag, project));

  std::vector<std::string> variant_keys;
  HOGLET_RETURN_IF_ERROR(CheckVariants(filters, &variant_keys));
  for (dom::object condition : ObjectsIn(filters, "groups")) {
    std::string_view variant = StringField(condition, "variant");
    if (!variant.empty() &&
        std::find(variant_keys.begin(), variant_keys.end(), variant) == variant_keys.end()) {
      return FiltersError("Filters are not valid (variant override does not exist)");
    }
    for (dom::object property : ObjectsIn(condition, "properties")) {
      HOGLET_RETURN_IF_ERROR(CheckProperty(property, flag, project));
    }
  }

  HOGLET_ASSIGN_OR_RETURN(std::string normalized, CheckPayloads(filters, variant_keys));
  filters::FilterParseOptions options;
  options.reject_invalid_regex = true;
  auto parsed = ParseFlagFilters(normalized, options);
  if (!parsed.ok()) return FiltersError(std::string(parsed.status().message()));
  return normalized;
}

std::vector<meta::FeatureFlagRecord> FlagsDependingOn(const FlagProject& project, int64_t flag_id) {
  std::vector<meta::FeatureFlagRecord> result;
  dom::parser parser;
  for (const auto& flag : project.flags) {
    if (flag.id == flag_id || !flag.active) continue;
    dom::object filters;
    if (parser.parse(flag.filters_json).get_object().get(filters) != simdjson::SUCCESS) continue;
    std::vector<int64_t> ids = DependencyIds(filters);
    if (std::find(ids.begin(), ids.end(), flag_id) != ids.end()) result.push_back(flag);
  }
  std::sort(result.begin(), result.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return result;
}

std::vector<meta::FeatureFlagRecord> InactiveDependencies(const FlagProject& project,
                                                          std::string_view filters_json) {
  std::vector<meta::FeatureFlagRecord> result;
  dom::parser parser;
  dom::object filters;
  if (parser.parse(filters_json).get_object().get(filters) != simdjson::SUCCESS) return result;
  for (int64_t id : DependencyIds(filters)) {
    const meta::FeatureFlagRecord* flag = FlagById(project, id);
    bool listed =
        std::any_of(result.begin(), result.end(), [id](const auto& f) { return f.id == id; });
    if (flag != nullptr && !flag->active && !listed) result.push_back(*flag);
  }
  std::sort(result.begin(), result.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return result;
}

std::string DescribeFlags(const std::vector<meta::FeatureFlagRecord>& flags, size_t shown) {
  std::string text;
  for (size_t i = 0; i < flags.size() && i < shown; ++i) {
    if (!text.empty()) text += ", ";
    text += flags[i].key + " (ID: " + std::to_string(flags[i].id) + ")";
  }
  if (flags.size() > shown) text += ", and " + std::to_string(flags.size() - shown) + " more";
  return text;
}

std::vector<int64_t> ReferencedCohortIds(std::string_view filters_json) {
  std::vector<int64_t> ids;
  dom::parser parser;
  dom::element root;
  if (parser.parse(filters_json).get(root) != simdjson::SUCCESS) return ids;
  std::function<void(dom::element)> walk = [&](dom::element element) {
    dom::object object;
    dom::array array;
    if (element.get_object().get(object) == simdjson::SUCCESS) {
      if (StringField(object, "type") == "cohort") {
        auto value = Field(object, "value");
        std::optional<int64_t> id = value ? IdOf(*value) : std::nullopt;
        if (id && std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
      }
      for (dom::key_value_pair field : object) walk(field.value);
    } else if (element.get_array().get(array) == simdjson::SUCCESS) {
      for (dom::element item : array) walk(item);
    }
  };
  walk(root);
  return ids;
}

}  // namespace hoglet::flags
