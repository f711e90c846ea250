#include "ingest/event_builder.h"

#include <simdjson.h>

#include <string>

#include "base/json_writer.h"
#include "base/time_format.h"
#include "persons/person_uuid.h"

namespace hoglet::ingest {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxEventNameChars = 200;

// Code points of UTF-8 text.
size_t CountChars(std::string_view text) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars;
}

// Cuts UTF-8 text to at most `max_chars` code points.
std::string_view TruncateChars(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return text.substr(0, i);
      ++chars;
    }
  }
  return text;
}

// Writes `base` overlaid with `overlay` (overlay keys win); either may be absent.
void WriteMergedObject(const dom::object* base, const dom::object* overlay, JsonWriter* w) {
  w->BeginObject();
  if (base != nullptr) {
    for (auto [key, value] : *base) {
      dom::element ignored;
      if (overlay != nullptr && (*overlay)[key].get(ignored) == simdjson::SUCCESS) continue;
      w->Key(key);
      w->Raw(simdjson::minify(value));
    }
  }
  if (overlay != nullptr) {
    for (auto [key, value] : *overlay) {
      w->Key(key);
      w->Raw(simdjson::minify(value));
    }
  }
  w->EndObject();
}

std::optional<dom::object> ObjectField(dom::object parent, std::string_view key) {
  dom::object child;
  if (parent[key].get_object().get(child) == simdjson::SUCCESS) return child;
  return std::nullopt;
}

}  // namespace

StatusOr<store::Event> BuildEvent(const capture::CapturedEvent& captured,
                                  const meta::Project& project, int64_t ingested_at_us,
                                  std::vector<persons::EventWarning>* warnings) {
  thread_local dom::parser parser;
  dom::object data;
  if (parser.parse(captured.data).get_object().get(data) != simdjson::SUCCESS) {
    return InvalidArgumentError("event " + captured.uuid + " has no JSON object body");
  }
  std::optional<dom::object> properties = ObjectField(data, "properties");
  std::optional<dom::object> top_set = ObjectField(data, "$set");
  std::optional<dom::object> top_set_once = ObjectField(data, "$set_once");

  JsonWriter w;
  w.BeginObject();
  bool has_ip = false, has_set = false, has_set_once = false;
  if (properties) {
    for (auto [key, value] : *properties) {
      if (key == "$ip") {
        if (project.anonymize_ips) continue;
        has_ip = true;
      }
      w.Key(key);
      if (key == "$set" && top_set && value.is_object()) {
        dom::object base = value.get_object().value_unsafe();
        WriteMergedObject(&base, &*top_set, &w);
        has_set = true;
      } else if (key == "$set_once" && top_set_once && value.is_object()) {
        dom::object base = value.get_object().value_unsafe();
        WriteMergedObject(&base, &*top_set_once, &w);
        has_set_once = true;
      } else {
        w.Raw(simdjson::minify(value));
        has_set = has_set || key == "$set";
        has_set_once = has_set_once || key == "$set_once";
      }
    }
  }
  if (top_set && !has_set) {
    w.Key("$set");
    WriteMergedObject(nullptr, &*top_set, &w);
  }
  if (top_set_once && !has_set_once) {
    w.Key("$set_once");
    WriteMergedObject(nullptr, &*top_set_once, &w);
  }
  if (!has_ip && !project.anonymize_ips && !captured.ip.empty()) {
    w.Key("$ip");
    w.String(captured.ip);
  }
  if (captured.sent_at_us) {
    w.Key("$sent_at");
    w.String(FormatIsoMicros(*captured.sent_at_us));
  }
  w.EndObject();

  store::Event event;
  auto uuid = Uuid::Parse(captured.uuid);
  if (!uuid) return InvalidArgumentError("event uuid '" + captured.uuid + "' is not a UUID");
  event.uuid = *uuid;
  event.team_id = captured.team_id;
  event.event = std::string(TruncateChars(captured.event, kMaxEventNameChars));
  if (warnings != nullptr && event.event.size() < captured.event.size()) {
    warnings->push_back({"event_name_truncated",
                         "\"eventNameLength\":" + std::to_string(CountChars(captured.event))});
  }
  if (warnings != nullptr && captured.distinct_id_chars_before_cut > 0) {
    warnings->push_back(
        {"distinct_id_truncated",
         "\"distinctIdLength\":" + std::to_string(captured.distinct_id_chars_before_cut)});
  }
  event.distinct_id = captured.distinct_id;
  event.person_id = persons::DeterministicPersonId(captured.team_id, captured.distinct_id);
  event.timestamp_us = captured.timestamp_us;
  event.created_at_us = ingested_at_us;
  event.properties = std::move(w).Take();
  return event;
}

}  // namespace hoglet::ingest
