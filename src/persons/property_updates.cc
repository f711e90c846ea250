#include "persons/property_updates.h"

#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/json_writer.h"

namespace hoglet::persons {
namespace {

namespace dom = simdjson::dom;
using simdjson::dom::element_type;

// Keys and values of an object being rewritten. Views point into parsed documents that the
// caller keeps alive until Write().
class ObjectEdit {
 public:
  // False (and an empty object) when `json` is not a JSON object.
  bool Load(std::string_view json, dom::parser& parser) {
    dom::object object;
    if (json.empty() ||
        parser.parse(json.data(), json.size()).get_object().get(object) != simdjson::SUCCESS) {
      return false;
    }
    for (dom::key_value_pair field : object) Assign(field.key, field.value);
    return true;
  }

  const dom::element* Find(std::string_view key) const {
    auto it = index_.find(key);
    if (it == index_.end() || !entries_[it->second].present) return nullptr;
    return &entries_[it->second].value;
  }

  void Assign(std::string_view key, dom::element value) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      index_.emplace(key, entries_.size());
      entries_.push_back({key, value, true});
    } else {
      entries_[it->second].value = value;
      entries_[it->second].present = true;
    }
  }

  bool Remove(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end() || !entries_[it->second].present) return false;
    entries_[it->second].present = false;
    return true;
  }

  std::string Write() const {
    JsonWriter w;
    w.BeginObject();
    for (const Entry& entry : entries_) {
      if (!entry.present) continue;
      w.Key(entry.key);
      w.Raw(simdjson::minify(entry.value));
    }
    w.EndObject();
    return std::move(w).Take();
  }

 private:
  struct Entry {
    std::string_view key;
    dom::element value;
    bool present;
  };
  std::vector<Entry> entries_;
  std::unordered_map<std::string_view, size_t> index_;
};

bool IsNumber(element_type type) {
  return type == element_type::INT64 || type == element_type::UINT64 ||
         type == element_type::DOUBLE;
}

double AsDouble(dom::element value) {
  double d = 0;
  if (value.get_double().get(d) != simdjson::SUCCESS) return 0;
  return d;
}

// JavaScript `a === b` for JSON values: objects and arrays are never equal (distinct references).
bool StrictEquals(dom::element a, dom::element b) {
  element_type ta = a.type();
  element_type tb = b.type();
  if (IsNumber(ta) && IsNumber(tb)) return AsDouble(a) == AsDouble(b);
  if (ta != tb) return false;
  switch (ta) {
    case element_type::STRING:
      return std::string_view(a.get_string().value_unsafe()) ==
             std::string_view(b.get_string().value_unsafe());
    case element_type::BOOL:
      return a.get_bool().value_unsafe() == b.get_bool().value_unsafe();
    case element_type::NULL_VALUE:
      return true;
    default:
      return false;
  }
}

// JavaScript's ToNumber for the primitives loose equality converts.
double LooseNumber(dom::element value) {
  switch (value.type()) {
    case element_type::BOOL:
      return value.get_bool().value_unsafe() ? 1 : 0;
    case element_type::STRING: {
      std::string text(value.get_string().value_unsafe());
      if (text.find_first_not_of(" \t\n\r") == std::string::npos) return 0;
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') ++end;
      return *end == '\0' ? d : std::nan("");
    }
    default:
      return AsDouble(value);
  }
}

// JavaScript `a == b` for JSON values.
bool LooseEquals(dom::element a, dom::element b) {
  element_type ta = a.type();
  element_type tb = b.type();
  if (ta == tb || (IsNumber(ta) && IsNumber(tb))) return StrictEquals(a, b);
  bool a_null = ta == element_type::NULL_VALUE;
  bool b_null = tb == element_type::NULL_VALUE;
  if (a_null || b_null) return false;
  bool a_compound = ta == element_type::OBJECT || ta == element_type::ARRAY;
  bool b_compound = tb == element_type::OBJECT || tb == element_type::ARRAY;
  if (a_compound || b_compound) return false;  // no JSON object stringifies to a primitive match
  return LooseNumber(a) == LooseNumber(b);
}

bool ParseObject(std::string_view json, dom::parser& parser, dom::object* out) {
  return !json.empty() &&
         parser.parse(json.data(), json.size()).get_object().get(*out) == simdjson::SUCCESS;
}

struct Parsers {
  dom::parser base;
  dom::parser set;
  dom::parser set_once;
  dom::parser unset;
};

Parsers& ThreadParsers() {
  thread_local Parsers parsers;
  return parsers;
}

}  // namespace

PropertyUpdate ApplyPropertyOperations(std::string_view properties, const PropertyOperations& ops) {
  Parsers& parsers = ThreadParsers();
  ObjectEdit edit;
  bool loaded = edit.Load(properties, parsers.base);
  bool changed = false;
  dom::object object;
  if (ParseObject(ops.set_once, parsers.set_once, &object)) {
    for (dom::key_value_pair field : object) {
      if (edit.Find(field.key) != nullptr) continue;
      edit.Assign(field.key, field.value);
      changed = true;
    }
  }
  if (ParseObject(ops.set, parsers.set, &object)) {
    for (dom::key_value_pair field : object) {
      const dom::element* current = edit.Find(field.key);
      if (current != nullptr && StrictEquals(*current, field.value)) continue;
      edit.Assign(field.key, field.value);
      changed = true;
    }
  }
  if (!ops.unset.empty()) {
    dom::element unset;
    if (parsers.unset.parse(ops.unset.data(), ops.unset.size()).get(unset) == simdjson::SUCCESS) {
      dom::array keys;
      if (unset.get_array().get(keys) == simdjson::SUCCESS) {
        for (dom::element key : keys) {
          std::string_view name;
          if (key.get_string().get(name) == simdjson::SUCCESS && edit.Remove(name)) changed = true;
        }
      } else if (unset.get_object().get(object) == simdjson::SUCCESS) {
        for (dom::key_value_pair field : object) {
          if (edit.Remove(field.key)) changed = true;
        }
      }
    }
  }
  // Unchanged text stays byte for byte (an unparsable one is normalised to {}).
  if (!changed && loaded) return {std::string(properties), false};
  return {edit.Write(), changed};
}

PropertyUpdate ApplyGroupSet(std::string_view properties, std::string_view group_set) {
  Parsers& parsers = ThreadParsers();
  ObjectEdit edit;
  edit.Load(properties, parsers.base);
  bool changed = false;
  dom::object object;
  if (ParseObject(group_set, parsers.set, &object)) {
    for (dom::key_value_pair field : object) {
      const dom::element* current = edit.Find(field.key);
      if (current != nullptr && LooseEquals(*current, field.value)) continue;
      edit.Assign(field.key, field.value);
      changed = true;
    }
  }
  return {edit.Write(), changed};
}

std::string OverlayProperties(std::string_view base, std::string_view overlay) {
  Parsers& parsers = ThreadParsers();
  ObjectEdit edit;
  edit.Load(base, parsers.base);
  dom::object object;
  if (ParseObject(overlay, parsers.set, &object)) {
    for (dom::key_value_pair field : object) edit.Assign(field.key, field.value);
  }
  return edit.Write();
}

}  // namespace hoglet::persons
