#include "api/events_handler.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "api/auth.h"
#include "api/property_filter_parser.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"
#include "meta/project_time_zone.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 10'000;

StatusOr<int64_t> ParseTimeParam(std::string_view name, const std::string& value) {
  auto micros = ParseIsoMicros(value);
  if (!micros) {
    return InvalidArgumentError(std::string(name) + ": '" + value +
                                "' is not an ISO 8601 time such as 2026-01-02T03:04:05Z");
  }
  return *micros;
}

// A person's events are those of every distinct id that maps to the person now, so events sent
// under an id before it was merged into the person are included (analytics §1.4).
Status RestrictToPerson(const ApiContext& context, const Uuid& person_id,
                        store::EventQuery* query) {
  auto person = context.persons->PersonByUuid(query->team_id, person_id);
  if (!person.ok()) return person.status();
  if (!person->has_value()) {
    // Not (or no longer) a person row: personless events still carry the deterministic id.
    query->person_id = person_id;
    return Status::Ok();
  }
  query->distinct_ids = (*person)->distinct_ids;
  return Status::Ok();
}

StatusOr<store::EventQuery> ParseQuery(const QueryParams& params, int64_t team_id) {
  store::EventQuery query;
  query.team_id = team_id;
  query.limit = kDefaultLimit;
  if (auto v = QueryParam(params, "event"); v && !v->empty()) query.event = *v;
  if (auto v = QueryParam(params, "distinct_id"); v && !v->empty()) query.distinct_id = *v;
  if (auto v = QueryParam(params, "person_id"); v && !v->empty()) {
    auto uuid = Uuid::Parse(*v);
    if (!uuid) return InvalidArgumentError("person_id: '" + *v + "' is not a UUID");
    query.person_id = *uuid;
  }
  if (auto v = QueryParam(params, "after"); v && !v->empty()) {
    HOGLET_ASSIGN_OR_RETURN(query.after_us, ParseTimeParam("after", *v));
  }
  if (auto v = QueryParam(params, "before"); v && !v->empty()) {
    HOGLET_ASSIGN_OR_RETURN(query.before_us, ParseTimeParam("before", *v));
    if (auto cursor = QueryParam(params, "before_uuid"); cursor && !cursor->empty()) {
      auto uuid = Uuid::Parse(*cursor);
      if (!uuid) return InvalidArgumentError("before_uuid: '" + *cursor + "' is not a UUID");
      query.before_uuid = *uuid;
    }
  }
  if (auto v = QueryParam(params, "properties"); v && !v->empty()) {
    HOGLET_ASSIGN_OR_RETURN(query.properties,
                            ParsePropertyFilters(*v, filters::FilterType::kEvent));
  }
  if (auto v = QueryParam(params, "limit"); v && !v->empty()) {
    size_t limit = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
    if (ec != std::errc() || end != v->data() + v->size() || limit < 1 || limit > kMaxLimit) {
      return InvalidArgumentError("limit: '" + *v + "' must be a whole number from 1 to " +
                                  std::to_string(kMaxLimit));
    }
    query.limit = limit;
  }
  return query;
}

// The URL of the next page: the same parameters with the cursor (`before`, `before_uuid`) moved
// to the last event, so events sharing its timestamp continue on the next page.
std::string NextUrl(const http::Request& request, const QueryParams& params,
                    const store::Event& last) {
  std::string host(request.Header("Host"));
  std::string url = "http://" + (host.empty() ? std::string("localhost") : host) + request.path;
  if (url.back() != '/') url.push_back('/');
  char separator = '?';
  for (const auto& [key, value] : params) {
    if (key == "before" || key == "before_uuid") continue;
    url += separator + PercentEncode(key) + "=" + PercentEncode(value);
    separator = '&';
  }
  url += separator + std::string("before=") + PercentEncode(FormatIsoMicros(last.timestamp_us)) +
         "&before_uuid=" + last.uuid.ToString();
  return url;
}

void WriteEvent(const store::Event& event, JsonWriter* w) {
  std::string uuid = event.uuid.ToString();
  w->BeginObject();
  w->Key("id");
  w->String(uuid);
  w->Key("uuid");
  w->String(uuid);
  w->Key("distinct_id");
  w->String(event.distinct_id);
  w->Key("properties");
  w->Raw(event.properties.empty() ? std::string_view("{}") : std::string_view(event.properties));
  w->Key("event");
  w->String(event.event);
  w->Key("timestamp");
  w->String(FormatIsoMicros(event.timestamp_us));
  // The person as ingestion saw it (persons-on-events); null for personless events.
  w->Key("person");
  if (event.person_mode == 1) {
    w->Null();
  } else {
    w->BeginObject();
    w->Key("uuid");
    w->String(event.person_id.ToString());
    w->Key("distinct_ids");
    w->BeginArray();
    w->String(event.distinct_id);
    w->EndArray();
    w->Key("properties");
    w->Raw(event.person_properties.empty() ? std::string_view("{}")
                                           : std::string_view(event.person_properties));
    w->EndObject();
  }
  w->Key("elements");
  w->BeginArray();
  w->EndArray();
  w->Key("elements_chain");
  w->String("");
  w->EndObject();
}

// Events read from the store at first; later reads are sized from what the first ones weighed.
constexpr size_t kFirstChunkEvents = 100;

struct Page {
  std::string results_json;          // the `results` array
  std::optional<store::Event> last;  // the cursor for `next`, when there may be more
};

// Fills one page in list order until `query.limit` events are written or the array passes
// `max_bytes`.
StatusOr<Page> ReadPage(const store::EventStore& store, store::EventQuery query, size_t max_bytes) {
  const size_t limit = query.limit;
  JsonWriter results;
  results.BeginArray();
  size_t written = 0;
  size_t chunk = std::min(limit, kFirstChunkEvents);
  Page page;
  while (true) {
    query.limit = chunk;
    HOGLET_ASSIGN_OR_RETURN(std::vector<store::Event> events, store.ListEvents(query));
    for (size_t i = 0; i < events.size(); ++i) {
      WriteEvent(events[i], &results);
      ++written;
      bool full = written == limit || results.str().size() >= max_bytes;
      if (!full) continue;
      // More may follow: the page is full by count, or it stopped within what the store had.
      if (written == limit || i + 1 < events.size() || events.size() == chunk) {
        page.last = std::move(events[i]);
      }
      results.EndArray();
      page.results_json = std::move(results).Take();
      return page;
    }
    if (events.size() < chunk) break;  // the store has no more
    // Read about as many as the rest of the byte budget holds at the average size so far.
    const store::Event& last = events.back();
    query.before_us = last.timestamp_us;
    query.before_uuid = last.uuid;
    size_t average = std::max<size_t>(1, results.str().size() / written);
    size_t room = (max_bytes - std::min(max_bytes, results.str().size())) / average + 1;
    chunk = std::min({limit - written, room, kFirstChunkEvents * 10});
  }
  results.EndArray();
  page.results_json = std::move(results).Take();
  return page;
}

}  // namespace

void HandleListEvents(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  QueryParams params = request.Params();
  auto query = ParseQuery(params, project->id);
  if (!query.ok()) return respond(http::ErrorResponse(query.status()));
  query->filter_context = {context.clock->NowMicros(), ProjectTimeZone(*project),
                           filters::Dialect::kHogQL};
  if (query->person_id) {
    Uuid person_id = *query->person_id;
    query->person_id.reset();
    Status restricted = RestrictToPerson(context, person_id, &*query);
    if (!restricted.ok()) return respond(http::ErrorResponse(restricted));
  }
  StatusOr<Page> page = ReadPage(*context.store, *query, context.response_limits.events_page_bytes);
  if (!page.ok()) return respond(http::ErrorResponse(page.status()));

  JsonWriter w;
  w.BeginObject();
  w.Key("next");
  if (page->last) {
    w.String(NextUrl(request, params, *page->last));
  } else {
    w.Null();
  }
  w.Key("results");
  w.Raw(page->results_json);
  w.EndObject();
  respond(http::Response::Json(200, std::move(w).Take()));
}

}  // namespace hoglet::api
