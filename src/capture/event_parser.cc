#include "capture/event_parser.h"

#include <cmath>

#include "base/uuid.h"
#include "capture/distinct_id.h"
#include "capture/timestamp.h"

namespace hoglet::capture {
namespace {

// A field that is present and not null.
bool Field(simdjson::dom::object object, std::string_view key, simdjson::dom::element* out) {
  return object[key].get(*out) == simdjson::SUCCESS && !out->is_null();
}

// The event as an error message names it: its name in quotes, cut to 200 characters (a name
// is client data of any length).
std::string Quoted(std::string_view event_name) {
  constexpr size_t kMaxChars = 200;
  size_t chars = 0;
  for (size_t i = 0; i < event_name.size(); ++i) {
    if ((static_cast<unsigned char>(event_name[i]) & 0xC0) == 0x80) continue;
    if (chars++ == kMaxChars) {
      return "event \"" + std::string(event_name.substr(0, i)) + "…\"";
    }
  }
  return "event \"" + std::string(event_name) + "\"";
}

Status Invalid(std::string_view event_name, const std::string& what, std::string reason) {
  return InvalidArgumentError(Quoted(event_name) + ": " + what, std::move(reason));
}

std::optional<int64_t> OffsetMillis(simdjson::dom::element value) {
  int64_t i;
  if (value.get(i) == simdjson::SUCCESS) return i;
  double d;
  if (value.get(d) == simdjson::SUCCESS && std::isfinite(d) && std::fabs(d) < 9.0e15) {
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::string EventJson(const EventEnvelope& envelope) {
  std::string json = simdjson::minify(envelope.object);
  if (!envelope.engage_update) return json;
  // Put the supplied name first: {"event":"$identify", ...the original fields}.
  std::string out = "{\"event\":\"$identify\"";
  if (json.size() > 2) out += ',';
  out.append(json, 1, std::string::npos);
  return out;
}

}  // namespace

StatusOr<CapturedEvent> BuildCapturedEvent(const EventEnvelope& envelope,
                                           const EventContext& context) {
  const simdjson::dom::object& object = envelope.object;
  const std::string& name = envelope.name;
  CapturedEvent event;
  event.event = name;
  event.now_us = context.now_us;
  event.sent_at_us = context.sent_at_us;
  event.ip = context.ip;
  event.historical_migration = context.historical_migration;

  simdjson::dom::element value;
  simdjson::dom::object properties;
  bool has_properties = Field(object, "properties", &value);
  if (has_properties) {
    if (value.get(properties) != simdjson::SUCCESS) {
      return Invalid(name, "\"properties\" must be a JSON object", "request_parsing_error");
    }
    if (properties.size() > context.limits.max_properties) {
      return Invalid(name,
                     "has " + std::to_string(properties.size()) +
                         " properties, over the limit of " +
                         std::to_string(context.limits.max_properties),
                     "too_many_properties");
    }
  }

  std::optional<std::string> distinct_id;
  size_t distinct_id_chars = 0;
  if (Field(object, "distinct_id", &value) || Field(object, "$distinct_id", &value) ||
      (has_properties && Field(properties, "distinct_id", &value))) {
    distinct_id = NormalizeDistinctId(value, &distinct_id_chars);
  }
  if (!distinct_id) {
    return Invalid(name,
                   "no distinct_id; set \"distinct_id\" (or properties.distinct_id) to a "
                   "non-empty identifier of the user",
                   "missing_distinct_id");
  }
  event.distinct_id = std::move(*distinct_id);
  // PostHog cuts a long distinct_id too; ingestion turns this into a warning.
  if (distinct_id_chars > kMaxDistinctIdChars)
    event.distinct_id_chars_before_cut = distinct_id_chars;

  std::optional<Uuid> uuid;
  if (Field(object, "uuid", &value)) {
    std::string_view text;
    if (value.get(text) != simdjson::SUCCESS || !text.empty()) {
      uuid = Uuid::Parse(text);
      if (!uuid) {
        return Invalid(name, "\"uuid\" is not a UUID; send a UUID string or leave it out",
                       "invalid_uuid");
      }
    }
  }
  event.uuid = (uuid ? *uuid : Uuid::V7(context.now_us)).ToString();

  TimestampInputs times;
  times.now_us = context.now_us;
  times.sent_at_us = context.sent_at_us;
  if (has_properties) {
    if (Field(properties, "$cookieless_mode", &value) && !value.is_bool()) {
      return Invalid(name, "properties.$cookieless_mode must be true or false",
                     "invalid_cookieless_mode");
    }
    bool ignore = false;
    times.ignore_sent_at = properties["$ignore_sent_at"].get(ignore) == simdjson::SUCCESS && ignore;
  }
  std::string_view timestamp;
  if (object["timestamp"].get(timestamp) == simdjson::SUCCESS) {
    times.timestamp_us = ParseEventTimestamp(timestamp);
  }
  if (Field(object, "offset", &value)) times.offset_ms = OffsetMillis(value);
  event.timestamp_us = ComputeEventTimestamp(times);

  event.data = EventJson(envelope);
  if (event.data.size() > context.limits.max_event_bytes) {
    return PayloadTooLargeError(Quoted(name) + " is " + std::to_string(event.data.size()) +
                                    " bytes of JSON, over the limit of " +
                                    std::to_string(context.limits.max_event_bytes) +
                                    " bytes for one event; send smaller properties",
                                "payload_too_large");
  }
  return event;
}

}  // namespace hoglet::capture
