#include "capture/capture_request.h"

#include "capture/event_parser.h"
#include "capture/json_escapes.h"
#include "capture/payload_decoder.h"
#include "capture/payload_document.h"
#include "capture/query_string.h"
#include "capture/timestamp.h"
#include "capture/token.h"

namespace hoglet::capture {
namespace {

// §1.6: the batch body's sent_at when it parses, else the `_`/`sent_at` query parameter.
std::optional<int64_t> RequestSentAt(const PayloadDocument& doc, const CaptureQuery& query) {
  if (doc.batch_sent_at) {
    if (auto parsed = ParseEventTimestamp(*doc.batch_sent_at)) return parsed;
  }
  if (query.sent_at_ms) return SentAtFromQueryMillis(*query.sent_at_ms);
  return std::nullopt;
}

}  // namespace

StatusOr<CaptureBatch> DecodeCaptureRequest(const CaptureRequest& request,
                                            const CaptureLimits& limits) {
  CaptureQuery query = ParseCaptureQuery(request.query);
  HOGLET_ASSIGN_OR_RETURN(DecodedPayload payload, DecodePayload(request, query, limits));
  RepairLoneSurrogateEscapes(&payload.json);

  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(
      PayloadDocument doc,
      ParsePayloadDocument(&parser, &payload.json, IsEngagePath(request.path), limits));

  CaptureBatch batch;
  batch.historical_migration = doc.historical_migration;
  if (doc.events.empty()) {
    // Everything was $performance_event: accepted and dropped (§1.2 step 9).
    if (doc.batch_token) batch.token = *doc.batch_token;
    return batch;
  }

  std::vector<std::optional<std::string>> event_tokens;
  if (!doc.batch_token) {
    event_tokens.reserve(doc.events.size());
    for (const EventEnvelope& envelope : doc.events) {
      event_tokens.push_back(EventToken(envelope.object));
    }
  }
  HOGLET_ASSIGN_OR_RETURN(batch.token, ResolveToken(doc.batch_token, event_tokens));

  EventContext context{.now_us = request.now_us,
                       .sent_at_us = RequestSentAt(doc, query),
                       .ip = request.ip,
                       .historical_migration = doc.historical_migration,
                       .limits = limits};
  batch.events.reserve(doc.events.size());
  for (const EventEnvelope& envelope : doc.events) {
    HOGLET_ASSIGN_OR_RETURN(CapturedEvent event, BuildCapturedEvent(envelope, context));
    event.token = batch.token;
    batch.events.push_back(std::move(event));
  }
  return batch;
}

}  // namespace hoglet::capture
