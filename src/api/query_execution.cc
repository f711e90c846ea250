#include "api/query_execution.h"

#include <functional>
#include <optional>
#include <vector>

#include "api/actors_query_run.h"
#include "api/events_query_run.h"
#include "api/funnel_correlation_query_run.h"
#include "api/funnels_query_run.h"
#include "api/hogql_query_run.h"
#include "api/lifecycle_query_run.h"
#include "api/paths_query_run.h"
#include "api/retention_query_run.h"
#include "api/stickiness_query_run.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "base/uuid.h"
#include "store/scan_source.h"

namespace hoglet::api {
namespace {

using simdjson::dom::element;

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

// The runner of a query kind; null for a kind this server does not run.
QueryRunner RunnerOf(std::string_view kind) {
  if (kind == "TrendsQuery") return &RunTrendsQuery;
  if (kind == "FunnelsQuery") return &RunFunnelsQuery;
  if (kind == "FunnelCorrelationQuery") return &RunFunnelCorrelationQuery;
  if (kind == "RetentionQuery") return &RunRetentionQuery;
  if (kind == "PathsQuery") return &RunPathsQuery;
  if (kind == "StickinessQuery") return &RunStickinessQuery;
  if (kind == "LifecycleQuery") return &RunLifecycleQuery;
  if (kind == "HogQLQuery") return &RunHogQLQuery;
  if (kind == "EventsQuery") return &RunEventsQuery;
  if (kind == "ActorsQuery" || kind == "InsightActorsQuery" || kind == "FunnelsActorsQuery" ||
      kind == "FunnelCorrelationActorsQuery") {
    return &RunActorsQuery;
  }
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

std::string CacheMissJson(const std::string& shown_key) {
  JsonWriter w;
  w.BeginObject();
  w.Key("cache_key");
  w.String(shown_key);
  w.Key("query_status");
  w.Null();
  w.Key("results");
  w.Null();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace

StatusOr<Refresh> ParseRefresh(std::string_view mode) {
  if (mode == "blocking" || mode == "false") return Refresh::kBlocking;
  if (mode == "force_blocking" || mode == "true") return Refresh::kForceBlocking;
  if (mode == "async" || mode == "lazy_async") return Refresh::kAsync;
  if (mode == "force_async") return Refresh::kForceAsync;
  if (mode == "force_cache") return Refresh::kForceCache;
  if (mode == "async_except_on_cache_miss") return Refresh::kAsyncExceptOnCacheMiss;
  return InvalidArgumentError(
      "refresh: must be one of blocking, force_blocking, async, force_async, force_cache, "
      "lazy_async, async_except_on_cache_miss",
      "invalid_input");
}

StatusOr<Refresh> ParseRefreshField(element body) {
  element refresh;
  if (body["refresh"].get(refresh) != simdjson::SUCCESS || refresh.is_null()) {
    return Refresh::kBlocking;
  }
  bool flag = false;
  if (refresh.get(flag) == simdjson::SUCCESS) {  // the older true / false
    return flag ? Refresh::kForceBlocking : Refresh::kBlocking;
  }
  std::string_view mode;
  if (refresh.get(mode) != simdjson::SUCCESS) mode = {};
  return ParseRefresh(mode);
}

StatusOr<PreparedQuery> PrepareQuery(element query) {
  HOGLET_ASSIGN_OR_RETURN(element unwrapped, UnwrapQuery(query));
  std::string_view kind;
  const QueryRunner runner =
      unwrapped["kind"].get(kind) == simdjson::SUCCESS ? RunnerOf(kind) : nullptr;
  if (runner == nullptr) {
    return InvalidArgumentError(
        "query.kind: '" + std::string(kind) +
            "' is not a query kind this server runs yet (it runs TrendsQuery, FunnelsQuery, "
            "FunnelCorrelationQuery, RetentionQuery, PathsQuery, StickinessQuery, LifecycleQuery, "
            "HogQLQuery, "
            "EventsQuery, ActorsQuery, InsightActorsQuery, FunnelsActorsQuery and "
            "FunnelCorrelationActorsQuery)",
        "unsupported_query_kind");
  }
  return PreparedQuery{std::string(kind), simdjson::minify(unwrapped), runner};
}

StatusOr<PreparedQuery> PrepareQuery(std::string_view query_json) {
  simdjson::dom::parser parser;
  element query;
  if (parser.parse(query_json.data(), query_json.size()).get(query) != simdjson::SUCCESS ||
      !query.is_object()) {
    return InvalidArgumentError("query: must be a JSON object such as {\"kind\": \"TrendsQuery\"}",
                                "invalid_input");
  }
  return PrepareQuery(query);
}

StatusOr<QueryOutcome> ExecuteQuery(const ApiContext& context, const meta::Project& project,
                                    const PreparedQuery& query, Refresh refresh,
                                    const std::string& client_query_id) {
  if (context.store == nullptr || context.persons == nullptr || context.query_cache == nullptr ||
      context.query_jobs == nullptr) {
    return UnavailableError("this server does not run queries: it has no event store",
                            "service_unavailable");
  }
  HOGLET_ASSIGN_OR_RETURN(std::string key, CacheKey(context, project, query.spec_json));
  const std::string shown_key = ShownCacheKey(project.id, key);
  if (refresh != Refresh::kForceBlocking && refresh != Refresh::kForceAsync) {
    if (std::optional<query::CachedAnswer> cached = context.query_cache->Get(key)) {
      return QueryOutcome{200,
                          WithCacheFields(cached->json, true, cached->computed_at_us, shown_key)};
    }
    if (refresh == Refresh::kForceCache) return QueryOutcome{200, CacheMissJson(shown_key)};
  }

  // Computes the answer and keeps it for the same query over the same data.
  const meta::Project scope = project;
  query::QueryJobs::Task task = [&context, scope, spec_json = query.spec_json,
                                 runner = query.runner,
                                 key](const std::atomic<bool>& cancelled) -> StatusOr<std::string> {
    const int64_t computed_at_us = context.clock->NowMicros();
    HOGLET_ASSIGN_OR_RETURN(std::string answer, runner(context, scope, spec_json, cancelled));
    context.query_cache->Put(key, {answer, computed_at_us});
    return WithCacheFields(answer, false, computed_at_us, ShownCacheKey(scope.id, key));
  };
  if (refresh == Refresh::kAsync || refresh == Refresh::kForceAsync) {
    std::string id =
        client_query_id.empty() ? Uuid::V7(context.clock->NowMicros()).ToString() : client_query_id;
    HOGLET_ASSIGN_OR_RETURN(query::QueryStatus started,
                            context.query_jobs->Start(project.id, id, std::move(task)));
    return QueryOutcome{202, QueryStatusJson(started)};
  }
  HOGLET_ASSIGN_OR_RETURN(std::string answer, context.query_jobs->RunNow(project.id, task));
  return QueryOutcome{200, std::move(answer)};
}

std::string QueryStatusJson(const query::QueryStatus& status) {
  JsonWriter w;
  w.BeginObject();
  w.Key("query_status");
  WriteQueryStatus(status, &w);
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace hoglet::api
