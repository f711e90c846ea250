#include "api/flags_handler.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/run_on_workers.h"
#include "base/logging.h"
#include "flags/flag_evaluator.h"
#include "flags/flag_snapshots.h"
#include "flags/flags_request.h"
#include "flags/flags_response.h"
#include "http/error_response.h"
#include "meta/project_time_zone.h"

namespace hoglet::api {
namespace {

// PostHog's texts for the token and distinct_id errors (rust/feature-flags errors.rs).
constexpr std::string_view kNoToken =
    "No API token provided. Please include a valid API token in your request.";
constexpr std::string_view kBadToken =
    "The provided API key is invalid or has expired. Please check your API key and try again.";
constexpr std::string_view kNoDistinctId =
    "The distinct_id field is missing from the request. Please include a valid identifier.";
constexpr std::string_view kUnavailable =
    "Service is currently unavailable. Please try again later.";

http::Response TextError(const Status& status) {
  http::Response response{
      http::HttpStatusFor(status), "text/plain; charset=utf-8", status.message(), {}};
  if (status.code() == StatusCode::kUnavailable) response.headers.emplace_back("Retry-After", "1");
  return response;
}

// Everything decided on the I/O thread, shared with a worker when the request moves there.
struct Call {
  flags::ResponseShape shape = flags::ResponseShape::kDetailed;
  bool config = false;
  bool only_survey_flags = false;
  flags::FlagsRequest body;
  meta::Project project;
  std::optional<flags::EvaluationRuntime> runtime;
  std::vector<std::string> group_types;  // names the request sends groups for
  int64_t now_us = 0;
};

// What loading stored state produced, and what failed.
struct Gathered {
  flags::EvaluationRequest request;
  bool store_failed = false;       // person, group or cohort reads
  bool continuity_failed = false;  // hash-key override reads or writes
};

bool ConditionReadsStore(const flags::Condition& condition) {
  return std::any_of(condition.properties.begin(), condition.properties.end(),
                     [](const filters::PropertyFilter& filter) {
                       return filter.type == filters::FilterType::kPerson ||
                              filter.type == filters::FilterType::kGroup ||
                              filter.type == filters::FilterType::kCohort;
                     });
}

bool ReadsStoreItself(const flags::FeatureFlag& flag) {
  const flags::FlagFilters& f = flag.filters;
  if (flag.ensure_experience_continuity || f.feature_enrollment) return true;
  for (const auto* conditions : {&f.groups, &f.super_groups, &f.holdout_groups}) {
    if (std::any_of(conditions->begin(), conditions->end(), ConditionReadsStore)) return true;
  }
  return false;
}

// Whether the flag's answer depends on stored state, directly or through a flag it depends on.
bool ReadsStore(const flags::FeatureFlag& flag, const flags::FlagSnapshot& snapshot) {
  if (ReadsStoreItself(flag)) return true;
  for (const flags::Condition& condition : flag.filters.groups) {
    for (const filters::PropertyFilter& filter : condition.properties) {
      if (filter.type != filters::FilterType::kFlag) continue;
      for (const std::string& key : filter.dependency_chain) {
        const flags::FeatureFlag* dependency = snapshot.FlagByKey(key);
        if (dependency != nullptr && ReadsStoreItself(*dependency)) return true;
      }
    }
  }
  return false;
}

bool IsContinuityFlag(const flags::FeatureFlag& flag) {
  return flag.active && flag.ensure_experience_continuity && !flag.bucket_by_device_id &&
         !flag.filters.aggregation_group_type_index.has_value();
}

// The evaluation request from the HTTP request alone.
flags::EvaluationRequest RequestOnly(const Call& call) {
  flags::EvaluationRequest request;
  request.distinct_id = call.body.distinct_id.value_or("");
  request.device_id = call.body.device_id;
  request.groups = call.body.groups;
  request.person_properties = call.body.person_properties;
  flags::FillInitialProperties(&request.person_properties);
  request.group_properties = call.body.group_properties;
  request.flag_keys = call.body.flag_keys;
  request.runtime = call.runtime;
  request.evaluation_contexts = call.body.evaluation_contexts;
  request.only_survey_flags = call.only_survey_flags;
  request.now_us = call.now_us;
  request.time_zone = ProjectTimeZone(call.project);
  return request;
}

void LogStoreFailure(const Call& call, std::string_view what, const Status& status) {
  LogWarning("flags: cannot read " + std::string(what) + " for project " +
             std::to_string(call.project.id) +
             "; the flags that need it are answered as failed: " + status.ToString());
}

// Loads the stored person (properties, static cohorts) and groups under the request's own
// values, and the experience-continuity overrides. Blocking: worker threads only.
Gathered GatherFromStores(const ApiContext& context, const Call& call,
                          const flags::FlagSnapshot& snapshot) {
  Gathered out;
  flags::EvaluationRequest& request = out.request;
  request = RequestOnly(call);
  persons::PersonStore& store = *context.persons;
  const int64_t team = call.project.id;

  // The person behind distinct_id.
  std::optional<persons::Person> person;
  auto found = store.PersonByDistinctId(team, request.distinct_id);
  if (!found.ok()) {
    LogStoreFailure(call, "the person", found.status());
    out.store_failed = true;
  } else {
    person = std::move(found).value();
  }
  if (person) {
    auto stored = filters::ParseProperties(person->properties);
    if (stored.ok()) {
      filters::Properties merged = std::move(stored).value();
      filters::Overlay(call.body.person_properties, &merged);
      flags::FillInitialProperties(&merged);
      request.person_properties = std::move(merged);
    } else {
      LogStoreFailure(call, "the person's properties", stored.status());
      out.store_failed = true;
    }
    bool has_static_cohorts = std::any_of(snapshot.cohorts().begin(), snapshot.cohorts().end(),
                                          [](const flags::Cohort& c) { return c.is_static; });
    if (has_static_cohorts) {
      auto cohorts = store.StaticCohortsOf(team, person->uuid);
      if (cohorts.ok()) {
        request.static_cohorts.insert(cohorts->begin(), cohorts->end());
      } else {
        LogStoreFailure(call, "static cohort memberships", cohorts.status());
        out.store_failed = true;
      }
    }
  }

  // The groups the request names whose type the project knows.
  for (const auto& [type, key] : call.body.groups) {
    const std::string& name = type;  // (lambdas cannot capture structured bindings in clang 14)
    auto mapping = std::find_if(snapshot.group_types().begin(), snapshot.group_types().end(),
                                [&](const flags::GroupTypeMapping& m) { return m.name == name; });
    if (mapping == snapshot.group_types().end()) continue;
    auto group = store.GroupByKey(team, mapping->index, key);
    if (!group.ok()) {
      LogStoreFailure(call, "group properties", group.status());
      out.store_failed = true;
      continue;
    }
    if (!group->has_value()) continue;
    auto stored = filters::ParseProperties((*group)->properties);
    if (!stored.ok()) {
      LogStoreFailure(call, "group properties", stored.status());
      out.store_failed = true;
      continue;
    }
    filters::Properties merged = std::move(stored).value();
    if (auto sent = call.body.group_properties.find(type);
        sent != call.body.group_properties.end()) {
      filters::Overlay(sent->second, &merged);
    }
    request.group_properties[type] = std::move(merged);
  }

  // Experience continuity (§3.4).
  if (!snapshot.HasContinuityFlags()) return out;
  std::vector<std::string> continuity_keys;
  for (const flags::FeatureFlag& flag : snapshot.flags()) {
    if (IsContinuityFlag(flag)) continuity_keys.push_back(flag.key);
  }
  if (continuity_keys.empty()) return out;
  if (!found.ok()) {
    out.continuity_failed = true;
    return out;
  }
  const std::optional<std::string>& anon = call.body.anon_distinct_id;
  bool has_anon = anon.has_value() && !anon->empty();
  std::optional<persons::Person> anon_person;
  if (has_anon && *anon != request.distinct_id) {
    auto anon_found = store.PersonByDistinctId(team, *anon);
    if (!anon_found.ok()) {
      LogStoreFailure(call, "the anonymous person", anon_found.status());
      out.continuity_failed = true;
      return out;
    }
    anon_person = std::move(anon_found).value();
  }
  if (has_anon) {
    for (const std::optional<persons::Person>* p : {&person, &anon_person}) {
      if (!p->has_value()) continue;
      Status written = store.AddHashKeyOverrides(team, (*p)->uuid, continuity_keys, *anon);
      if (!written.ok()) {
        LogStoreFailure(call, "hash key overrides", written);
        out.continuity_failed = true;
        return out;
      }
    }
  }
  std::unordered_map<std::string, std::string> own, anons;
  for (auto [p, overrides] : {std::pair{&person, &own}, std::pair{&anon_person, &anons}}) {
    if (!p->has_value()) continue;
    auto read = store.HashKeyOverrides(team, (*p)->uuid);
    if (!read.ok()) {
      LogStoreFailure(call, "hash key overrides", read.status());
      out.continuity_failed = true;
      return out;
    }
    *overrides = std::move(read).value();
  }
  for (const std::string& key : continuity_keys) {
    if (auto it = own.find(key); it != own.end()) {
      request.hash_key_overrides[key] = it->second;
    } else if (auto it2 = anons.find(key); it2 != anons.end()) {
      request.hash_key_overrides[key] = it2->second;
    } else if (has_anon) {
      request.hash_key_overrides[key] = *anon;
    }
  }
  return out;
}

void MarkFailed(std::string_view code, flags::FlagAnswer* answer) {
  answer->result.failed = true;
  answer->result.enabled = false;
  answer->result.variant.reset();
  answer->result.payload.reset();
  answer->error_code = std::string(code);
}

std::vector<flags::FlagAnswer> Evaluate(const flags::FlagSnapshot& snapshot,
                                        const Gathered& gathered) {
  std::vector<flags::FlagResult> results = flags::EvaluateFlags(snapshot, gathered.request);
  std::vector<flags::FlagAnswer> answers;
  answers.reserve(results.size());
  for (flags::FlagResult& result : results) {
    flags::FlagAnswer answer{std::move(result), {}};
    const flags::FeatureFlag& flag = *answer.result.flag;
    if (gathered.continuity_failed && IsContinuityFlag(flag)) {
      MarkFailed("hash_key_override_error", &answer);
    } else if (gathered.store_failed && flag.active && ReadsStore(flag, snapshot)) {
      MarkFailed("database_error", &answer);
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

http::Response Answer(const Call& call, const flags::FlagSnapshot& snapshot,
                      const std::vector<flags::FlagAnswer>* answers) {
  flags::FlagsResponseInput input;
  input.shape = call.shape;
  input.flags = answers;
  input.request_id = Uuid::V7(call.now_us);
  input.evaluated_at_ms = call.now_us / 1000;
  if (call.config) {
    input.config = flags::ConfigFields::kFull;
    input.project = &call.project;
    input.has_feature_flags = flags::HasActiveFlags(snapshot);
  }
  return http::Response::Json(200, flags::WriteFlagsResponse(input));
}

// The whole answer for a snapshot; `use_store` when stored state must be loaded (workers only).
http::Response EvaluateAndAnswer(const ApiContext& context, const Call& call,
                                 const flags::FlagSnapshot& snapshot, bool use_store) {
  if (call.body.disable_flags) return Answer(call, snapshot, nullptr);
  Gathered gathered;
  if (use_store) {
    gathered = GatherFromStores(context, call, snapshot);
  } else {
    gathered.request = RequestOnly(call);
  }
  std::vector<flags::FlagAnswer> answers = Evaluate(snapshot, gathered);
  return Answer(call, snapshot, &answers);
}

// Whether the stored person, groups or overrides can change the answer: not when the request
// sends every property the flags read (posthog-node sends the ones it knows).
bool NeedsStore(const Call& call, const flags::FlagSnapshot& snapshot) {
  return !call.body.disable_flags &&
         !snapshot.CoveredByRequest(call.body.person_properties, call.body.group_properties,
                                    call.body.groups);
}

void HandleGet(const flags::FlagsQuery& query, int64_t now_us, http::Responder respond) {
  // PostHog answers GET without reading anything: version 2+ gets the detailed shape, anything
  // else the legacy one, and config is reduced to the compression the server accepts.
  flags::FlagsResponseInput input;
  input.shape = flags::ShapeFor(/*decide=*/false, query.version.value_or(1));
  input.request_id = Uuid::V7(now_us);
  input.evaluated_at_ms = now_us / 1000;
  input.config = flags::ConfigFields::kMinimal;
  respond(http::Response::Json(200, flags::WriteFlagsResponse(input)));
}

}  // namespace

void HandleFlags(const ApiContext& context, http::Request&& request, http::Responder respond) {
  if (request.method == "HEAD") return respond(http::Response::Json(200, ""));
  const int64_t now_us = context.clock->NowMicros();
  flags::FlagsQuery query = flags::ParseFlagsQuery(request.query);
  if (request.method == "GET") return HandleGet(query, now_us, std::move(respond));

  const bool decide = request.path.starts_with("/decide");
  std::optional<int> version = query.version;
  std::optional<bool> config = query.config;
  if (decide && !config) config = true;
  if (!version && !config) {
    version = 2;
    config = true;
  }

  auto call = std::make_shared<Call>();
  call->shape = flags::ShapeFor(decide, version);
  call->config = config.value_or(false);
  call->only_survey_flags = query.only_survey_flags;
  call->now_us = now_us;
  auto decoded = flags::DecodeFlagsRequest({.content_type = request.Header("Content-Type"),
                                            .content_encoding = request.Header("Content-Encoding"),
                                            .body = request.body,
                                            .compression = query.compression},
                                           flags::FlagsRequestLimits{});
  if (!decoded.ok()) return respond(TextError(decoded.status()));
  call->body = std::move(decoded).value();

  if (call->body.token.empty()) {
    return respond(TextError(UnauthenticatedError(std::string(kNoToken), "missing_token")));
  }
  auto project = context.meta->ProjectByToken(call->body.token);
  if (!project.ok()) {
    return respond(TextError(UnauthenticatedError(std::string(kBadToken), "invalid_token")));
  }
  call->project = std::move(project).value();
  if (!call->body.disable_flags && !call->body.distinct_id) {
    return respond(
        TextError(InvalidArgumentError(std::string(kNoDistinctId), "missing_distinct_id")));
  }
  bool browser_headers = !request.Header("Origin").empty() || !request.Header("Referer").empty() ||
                         !request.Header("Sec-Fetch-Mode").empty() ||
                         !request.Header("Sec-Fetch-Site").empty();
  call->runtime = flags::ResolveRuntime(call->body.evaluation_runtime, request.Header("User-Agent"),
                                        browser_headers);
  for (const auto& [type, key] : call->body.groups) call->group_types.push_back(type);

  // Fast path: a current snapshot whose flags need nothing stored is answered right here.
  auto snapshot = context.flag_snapshots->Current(call->project.id, call->group_types);
  if (snapshot != nullptr && !NeedsStore(*call, *snapshot)) {
    return respond(EvaluateAndAnswer(context, *call, *snapshot, /*use_store=*/false));
  }
  RunOnWorkers(context, std::move(respond), [&context, call](http::Responder respond) {
    auto snapshot = context.flag_snapshots->Get(call->project.id, call->group_types);
    if (!snapshot.ok()) {
      LogWarning("flags: cannot load the flags of project " + std::to_string(call->project.id) +
                 ": " + snapshot.status().ToString());
      return respond(TextError(UnavailableError(std::string(kUnavailable))));
    }
    respond(EvaluateAndAnswer(context, *call, **snapshot, NeedsStore(*call, **snapshot)));
  });
}

}  // namespace hoglet::api
