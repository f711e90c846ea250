#include "filters/property_filter.h"

#include <re2/re2.h>
#include <simdjson.h>

#include <array>
#include <cmath>
#include <utility>

#include "filters/element_filter.h"
#include "filters/property_value_json.h"

namespace hoglet::filters {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxDepth = 64;

// Indexed by Operator; kUnknown is last.
constexpr std::array<std::string_view, static_cast<size_t>(Operator::kUnknown) + 1> kOperatorNames =
    {
        "exact",
        "is_not",
        "is_set",
        "is_not_set",
        "icontains",
        "not_icontains",
        "icontains_multi",
        "not_icontains_multi",
        "starts_with",
        "not_starts_with",
        "ends_with",
        "not_ends_with",
        "regex",
        "not_regex",
        "gt",
        "gte",
        "lt",
        "lte",
        "is_date_before",
        "is_date_after",
        "is_date_exact",
        "semver_eq",
        "semver_neq",
        "semver_gt",
        "semver_gte",
        "semver_lt",
        "semver_lte",
        "semver_tilde",
        "semver_caret",
        "semver_wildcard",
        "in",
        "not_in",
        "flag_evaluates_to",
        "unknown",
};

static_assert(kOperatorNames[static_cast<size_t>(Operator::kRegex)] == "regex");
static_assert(kOperatorNames[static_cast<size_t>(Operator::kSemverWildcard)] == "semver_wildcard");
static_assert(kOperatorNames[static_cast<size_t>(Operator::kFlagEvaluatesTo)] ==
              "flag_evaluates_to");

Status FieldError(std::string_view field, std::string_view what) {
  return InvalidArgumentError("property filter '" + std::string(field) + "' " + std::string(what),
                              "invalid_property_filter");
}

FilterType TypeFromName(std::string_view name) {
  if (name == "person") return FilterType::kPerson;
  if (name == "group") return FilterType::kGroup;
  if (name == "cohort") return FilterType::kCohort;
  if (name == "flag") return FilterType::kFlag;
  if (name == "event") return FilterType::kEvent;
  if (name == "element") return FilterType::kElement;
  if (name == "hogql") return FilterType::kHogQL;
  return FilterType::kOther;
}

// At most `max_bytes` of `text`, cut at a UTF-8 code point boundary, "..." marking a cut: keys
// and patterns in messages come from clients.
std::string Shortened(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

std::string Quoted(std::string_view text) { return QuotedFilterText(text); }

// Compiles a regex or not_regex filter's pattern; on failure leaves `regex` null and says why.
void CompileRegex(PropertyFilter* filter) {
  std::string pattern = filter->value.ToText();
  if (pattern.size() > kMaxRegexPatternBytes) {
    filter->regex_error =
        "the pattern is longer than " + std::to_string(kMaxRegexPatternBytes) + " bytes";
    return;
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRegexMaxMemBytes);
  auto regex = std::make_shared<const RE2>(pattern, options);
  if (regex->ok()) {
    filter->regex = std::move(regex);
  } else {
    filter->regex_error = Shortened(regex->error(), 200);
  }
}

bool NeedsValue(Operator op) { return op != Operator::kIsSet && op != Operator::kIsNotSet; }

// A cohort id as PostHog stores it: a JSON integer, or (in older filters) a string of digits.
std::optional<int64_t> CohortId(const dom::element& value) {
  int64_t id = 0;
  if (value.get_int64().get(id) == simdjson::SUCCESS) return id;
  uint64_t unsigned_id = 0;
  if (value.get_uint64().get(unsigned_id) == simdjson::SUCCESS) return std::nullopt;
  double number = 0;
  if (value.get_double().get(number) == simdjson::SUCCESS) {
    if (std::trunc(number) == number && std::fabs(number) < 9e15) {
      return static_cast<int64_t>(number);
    }
    return std::nullopt;
  }
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS && !text.empty() && text.size() <= 18) {
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    return std::stoll(std::string(text));
  }
  return std::nullopt;
}

}  // namespace

StatusOr<PropertyFilter> PropertyFilterFromJson(const dom::element& element,
                                                const FilterParseOptions& options) {
  dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError("property filter must be a JSON object", "invalid_property_filter");
  }
  PropertyFilter filter;
  filter.type = options.default_type;
  filter.type_name = std::string(FilterTypeName(options.default_type));

  dom::element type;
  if (object["type"].get(type) == simdjson::SUCCESS && !type.is_null()) {
    std::string_view name;
    if (type.get_string().get(name) != simdjson::SUCCESS) {
      return FieldError("type", "must be a string");
    }
    filter.type = TypeFromName(name);
    filter.type_name = std::string(name);
  }
  const bool behavioral = filter.type_name == kBehavioralTypeName;

  std::string_view key;
  int64_t action_id = 0;
  if (object["key"].get_string().get(key) == simdjson::SUCCESS) {
    filter.key = std::string(key);
  } else if (behavioral && object["key"].get_int64().get(action_id) == simdjson::SUCCESS) {
    filter.key = std::to_string(action_id);
  } else {
    return FieldError("key", "must be a string");
  }
  if (options.strict && filter.key.empty()) return FieldError("key", "must not be empty");

  dom::element op;
  if (object["operator"].get(op) == simdjson::SUCCESS && !op.is_null()) {
    std::string_view name;
    if (op.get_string().get(name) == simdjson::SUCCESS) {
      filter.operator_name = std::string(name);
      filter.op = OperatorFromName(name);
    } else {
      filter.operator_name = simdjson::minify(op);
      filter.op = Operator::kUnknown;
    }
  } else {
    filter.operator_name = std::string(OperatorName(Operator::kExact));
  }

  dom::element value;
  if (object["value"].get(value) == simdjson::SUCCESS) {
    if (filter.type == FilterType::kCohort) {
      std::optional<int64_t> id = CohortId(value);
      if (!id) return FieldError("value", "of a cohort filter must be an integer cohort id");
      filter.value = PropertyValue::Number(static_cast<double>(*id), std::to_string(*id));
    } else {
      filter.value = PropertyValueFromJson(value);
      dom::array items;
      if (value.get_array().get(items) == simdjson::SUCCESS) {
        filter.value_items.reserve(items.size());
        for (dom::element item : items) filter.value_items.push_back(PropertyValueFromJson(item));
      }
    }
  } else if (filter.type == FilterType::kCohort) {
    return FieldError("value", "of a cohort filter must be an integer cohort id");
  }

  dom::element group_type_index;
  if (object["group_type_index"].get(group_type_index) == simdjson::SUCCESS &&
      !group_type_index.is_null()) {
    int64_t index = 0;
    if (group_type_index.get_int64().get(index) == simdjson::SUCCESS && index >= 0 &&
        index <= 1000) {
      filter.group_type_index = static_cast<int>(index);
    }
  }

  bool negation = false;
  if (object["negation"].get_bool().get(negation) == simdjson::SUCCESS) {
    filter.negation = negation;
  }

  dom::array chain;
  if (object["dependency_chain"].get_array().get(chain) == simdjson::SUCCESS) {
    for (dom::element item : chain) {
      std::string_view dependency;
      if (item.get_string().get(dependency) == simdjson::SUCCESS) {
        filter.dependency_chain.emplace_back(dependency);
      } else {
        // Dependencies written as flag ids.
        filter.dependency_chain.push_back(simdjson::minify(item));
      }
    }
  }

  if (options.strict) {
    if (filter.op == Operator::kUnknown) {
      return InvalidArgumentError("the filter on " + Quoted(filter.key) +
                                      " has an unknown operator " + Quoted(filter.operator_name),
                                  "invalid_property_filter");
    }
    if (NeedsValue(filter.op) && filter.value.kind == PropertyValue::Kind::kNull &&
        filter.type != FilterType::kHogQL) {
      return InvalidArgumentError("the filter on " + Quoted(filter.key) + " needs a 'value'",
                                  "invalid_property_filter");
    }
  }
  if (filter.type == FilterType::kElement) {
    HOGLET_RETURN_IF_ERROR(PrepareElementFilter(&filter, options.strict));
  }
  if (behavioral) ReadBehavioralCriterion(object, &filter);
  if (filter.op == Operator::kRegex || filter.op == Operator::kNotRegex) {
    CompileRegex(&filter);
    if (options.reject_invalid_regex || options.strict) HOGLET_RETURN_IF_ERROR(CheckRegex(filter));
  }
  return filter;
}

std::string QuotedFilterText(std::string_view text) { return "'" + Shortened(text, 100) + "'"; }

Status CheckRegex(const PropertyFilter& filter) {
  if (filter.op != Operator::kRegex && filter.op != Operator::kNotRegex) return Status::Ok();
  if (filter.regex != nullptr) return Status::Ok();
  return InvalidArgumentError("the filter on " + Quoted(filter.key) +
                                  " has a regex that RE2 cannot use: " + filter.regex_error,
                              "invalid_property_filter");
}

std::string_view FilterTypeName(FilterType type) {
  switch (type) {
    case FilterType::kPerson:
      return "person";
    case FilterType::kGroup:
      return "group";
    case FilterType::kCohort:
      return "cohort";
    case FilterType::kFlag:
      return "flag";
    case FilterType::kEvent:
      return "event";
    case FilterType::kElement:
      return "element";
    case FilterType::kHogQL:
      return "hogql";
    case FilterType::kOther:
      break;
  }
  return "other";
}

std::string_view OperatorName(Operator op) {
  size_t index = static_cast<size_t>(op);
  if (index >= kOperatorNames.size()) return "unknown";
  return kOperatorNames[index];
}

Operator OperatorFromName(std::string_view name) {
  // "unknown" is not a PostHog operator: it stays kUnknown like any other unrecognised name.
  for (size_t i = 0; i + 1 < kOperatorNames.size(); ++i) {
    if (kOperatorNames[i] == name) return static_cast<Operator>(i);
  }
  return Operator::kUnknown;
}

StatusOr<PropertyFilter> ParsePropertyFilter(std::string_view json,
                                             const FilterParseOptions& options) {
  // Flag sets are compiled on every change: one parser and buffer per thread, reused.
  thread_local dom::parser parser;
  thread_local std::string buffer;
  if (parser.max_depth() != kMaxDepth && parser.allocate(4096, kMaxDepth) != simdjson::SUCCESS) {
    return InternalError("cannot allocate a JSON parser");
  }
  buffer.assign(json);
  buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  dom::element root;
  simdjson::error_code error = parser.parse(buffer).get(root);
  if (error != simdjson::SUCCESS) {
    return InvalidArgumentError(
        std::string("property filter is not valid JSON: ") + simdjson::error_message(error),
        "invalid_property_filter");
  }
  return PropertyFilterFromJson(root, options);
}

}  // namespace hoglet::filters
