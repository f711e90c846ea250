#include "flags/feature_flag.h"

#include <simdjson.h>

#include <cmath>
#include <set>
#include <utility>

#include "flags/filters_json.h"

namespace hoglet::flags {
namespace {

namespace dom = simdjson::dom;

constexpr int kMaxGroupTypeIndex = 4;
// Variant percentages are floats; sums such as 33.33 + 33.33 + 33.34 must still count as 100.
constexpr double kVariantSumTolerance = 1e-6;

Status FieldError(const std::string& field, std::string_view what) {
  return InvalidArgumentError(field + " " + std::string(what), "invalid_input");
}

// The member `name` of `object`; nullopt when absent or JSON null.
std::optional<dom::element> Member(const dom::object& object, std::string_view name) {
  dom::element value;
  if (object.at_key(name).get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
  return value;
}

std::optional<double> Number(const dom::element& value) {
  switch (value.type()) {
    case dom::element_type::INT64:
      return static_cast<double>(value.get_int64().value_unsafe());
    case dom::element_type::UINT64:
      return static_cast<double>(value.get_uint64().value_unsafe());
    case dom::element_type::DOUBLE:
      return value.get_double().value_unsafe();
    default:
      return std::nullopt;
  }
}

StatusOr<double> Percentage(const dom::element& value, const std::string& field) {
  std::optional<double> number = Number(value);
  if (!number || !std::isfinite(*number) || *number < 0 || *number > 100) {
    return FieldError(field, "must be a number between 0 and 100");
  }
  return *number;
}

StatusOr<std::optional<int>> GroupTypeIndex(const dom::object& object, std::string_view name,
                                            const std::string& path) {
  std::optional<dom::element> value = Member(object, name);
  if (!value) return std::optional<int>();
  int64_t index = -1;
  if (value->get_int64().get(index) != simdjson::SUCCESS || index < 0 ||
      index > kMaxGroupTypeIndex) {
    return FieldError(path + std::string(name), "must be null or an integer from 0 to 4");
  }
  return std::optional<int>(static_cast<int>(index));
}

StatusOr<bool> OptionalBool(const dom::object& object, std::string_view name) {
  std::optional<dom::element> value = Member(object, name);
  if (!value) return false;
  bool flag = false;
  if (value->get_bool().get(flag) != simdjson::SUCCESS) {
    return FieldError(std::string(name), "must be a boolean");
  }
  return flag;
}

StatusOr<Condition> ParseCondition(const dom::element& element, const std::string& path,
                                   const filters::FilterParseOptions& options) {
  dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return FieldError(path, "must be an object");
  }
  Condition condition;
  if (std::optional<dom::element> properties = Member(object, "properties")) {
    dom::array array;
    if (properties->get_array().get(array) != simdjson::SUCCESS) {
      return FieldError(path + ".properties", "must be a list");
    }
    size_t i = 0;
    for (dom::element item : array) {
      std::string item_path = path + ".properties[" + std::to_string(i++) + "]";
      StatusOr<filters::PropertyFilter> filter =
          filters::ParsePropertyFilter(simdjson::minify(item), options);
      if (!filter.ok()) {
        return InvalidArgumentError(item_path + ": " + filter.status().message(), "invalid_input");
      }
      condition.properties.push_back(std::move(filter).value());
    }
  }
  if (std::optional<dom::element> rollout = Member(object, "rollout_percentage")) {
    HOGLET_ASSIGN_OR_RETURN(double percentage, Percentage(*rollout, path + ".rollout_percentage"));
    condition.rollout_percentage = percentage;
  }
  if (std::optional<dom::element> variant = Member(object, "variant")) {
    std::string_view text;
    if (variant->get_string().get(text) != simdjson::SUCCESS) {
      return FieldError(path + ".variant", "must be null or a variant key");
    }
    condition.variant = std::string(text);
  }
  HOGLET_ASSIGN_OR_RETURN(condition.aggregation_group_type_index,
                          GroupTypeIndex(object, "aggregation_group_type_index", path + "."));
  return condition;
}

StatusOr<std::vector<Condition>> ParseConditions(const dom::object& filters, std::string_view name,
                                                 const filters::FilterParseOptions& options) {
  std::vector<Condition> conditions;
  std::optional<dom::element> value = Member(filters, name);
  if (!value) return conditions;
  dom::array array;
  if (value->get_array().get(array) != simdjson::SUCCESS) {
    return FieldError(std::string(name), "must be a list");
  }
  size_t i = 0;
  for (dom::element item : array) {
    std::string path = std::string(name) + "[" + std::to_string(i++) + "]";
    HOGLET_ASSIGN_OR_RETURN(Condition condition, ParseCondition(item, path, options));
    conditions.push_back(std::move(condition));
  }
  return conditions;
}

StatusOr<std::vector<Variant>> ParseVariants(const dom::object& filters) {
  std::vector<Variant> variants;
  std::optional<dom::element> multivariate = Member(filters, "multivariate");
  if (!multivariate) return variants;
  dom::object object;
  if (multivariate->get_object().get(object) != simdjson::SUCCESS) {
    return FieldError("multivariate", "must be null or an object with \"variants\"");
  }
  std::optional<dom::element> list = Member(object, "variants");
  if (!list) return variants;
  dom::array array;
  if (list->get_array().get(array) != simdjson::SUCCESS) {
    return FieldError("multivariate.variants", "must be a list");
  }
  std::set<std::string, std::less<>> keys;
  double sum = 0;
  size_t i = 0;
  for (dom::element item : array) {
    std::string path = "multivariate.variants[" + std::to_string(i++) + "]";
    dom::object variant_object;
    if (item.get_object().get(variant_object) != simdjson::SUCCESS) {
      return FieldError(path, "must be an object");
    }
    Variant variant;
    std::string_view key;
    std::optional<dom::element> key_value = Member(variant_object, "key");
    if (!key_value || key_value->get_string().get(key) != simdjson::SUCCESS || key.empty()) {
      return FieldError(path + ".key", "must be a non-empty string");
    }
    if (!keys.emplace(key).second) {
      return FieldError(path + ".key", "repeats the variant key \"" + std::string(key) + "\"");
    }
    variant.key = std::string(key);
    if (std::optional<dom::element> name = Member(variant_object, "name")) {
      std::string_view text;
      if (name->get_string().get(text) != simdjson::SUCCESS) {
        return FieldError(path + ".name", "must be a string");
      }
      variant.name = std::string(text);
    }
    std::optional<dom::element> rollout = Member(variant_object, "rollout_percentage");
    if (!rollout)
      return FieldError(path + ".rollout_percentage", "must be a number between 0 and 100");
    HOGLET_ASSIGN_OR_RETURN(variant.rollout_percentage,
                            Percentage(*rollout, path + ".rollout_percentage"));
    sum += variant.rollout_percentage;
    variants.push_back(std::move(variant));
  }
  if (!variants.empty() && std::fabs(sum - 100) > kVariantSumTolerance) {
    return FieldError("multivariate.variants", "rollout percentages must sum to 100");
  }
  return variants;
}

StatusOr<std::optional<Holdout>> ParseHoldout(const dom::object& filters) {
  std::optional<dom::element> value = Member(filters, "holdout");
  if (!value) return std::optional<Holdout>();
  dom::object object;
  if (value->get_object().get(object) != simdjson::SUCCESS) {
    return FieldError("holdout",
                      "must be null or an object with \"id\" and \"exclusion_percentage\"");
  }
  Holdout holdout;
  std::optional<dom::element> id = Member(object, "id");
  if (!id || id->get_int64().get(holdout.id) != simdjson::SUCCESS) {
    return FieldError("holdout.id", "must be an integer");
  }
  std::optional<dom::element> exclusion = Member(object, "exclusion_percentage");
  if (!exclusion) {
    return FieldError("holdout.exclusion_percentage", "must be a number between 0 and 100");
  }
  HOGLET_ASSIGN_OR_RETURN(holdout.exclusion_percentage,
                          Percentage(*exclusion, "holdout.exclusion_percentage"));
  return std::optional<Holdout>(holdout);
}

Status ParsePayloads(const dom::object& filters, FlagFilters* parsed) {
  std::optional<dom::element> value = Member(filters, "payloads");
  if (!value) return Status::Ok();
  dom::object object;
  if (value->get_object().get(object) != simdjson::SUCCESS) {
    return FieldError("payloads", "must be an object keyed by \"true\" or a variant key");
  }
  for (dom::key_value_pair field : object) {
    std::string_view key = field.key;
    bool known = key == "true";
    for (const Variant& variant : parsed->variants) known = known || variant.key == key;
    if (parsed->holdout) known = known || key == "holdout-" + std::to_string(parsed->holdout->id);
    for (const Condition& holdout : parsed->holdout_groups) {
      known = known || (holdout.variant && *holdout.variant == key);
    }
    if (!known) {
      return FieldError("payloads[\"" + std::string(key) + "\"]",
                        "does not name \"true\" or a variant of this flag");
    }
    if (field.value.is_null()) continue;
    parsed->payloads.insert_or_assign(std::string(key), simdjson::minify(field.value));
  }
  return Status::Ok();
}

Status CheckVariantOverrides(const FlagFilters& filters) {
  for (size_t i = 0; i < filters.groups.size(); ++i) {
    const std::optional<std::string>& variant = filters.groups[i].variant;
    if (!variant) continue;
    bool exists = false;
    for (const Variant& v : filters.variants) exists = exists || v.key == *variant;
    if (!exists) {
      return FieldError("groups[" + std::to_string(i) + "].variant",
                        "names a variant that does not exist: \"" + *variant + "\"");
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<FlagFilters> ParseFlagFilters(std::string_view json,
                                       const filters::FilterParseOptions& options) {
  dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(dom::object object, ParseFiltersObject(parser, json, "filters"));

  FlagFilters filters;
  HOGLET_ASSIGN_OR_RETURN(filters.aggregation_group_type_index,
                          GroupTypeIndex(object, "aggregation_group_type_index", ""));
  HOGLET_ASSIGN_OR_RETURN(filters.groups, ParseConditions(object, "groups", options));
  HOGLET_ASSIGN_OR_RETURN(filters.variants, ParseVariants(object));
  HOGLET_ASSIGN_OR_RETURN(filters.super_groups, ParseConditions(object, "super_groups", options));
  HOGLET_ASSIGN_OR_RETURN(filters.feature_enrollment, OptionalBool(object, "feature_enrollment"));
  HOGLET_ASSIGN_OR_RETURN(filters.holdout, ParseHoldout(object));
  HOGLET_ASSIGN_OR_RETURN(filters.holdout_groups,
                          ParseConditions(object, "holdout_groups", options));
  HOGLET_ASSIGN_OR_RETURN(filters.early_exit, OptionalBool(object, "early_exit"));
  HOGLET_RETURN_IF_ERROR(CheckVariantOverrides(filters));
  HOGLET_RETURN_IF_ERROR(ParsePayloads(object, &filters));
  return filters;
}

std::optional<EvaluationRuntime> ParseEvaluationRuntime(std::string_view name) {
  auto equals = [name](std::string_view expected) {
    if (name.size() != expected.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != expected[i]) return false;
    }
    return true;
  };
  if (equals("all")) return EvaluationRuntime::kAll;
  if (equals("client")) return EvaluationRuntime::kClient;
  if (equals("server")) return EvaluationRuntime::kServer;
  return std::nullopt;
}

std::string_view EvaluationRuntimeName(EvaluationRuntime runtime) {
  switch (runtime) {
    case EvaluationRuntime::kAll:
      return "all";
    case EvaluationRuntime::kClient:
      return "client";
    case EvaluationRuntime::kServer:
      return "server";
  }
  return "all";
}

}  // namespace hoglet::flags
