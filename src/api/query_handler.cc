#include "api/query_handler.h"

#include <simdjson.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "api/actors_query_run.h"
#include "api/auth.h"
#include "api/events_query_run.h"
#include "api/funnels_query_run.h"
#include "api/hogql_query_run.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "base/uuid.h"
#include "http/error_response.h"
#include "store/scan_source.h"

namespace hoglet::api {
namespace {

using simdjson::dom::element;

// PostHog's refresh modes (analytics §3.8).
enum class Refresh {
  kBlocking,               // a cached answer when there is one, else computed now
  kForceBlocking,          // computed now
  kAsync,                  // a cached answer, else computed in the background
  kForceAsync,             // computed in the background
  kForceCache,             // a cached answer or none
  kAsyncExceptOnCacheMiss  // a cached answer, else computed now
};

StatusOr<Refresh> ParseRefresh(element body) {
  element refresh;
  if (body["refresh"].get(refresh) != simdjson::SUCCESS || refresh.is_null()) {
    return Refresh::kBlocking;
  }
  bool flag = false;
  if (refresh.get(flag) == simdjson::SUCCESS) {  // the older true / false
    return flag ? Refresh::kForceBlocking : Refresh::kBlocking;
  }
  std::string_view mode;
  if (refresh.get(mode) == simdjson::SUCCESS) {
    if (mode == "blocking") return Refresh::kBlocking;
    if (mode == "force_blocking") return Refresh::kForceBlocking;
    if (mode == "async" || mode == "lazy_async") return Refresh::kAsync;
    if (mode == "force_async") return Refresh::kForceAsync;
    if (mode == "force_cache") return Refresh::kForceCache;
    if (mode == "async_except_on_cache_miss") return Refresh::kAsyncExceptOnCacheMiss;
  }
  return InvalidArgumentError(
      "refresh: must be one of blocking, force_blocking, async, force_async, force_cache, "
      "lazy_async, async_except_on_cache_miss",
      "invalid_input");
}

// The query to run: `query`, or the `source` of the display nodes that wrap one.
StatusOr<element> UnwrapQuery(element query) {
  for (int depth = 0; depth < 4; ++depth) {
    std::string_view kind;
    if (query["kind"].get(kind) != simdjson::SUCCESS) {
      return InvalidArgumentError("query.kind: every query names its kind (e.g. \"TrendsQuery\")",
                                  "invalid_input");
    }
    if (kind != "InsightVizNode" && kind != "DataVisualizationNode" && kind != "DataTableNode") {
      return query;
    }
    element source;
    if (query["source"].get(source) != simdjson::SUCCESS) {
      return InvalidArgumentError("query.source: a " + std::string(kind) +
                                      " runs the query in its source, and this one has none",
                                  "invalid_input");
    }
    query = source;
  }
  return InvalidArgumentError("query: display nodes nest too deeply", "invalid_input");
}

// Computes the answer of one query kind.
using QueryRunner = StatusOr<std::string> (*)(const ApiContext& context,
                                              const meta::Project& project,
                                              std::string_view spec_json,
                                              const std::atomic<bool>& cancelled);

// The runner of a query kind; null for a kind this server does not run.
QueryRunner RunnerOf(std::string_view kind) {
  if (kind == "TrendsQuery") return &RunTrendsQuery;
  if (kind == "FunnelsQuery") return &RunFunnelsQuery;
  if (kind == "HogQLQuery") return &RunHogQLQuery;
  if (kind == "EventsQuery") return &RunEventsQuery;
  if (kind == "ActorsQuery" || kind == "InsightActorsQuery") return &RunActorsQuery;
  return nullptr;
}

// What decides an answer besides the query: the project's events and persons (their data
// versions), its definitions (cohorts and flags through their generation, actions through their
// last change) and the minute it is (relative date ranges move with the clock).
StatusOr<std::string> CacheKey(const ApiContext& context, const meta::Project& project,
                               const std::string& spec_json) {
  const store::ScanSource* source = context.store->scan_source();
  const int64_t minute = context.clock->NowMicros() / 60'000'000;
  std::string key = std::to_string(project.id) + "\n" + spec_json + "\n" +
                    std::to_string(source != nullptr ? source->DataVersion(project.id) : 0) + "\n" +
                    std::to_string(context.persons->DataVersion(project.id)) + "\n" +
                    std::to_string(context.meta->FlagsGeneration(project.id)) + "\n" +
                    std::to_string(minute);
  if (spec_json.find("\"ActionsNode\"") != std::string::npos ||
      spec_json.find("\"actionId\"") != std::string::npos) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<meta::ActionRecord> actions,
                            context.meta->ListActions(project.id, true));
    for (const meta::ActionRecord& action : actions) {
      key += "\n" + std::to_string(action.id) + ":" + std::to_string(action.updated_at_us);
    }
  }
  return key;
}

// PostHog shows a cache key as a short text.
std::string ShownCacheKey(int64_t team_id, const std::string& key) {
  return "cache_" + std::to_string(team_id) + "_" + std::to_string(std::hash<std::string>()(key));
}

// The answer's fields with the cache's: `answer` is a JSON object.
std::string WithCacheFields(const std::string& answer, bool is_cached, int64_t computed_at_us,
                            const std::string& cache_key) {
  JsonWriter w;
  w.Key("is_cached");
  w.Bool(is_cached);
  w.Key("last_refresh");
  w.String(FormatIsoMicros(computed_at_us));
  w.Key("next_allowed_client_refresh");
  w.String(FormatIsoMicros(computed_at_us));
  w.Key("cache_key");
  w.String(cache_key);
  w.Key("cache_target_age");
  w.Null();
  w.Key("query_status");
  w.Null();
  std::string fields = std::move(w).Take();
  std::string out = answer.substr(0, answer.rfind('}'));
  if (out.size() > 1) out += ',';
  out += fields;
  out += '}';
  return out;
}

void WriteQueryStatus(const query::QueryStatus& status, JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->String(status.id);
  w->Key("team_id");
  w->Int(status.team_id);
  w->Key("query_async");
  w->Bool(true);
  w->Key("complete");
  w->Bool(status.complete);
  w->Key("error");
  w->Bool(status.error);
  w->Key("error_message");
  if (status.error) {
    w->String(status.error_message);
  } else {
    w->Null();
  }
  w->Key("results");
  if (status.results) {
    w->Raw(*status.results);
  } else {
    w->Null();
  }
  w->Key("start_time");
  w->String(FormatIsoMicros(status.start_time_us));
  w->Key("end_time");
  if (status.complete) {
    w->String(FormatIsoMicros(status.end_time_us));
  } else {
    w->Null();
  }
  w->Key("query_progress");
  w->Null();
  w->EndObject();
}

http::Response QueryStatusResponse(int http_status, const query::QueryStatus& status) {
  JsonWriter w;
  w.BeginObject();
  w.Key("query_status");
  WriteQueryStatus(status, &w);
  w.EndObject();
  return http::Response::Json(http_status, std::move(w).Take());
}

// The query id of GET / DELETE …/query/{query_id}/.
std::string QueryIdOf(const http::Request& request) {
  return std::string(request.PathParam("query_id"));
}

}  // namespace

void HandleQuery(const ApiContext& context, const meta::AuthenticatedKey& caller,
                 http::Request&& request, http::Responder respond) {
  auto project = AuthorizeProject(request, caller.user, *context.meta);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  simdjson::dom::parser parser;
  element body;
  if (parser.parse(request.body).get(body) != simdjson::SUCCESS || !body.is_object()) {
    return respond(http::ErrorResponse(InvalidArgumentError(
        "the body must be a JSON object such as {\"query\": {\"kind\": \"TrendsQuery\", …}}",
        "invalid_input")));
  }
  element spec;
  if (body["query"].get(spec) != simdjson::SUCCESS || !spec.is_object()) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("query: the body needs a query object", "invalid_input")));
  }
  StatusOr<Refresh> refresh = ParseRefresh(body);
  if (!refresh.ok()) return respond(http::ErrorResponse(refresh.status()));
  StatusOr<element> unwrapped = UnwrapQuery(spec);
  if (!unwrapped.ok()) return respond(http::ErrorResponse(unwrapped.status()));
  std::string_view kind;
  const QueryRunner runner =
      (*unwrapped)["kind"].get(kind) == simdjson::SUCCESS ? RunnerOf(kind) : nullptr;
  if (runner == nullptr) {
    return respond(http::ErrorResponse(InvalidArgumentError(
        "query.kind: '" + std::string(kind) +
            "' is not a query kind this server runs yet (it runs TrendsQuery, FunnelsQuery, "
            "HogQLQuery, EventsQuery, ActorsQuery and InsightActorsQuery)",
        "unsupported_query_kind")));
  }
  std::string spec_json = simdjson::minify(*unwrapped);
  std::string client_query_id;
  std::string_view id_text;
  if (body["client_query_id"].get(id_text) == simdjson::SUCCESS && !id_text.empty() &&
      id_text.size() <= 200) {
    client_query_id = std::string(id_text);
  }

  StatusOr<std::string> key = CacheKey(context, *project, spec_json);
  if (!key.ok()) return respond(http::ErrorResponse(key.status()));
  const std::string shown_key = ShownCacheKey(project->id, *key);
  if (*refresh != Refresh::kForceBlocking && *refresh != Refresh::kForceAsync) {
    if (std::optional<query::CachedAnswer> cached = context.query_cache->Get(*key)) {
      return respond(http::Response::Json(
          200, WithCacheFields(cached->json, true, cached->computed_at_us, shown_key)));
    }
    if (*refresh == Refresh::kForceCache) {
      JsonWriter w;
      w.BeginObject();
      w.Key("cache_key");
      w.String(shown_key);
      w.Key("query_status");
      w.Null();
      w.Key("results");
      w.Null();
      w.EndObject();
      return respond(http::Response::Json(200, std::move(w).Take()));
    }
  }

  // Computes the answer and keeps it for the same query over the same data.
  const meta::Project scope = *project;
  query::QueryJobs::Task task = [&context, scope, spec_json, runner, key = *key](
                                    const std::atomic<bool>& cancelled) -> StatusOr<std::string> {
    const int64_t computed_at_us = context.clock->NowMicros();
    HOGLET_ASSIGN_OR_RETURN(std::string answer, runner(context, scope, spec_json, cancelled));
    context.query_cache->Put(key, {answer, computed_at_us});
    return WithCacheFields(answer, false, computed_at_us, ShownCacheKey(scope.id, key));
  };
  if (*refresh == Refresh::kAsync || *refresh == Refresh::kForceAsync) {
    std::string id =
        client_query_id.empty() ? Uuid::V7(context.clock->NowMicros()).ToString() : client_query_id;
    StatusOr<query::QueryStatus> started =
        context.query_jobs->Start(project->id, id, std::move(task));
    if (!started.ok()) return respond(http::ErrorResponse(started.status()));
    return respond(QueryStatusResponse(202, *started));
  }
  StatusOr<std::string> answer = context.query_jobs->RunNow(project->id, task);
  if (!answer.ok()) return respond(http::ErrorResponse(answer.status()));
  respond(http::Response::Json(200, std::move(*answer)));
}

void HandleGetQueryStatus(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond) {
  auto project = AuthorizeProject(request, caller.user, *context.meta);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  StatusOr<query::QueryStatus> status = context.query_jobs->Get(project->id, QueryIdOf(request));
  if (!status.ok()) return respond(http::ErrorResponse(status.status()));
  respond(QueryStatusResponse(200, *status));
}

void HandleCancelQuery(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond) {
  auto project = AuthorizeProject(request, caller.user, *context.meta);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  Status cancelled = context.query_jobs->Cancel(project->id, QueryIdOf(request));
  if (!cancelled.ok()) return respond(http::ErrorResponse(cancelled));
  respond(http::Response{204, "application/json", "", {}});
}

}  // namespace hoglet::api
