#include "capture/payload_document.h"

namespace hoglet::capture {
namespace {

constexpr std::string_view kPerformanceEvent = "$performance_event";

Status ParseError(simdjson::error_code error, const CaptureLimits& limits) {
  if (error == simdjson::DEPTH_ERROR) {
    return InvalidArgumentError("the JSON payload is nested deeper than " +
                                    std::to_string(limits.max_json_depth) +
                                    " levels; flatten the event properties",
                                "json_too_deep");
  }
  if (error == simdjson::CAPACITY) {
    return PayloadTooLargeError("the JSON payload is too large to parse; send smaller batches",
                                "payload_too_large");
  }
  return InvalidArgumentError(std::string("the payload is not valid UTF-8 JSON (") +
                                  simdjson::error_message(error) +
                                  "); send a JSON array of events or a {\"api_key\", \"batch\"} "
                                  "object",
                              "request_parsing_error");
}

// §1.2 step 8 for one array item or single object: find the name or supply "$identify".
StatusOr<EventEnvelope> Envelope(simdjson::dom::element element, size_t index, bool engage) {
  EventEnvelope envelope;
  if (element.get(envelope.object) != simdjson::SUCCESS) {
    return InvalidArgumentError("event " + std::to_string(index) +
                                    " is not a JSON object; each event must be an object with "
                                    "\"event\" and \"distinct_id\"",
                                "request_parsing_error");
  }
  simdjson::dom::element name;
  bool absent = envelope.object["event"].get(name) != simdjson::SUCCESS || name.is_null();
  if (absent && engage) {
    envelope.name = "$identify";
    envelope.engage_update = true;
    return envelope;
  }
  std::string_view text;
  if (absent || name.get(text) != simdjson::SUCCESS || text.empty()) {
    return InvalidArgumentError("event " + std::to_string(index) +
                                    " has no event name; set \"event\" to a non-empty string",
                                "missing_event_name");
  }
  envelope.name = std::string(text);
  return envelope;
}

}  // namespace

StatusOr<PayloadDocument> ParsePayloadDocument(simdjson::dom::parser* parser, std::string* json,
                                               bool engage, const CaptureLimits& limits) {
  size_t length = json->size();
  json->resize(length + simdjson::SIMDJSON_PADDING);
  simdjson::error_code error = parser->allocate(length, limits.max_json_depth);
  simdjson::dom::element root;
  if (error == simdjson::SUCCESS) {
    error = parser->parse(json->data(), length, /*realloc_if_needed=*/false).get(root);
  }
  json->resize(length);
  if (error != simdjson::SUCCESS) return ParseError(error, limits);

  PayloadDocument doc;
  std::vector<simdjson::dom::element> items;
  simdjson::dom::array array;
  simdjson::dom::object object;
  if (root.get(array) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : array) items.push_back(item);
  } else if (root.get(object) == simdjson::SUCCESS) {
    simdjson::dom::array batch;
    if (object["batch"].get(batch) == simdjson::SUCCESS) {
      std::string_view text;
      if (object["api_key"].get(text) == simdjson::SUCCESS ||
          object["token"].get(text) == simdjson::SUCCESS) {
        doc.batch_token = std::string(text);
      }
      if (object["sent_at"].get(text) == simdjson::SUCCESS) doc.batch_sent_at = std::string(text);
      bool historical = false;
      if (object["historical_migration"].get(historical) == simdjson::SUCCESS) {
        doc.historical_migration = historical;
      }
      for (simdjson::dom::element item : batch) items.push_back(item);
    } else {
      items.push_back(root);
    }
  } else {
    return InvalidArgumentError(
        "the payload is JSON but neither an event, an array of events nor a batch object",
        "request_parsing_error");
  }

  if (items.empty()) {
    return InvalidArgumentError("the request contains no events; send at least one event",
                                "empty_batch");
  }
  if (items.size() > limits.max_events) {
    return PayloadTooLargeError(
        "the request contains " + std::to_string(items.size()) + " events, over the limit of " +
            std::to_string(limits.max_events) + "; send fewer events per request",
        "payload_too_large");
  }
  doc.events.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    HOGLET_ASSIGN_OR_RETURN(EventEnvelope envelope, Envelope(items[i], i, engage));
    if (envelope.name == kPerformanceEvent) continue;
    doc.events.push_back(std::move(envelope));
  }
  return doc;
}

}  // namespace hoglet::capture
