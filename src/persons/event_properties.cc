#include "persons/event_properties.h"

#include <simdjson.h>

#include "base/json_writer.h"

namespace hoglet::persons {
namespace {

namespace dom = simdjson::dom;

dom::parser& ThreadParser() {
  thread_local dom::parser parser;
  return parser;
}

bool ParseObject(std::string_view json, dom::object* out) {
  return !json.empty() &&
         ThreadParser().parse(json.data(), json.size()).get_object().get(*out) == simdjson::SUCCESS;
}

// "$group_0" … "$group_9…": the group columns.
bool IsGroupColumn(std::string_view key) {
  constexpr std::string_view kPrefix = "$group_";
  if (key.size() <= kPrefix.size() || key.substr(0, kPrefix.size()) != kPrefix) return false;
  for (char c : key.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsPersonOperation(std::string_view key) {
  return key == "$set" || key == "$set_once" || key == "$unset";
}

// Strings as they are, numbers as their JSON text (how PostHog's String(x) renders integers).
std::optional<std::string> IdText(dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  switch (value.type()) {
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      return simdjson::minify(value);
    default:
      return std::nullopt;
  }
}

}  // namespace

EventFields ReadEventFields(std::string_view properties) {
  EventFields fields;
  dom::object object;
  if (!ParseObject(properties, &object)) return fields;
  for (dom::key_value_pair field : object) {
    std::string_view key = field.key;
    dom::element value = field.value;
    if (key.empty()) continue;
    if (key == "$process_person_profile") {
      bool flag = false;
      if (value.get_bool().get(flag) == simdjson::SUCCESS) {
        fields.process_person_profile =
            flag ? ProcessPersonProfile::kTrue : ProcessPersonProfile::kFalse;
      } else {
        fields.process_person_profile = ProcessPersonProfile::kInvalid;
        fields.process_person_profile_json = simdjson::minify(value);
      }
    } else if (IsPersonOperation(key)) {
      fields.has_person_operations = true;
      bool valid = value.is_object() || (key == "$unset" && value.is_array());
      if (!valid) {
        fields.invalid_operations.emplace_back(key);
        continue;
      }
      std::string& target =
          key == "$set" ? fields.set : (key == "$set_once" ? fields.set_once : fields.unset);
      target = simdjson::minify(value);
    } else if (IsGroupColumn(key)) {
      fields.has_group_columns = true;
    } else if (key == "$anon_distinct_id") {
      fields.anon_distinct_id = IdText(value);
    } else if (key == "alias") {
      fields.alias = IdText(value);
    } else if (key == "$groups") {
      dom::object groups;
      if (value.get_object().get(groups) != simdjson::SUCCESS) continue;
      for (dom::key_value_pair group : groups) {
        std::optional<std::string> group_key = IdText(group.value);
        if (group_key.has_value() && !group_key->empty()) {
          fields.groups.emplace_back(std::string(group.key), std::move(*group_key));
        }
      }
    } else if (key == "$group_type") {
      std::string_view type;
      if (value.get_string().get(type) == simdjson::SUCCESS) fields.group_type = std::string(type);
    } else if (key == "$group_key") {
      fields.group_key = IdText(value);
    } else if (key == "$group_set") {
      if (value.is_object()) fields.group_set = simdjson::minify(value);
    }
  }
  return fields;
}

bool RewriteChangesProperties(const EventFields& fields, const PropertyRewrite& rewrite) {
  return (rewrite.remove_person_operations && fields.has_person_operations) ||
         (rewrite.remove_process_person_profile &&
          fields.process_person_profile != ProcessPersonProfile::kAbsent) ||
         (rewrite.strip_group_columns && fields.has_group_columns) ||
         !rewrite.group_columns.empty();
}

std::string RewriteEventProperties(std::string_view properties, const PropertyRewrite& rewrite) {
  std::vector<std::string> added;
  for (const auto& [index, key] : rewrite.group_columns) {
    added.push_back("$group_" + std::to_string(index));
  }
  JsonWriter w;
  w.BeginObject();
  dom::object object;
  if (ParseObject(properties, &object)) {
    for (dom::key_value_pair field : object) {
      std::string_view key = field.key;
      if (rewrite.remove_person_operations && IsPersonOperation(key)) continue;
      if (rewrite.remove_process_person_profile && key == "$process_person_profile") continue;
      if (IsGroupColumn(key)) {
        if (rewrite.strip_group_columns) continue;
        bool replaced = false;
        for (const std::string& name : added) replaced = replaced || name == key;
        if (replaced) continue;
      }
      w.Key(key);
      w.Raw(simdjson::minify(field.value));
    }
  }
  for (size_t i = 0; i < added.size(); ++i) {
    w.Key(added[i]);
    w.String(rewrite.group_columns[i].second);
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace hoglet::persons
