#include "flags/flag_definitions_json.h"

#include <simdjson.h>

#include <set>

#include "base/json_writer.h"

namespace hoglet::flags {
namespace {

namespace dom = simdjson::dom;

// Copies a flag-dependency filter with its resolved key and dependency chain.
void WriteFlagFilter(const dom::object& stored, const filters::PropertyFilter& filter,
                     JsonWriter* w) {
  w->BeginObject();
  for (dom::key_value_pair field : stored) {
    if (field.key == "dependency_chain") continue;
    w->Key(field.key);
    if (field.key == "key") {
      w->String(filter.key);
    } else {
      w->Raw(simdjson::minify(field.value));
    }
  }
  w->Key("dependency_chain");
  w->BeginArray();
  for (const std::string& key : filter.dependency_chain) w->String(key);
  w->EndArray();
  w->EndObject();
}

// Copies `stored`, or rewrites it when it is the flag filter `parsed` (same position).
void WriteFilter(const dom::element& stored, const filters::PropertyFilter* parsed, JsonWriter* w) {
  dom::object object;
  if (parsed != nullptr && parsed->type == filters::FilterType::kFlag &&
      stored.get_object().get(object) == simdjson::SUCCESS) {
    WriteFlagFilter(object, *parsed, w);
  } else {
    w->Raw(simdjson::minify(stored));
  }
}

void WriteCondition(const dom::element& stored, const Condition* parsed, JsonWriter* w) {
  dom::object object;
  if (parsed == nullptr || stored.get_object().get(object) != simdjson::SUCCESS) {
    w->Raw(simdjson::minify(stored));
    return;
  }
  w->BeginObject();
  for (dom::key_value_pair field : object) {
    w->Key(field.key);
    dom::array properties;
    if (field.key != "properties" || field.value.get_array().get(properties) != simdjson::SUCCESS) {
      w->Raw(simdjson::minify(field.value));
      continue;
    }
    w->BeginArray();
    size_t i = 0;
    for (dom::element item : properties) {
      WriteFilter(item, i < parsed->properties.size() ? &parsed->properties[i] : nullptr, w);
      ++i;
    }
    w->EndArray();
  }
  w->EndObject();
}

const std::vector<Condition>* ParsedConditions(const FlagFilters& filters, std::string_view name) {
  if (name == "groups") return &filters.groups;
  if (name == "super_groups") return &filters.super_groups;
  if (name == "holdout_groups") return &filters.holdout_groups;
  return nullptr;
}

void WriteFlagFiltersJson(const FeatureFlag& flag, JsonWriter* w) {
  dom::parser parser;
  dom::element root;
  dom::object object;
  simdjson::padded_string padded(flag.filters_json);
  if (parser.parse(padded).get(root) != simdjson::SUCCESS ||
      root.get_object().get(object) != simdjson::SUCCESS) {
    w->Raw("{}");  // stored filters are validated on write; nothing sensible to serve otherwise
    return;
  }
  w->BeginObject();
  for (dom::key_value_pair field : object) {
    w->Key(field.key);
    const std::vector<Condition>* parsed = ParsedConditions(flag.filters, field.key);
    dom::array conditions;
    if (parsed == nullptr || field.value.get_array().get(conditions) != simdjson::SUCCESS) {
      w->Raw(simdjson::minify(field.value));
      continue;
    }
    w->BeginArray();
    size_t i = 0;
    for (dom::element item : conditions) {
      WriteCondition(item, i < parsed->size() ? &(*parsed)[i] : nullptr, w);
      ++i;
    }
    w->EndArray();
  }
  w->EndObject();
}

// Copies a stored cohort tree node, rewriting flag leaves from the parsed tree.
void WriteCohortNode(const dom::element& stored, const filters::FilterNode& parsed, JsonWriter* w) {
  if (parsed.kind == filters::FilterNode::Kind::kLeaf) {
    WriteFilter(stored, &parsed.filter, w);
    return;
  }
  dom::object object;
  if (stored.get_object().get(object) != simdjson::SUCCESS) {
    w->Raw(simdjson::minify(stored));
    return;
  }
  w->BeginObject();
  for (dom::key_value_pair field : object) {
    w->Key(field.key);
    dom::array values;
    if (field.key != "values" || field.value.get_array().get(values) != simdjson::SUCCESS ||
        values.size() != parsed.children.size()) {
      w->Raw(simdjson::minify(field.value));
      continue;
    }
    w->BeginArray();
    size_t i = 0;
    for (dom::element child : values) WriteCohortNode(child, parsed.children[i++], w);
    w->EndArray();
  }
  w->EndObject();
}

void WriteCohortJson(const Cohort& cohort, JsonWriter* w) {
  dom::parser parser;
  dom::element root;
  dom::element properties;
  simdjson::padded_string padded(cohort.filters_json);
  if (parser.parse(padded).get(root) != simdjson::SUCCESS ||
      root.at_key("properties").get(properties) != simdjson::SUCCESS || properties.is_null()) {
    w->Raw(R"({"type":"AND","values":[]})");  // no properties: everyone matches
    return;
  }
  WriteCohortNode(properties, cohort.root, w);
}

void CollectCohortIds(const filters::FilterNode& node, std::vector<int64_t>* ids) {
  if (node.kind == filters::FilterNode::Kind::kLeaf) {
    if (node.filter.type == filters::FilterType::kCohort) {
      ids->push_back(static_cast<int64_t>(node.filter.value.number));
    }
    return;
  }
  for (const filters::FilterNode& child : node.children) CollectCohortIds(child, ids);
}

// Ids of the dynamic cohorts the flags use, directly or through other cohorts.
std::set<int64_t> ReferencedDynamicCohorts(const FlagSnapshot& snapshot) {
  std::vector<int64_t> pending;
  for (const FeatureFlag& flag : snapshot.flags()) {
    for (const auto* conditions :
         {&flag.filters.groups, &flag.filters.super_groups, &flag.filters.holdout_groups}) {
      for (const Condition& condition : *conditions) {
        for (const filters::PropertyFilter& filter : condition.properties) {
          if (filter.type == filters::FilterType::kCohort) {
            pending.push_back(static_cast<int64_t>(filter.value.number));
          }
        }
      }
    }
  }
  std::set<int64_t> seen;
  std::set<int64_t> dynamic;
  while (!pending.empty()) {
    int64_t id = pending.back();
    pending.pop_back();
    if (!seen.insert(id).second) continue;
    const Cohort* cohort = snapshot.CohortById(id);
    if (cohort == nullptr || cohort->is_static) continue;
    dynamic.insert(id);
    CollectCohortIds(cohort->root, &pending);
  }
  return dynamic;
}

void WriteFlag(const FeatureFlag& flag, JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(flag.id);
  w->Key("team_id");
  w->Int(flag.team_id);
  w->Key("name");
  w->String(flag.name);
  w->Key("key");
  w->String(flag.key);
  w->Key("filters");
  WriteFlagFiltersJson(flag, w);
  w->Key("deleted");
  w->Bool(false);
  w->Key("active");
  w->Bool(flag.active);
  w->Key("ensure_experience_continuity");
  w->Bool(flag.ensure_experience_continuity);
  w->Key("has_encrypted_payloads");
  w->Bool(false);
  w->Key("version");
  w->Int(flag.version);
  w->Key("evaluation_runtime");
  w->String(EvaluationRuntimeName(flag.evaluation_runtime.value_or(EvaluationRuntime::kAll)));
  for (std::string_view name : {"evaluation_tags", "evaluation_contexts"}) {
    w->Key(name);
    w->BeginArray();
    for (const std::string& tag : flag.evaluation_contexts) w->String(tag);
    w->EndArray();
  }
  w->Key("bucketing_identifier");
  w->String(flag.bucket_by_device_id ? "device_id" : "distinct_id");
  w->EndObject();
}

}  // namespace

std::string FlagDefinitionsJson(const FlagSnapshot& snapshot) {
  JsonWriter w;
  w.BeginObject();
  w.Key("flags");
  w.BeginArray();
  for (const FeatureFlag& flag : snapshot.flags()) WriteFlag(flag, &w);
  w.EndArray();

  w.Key("group_type_mapping");
  w.BeginObject();
  for (const GroupTypeMapping& mapping : snapshot.group_types()) {
    w.Key(std::to_string(mapping.index));
    w.String(mapping.name);
  }
  w.EndObject();

  w.Key("cohorts");
  w.BeginObject();
  for (int64_t id : ReferencedDynamicCohorts(snapshot)) {
    w.Key(std::to_string(id));
    WriteCohortJson(*snapshot.CohortById(id), &w);
  }
  w.EndObject();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace hoglet::flags
