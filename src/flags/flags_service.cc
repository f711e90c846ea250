#include "flags/flags_service.h"

#include <memory>
#include <unordered_map>
#include <utility>

#include "base/logging.h"
#include "base/uuid.h"
#include "flags/flag_evaluator.h"
#include "meta/project_time_zone.h"

namespace hoglet::flags {
namespace {

// PostHog's texts for the token, distinct_id and availability errors (rust/feature-flags
// errors.rs).
constexpr std::string_view kNoToken =
    "No API token provided. Please include a valid API token in your request.";
constexpr std::string_view kBadToken =
    "The provided API key is invalid or has expired. Please check your API key and try again.";
constexpr std::string_view kNoDistinctId =
    "The distinct_id field is missing from the request. Please include a valid identifier.";
constexpr std::string_view kUnavailable =
    "Service is currently unavailable. Please try again later.";

// What loading stored state produced, and what failed.
struct Gathered {
  EvaluationRequest request;
  bool store_failed = false;       // person, group or cohort reads
  bool continuity_failed = false;  // hash-key override reads or writes
};

// The evaluation request from the request alone.
EvaluationRequest RequestOnly(const FlagsCall& call) {
  EvaluationRequest request;
  request.distinct_id = call.request.distinct_id.value_or("");
  request.device_id = call.request.device_id;
  request.groups = call.request.groups;
  request.person_properties = call.request.person_properties;
  FillInitialProperties(&request.person_properties);
  request.group_properties = call.request.group_properties;
  request.flag_keys = call.request.flag_keys;
  request.runtime = call.options.runtime;
  request.evaluation_contexts = call.request.evaluation_contexts;
  request.only_survey_flags = call.options.only_survey_flags;
  request.now_us = call.now_us;
  request.time_zone = meta::ProjectTimeZone(call.project);
  return request;
}

void LogStoreFailure(const FlagsCall& call, std::string_view what, const Status& status) {
  LogWarning("flags: cannot read " + std::string(what) + " for project " +
             std::to_string(call.project.id) +
             "; the flags that need it are answered as failed: " + status.ToString());
}

// The stored person's properties under the request's, and the static cohorts the person is in.
void AddStoredPerson(persons::PersonStore& store, const FlagsCall& call,
                     const FlagSnapshot& snapshot, const persons::Person& person, Gathered* out) {
  auto stored = filters::ParseProperties(person.properties);
  if (stored.ok()) {
    filters::Properties merged = std::move(stored).value();
    filters::Overlay(call.request.person_properties, &merged);
    FillInitialProperties(&merged);
    out->request.person_properties = std::move(merged);
  } else {
    LogStoreFailure(call, "the person's properties", stored.status());
    out->store_failed = true;
  }
  if (!snapshot.HasStaticCohorts()) return;
  auto cohorts = store.StaticCohortsOf(call.project.id, person.uuid);
  if (cohorts.ok()) {
    out->request.static_cohorts.insert(cohorts->begin(), cohorts->end());
  } else {
    LogStoreFailure(call, "static cohort memberships", cohorts.status());
    out->store_failed = true;
  }
}

// The stored properties, under the request's, of the groups the request names whose type the
// project knows.
void AddStoredGroups(persons::PersonStore& store, const FlagsCall& call,
                     const FlagSnapshot& snapshot, Gathered* out) {
  for (const auto& [type, key] : call.request.groups) {
    std::optional<int> index = snapshot.GroupTypeIndex(type);
    if (!index) continue;
    auto group = store.GroupByKey(call.project.id, *index, key);
    if (!group.ok()) {
      LogStoreFailure(call, "group properties", group.status());
      out->store_failed = true;
      continue;
    }
    if (!group->has_value()) continue;
    auto stored = filters::ParseProperties((*group)->properties);
    if (!stored.ok()) {
      LogStoreFailure(call, "group properties", stored.status());
      out->store_failed = true;
      continue;
    }
    filters::Properties merged = std::move(stored).value();
    if (auto sent = call.request.group_properties.find(type);
        sent != call.request.group_properties.end()) {
      filters::Overlay(sent->second, &merged);
    }
    out->request.group_properties[type] = std::move(merged);
  }
}

// Experience continuity (§3.4): records $anon_distinct_id as the override of the continuity
// flags for the persons of both ids, then buckets each such flag by the distinct_id's person's
// override, else the anonymous person's, else $anon_distinct_id. False (logged) when a read or
// write failed.
bool AddContinuityOverrides(persons::PersonStore& store, const FlagsCall& call,
                            const FlagSnapshot& snapshot,
                            const std::optional<persons::Person>& person,
                            EvaluationRequest* request) {
  const int64_t team = call.project.id;
  const std::vector<std::string>& keys = snapshot.ContinuityFlagKeys();
  const std::optional<std::string>& anon = call.request.anon_distinct_id;
  const bool has_anon = anon.has_value() && !anon->empty();
  std::optional<persons::Person> anon_person;
  if (has_anon && *anon != request->distinct_id) {
    auto found = store.PersonByDistinctId(team, *anon);
    if (!found.ok()) {
      LogStoreFailure(call, "the anonymous person", found.status());
      return false;
    }
    anon_person = std::move(found).value();
  }
  const std::optional<persons::Person>* const both[] = {&person, &anon_person};
  if (has_anon) {
    for (const std::optional<persons::Person>* p : both) {
      if (!p->has_value()) continue;
      Status written = store.AddHashKeyOverrides(team, (*p)->uuid, keys, *anon);
      if (!written.ok()) {
        LogStoreFailure(call, "hash key overrides", written);
        return false;
      }
    }
  }
  std::unordered_map<std::string, std::string> overrides[2];  // own, then the anonymous person's
  for (size_t i = 0; i < 2; ++i) {
    if (!both[i]->has_value()) continue;
    auto read = store.HashKeyOverrides(team, (*both[i])->uuid);
    if (!read.ok()) {
      LogStoreFailure(call, "hash key overrides", read.status());
      return false;
    }
    overrides[i] = std::move(read).value();
  }
  const auto& own = overrides[0];
  const auto& anons = overrides[1];
  for (const std::string& key : keys) {
    if (auto it = own.find(key); it != own.end()) {
      request->hash_key_overrides[key] = it->second;
    } else if (auto it2 = anons.find(key); it2 != anons.end()) {
      request->hash_key_overrides[key] = it2->second;
    } else if (has_anon) {
      request->hash_key_overrides[key] = *anon;
    }
  }
  return true;
}

// The request with the stored person and groups under it, and the continuity overrides.
// Blocking.
Gathered GatherFromStores(persons::PersonStore& store, const FlagsCall& call,
                          const FlagSnapshot& snapshot) {
  Gathered out;
  out.request = RequestOnly(call);
  auto person = store.PersonByDistinctId(call.project.id, out.request.distinct_id);
  if (!person.ok()) {
    LogStoreFailure(call, "the person", person.status());
    out.store_failed = true;
  } else if (person->has_value()) {
    AddStoredPerson(store, call, snapshot, **person, &out);
  }
  AddStoredGroups(store, call, snapshot, &out);
  if (!snapshot.ContinuityFlagKeys().empty()) {
    out.continuity_failed =
        !person.ok() || !AddContinuityOverrides(store, call, snapshot, *person, &out.request);
  }
  return out;
}

void MarkFailed(std::string_view code, FlagAnswer* answer) {
  answer->result.failed = true;
  answer->result.enabled = false;
  answer->result.variant.reset();
  answer->result.payload.reset();
  answer->error_code = std::string(code);
}

std::vector<FlagAnswer> Evaluate(const FlagSnapshot& snapshot, const Gathered& gathered) {
  std::vector<FlagResult> results = EvaluateFlags(snapshot, gathered.request);
  std::vector<FlagAnswer> answers;
  answers.reserve(results.size());
  for (FlagResult& result : results) {
    FlagAnswer answer{std::move(result), {}};
    const FeatureFlag& flag = *answer.result.flag;
    if (gathered.continuity_failed && snapshot.IsContinuityFlag(flag)) {
      MarkFailed("hash_key_override_error", &answer);
    } else if (gathered.store_failed && flag.active && snapshot.ReadsStoredState(flag)) {
      MarkFailed("database_error", &answer);
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

std::string WriteAnswer(const FlagsCall& call, const FlagSnapshot& snapshot,
                        const std::vector<FlagAnswer>* answers) {
  FlagsResponseInput input;
  input.shape = call.options.shape;
  input.flags = answers;
  input.request_id = Uuid::V7(call.now_us);
  input.evaluated_at_ms = call.now_us / 1000;
  if (call.options.config) {
    input.config = ConfigFields::kFull;
    input.project = &call.project;
    input.has_feature_flags = HasActiveFlags(snapshot);
  }
  return WriteFlagsResponse(input);
}

// The answer for a snapshot, with stored state read from `store` (null: the request alone).
std::string AnswerWith(persons::PersonStore* store, const FlagsCall& call,
                       const FlagSnapshot& snapshot) {
  if (call.request.disable_flags) return WriteAnswer(call, snapshot, nullptr);
  Gathered gathered;
  if (store != nullptr) {
    gathered = GatherFromStores(*store, call, snapshot);
  } else {
    gathered.request = RequestOnly(call);
  }
  std::vector<FlagAnswer> answers = Evaluate(snapshot, gathered);
  return WriteAnswer(call, snapshot, &answers);
}

// Whether the stored person, groups or overrides can change the answer: not when the request
// sends every property the flags read (posthog-node sends the ones it knows).
bool NeedsStore(const FlagsCall& call, const FlagSnapshot& snapshot) {
  return !call.request.disable_flags &&
         !snapshot.CoveredByRequest(call.request.person_properties, call.request.group_properties,
                                    call.request.groups);
}

}  // namespace

AnswerOptions AnswerOptionsFor(bool decide, const FlagsQuery& query) {
  std::optional<int> version = query.version;
  std::optional<bool> config = query.config;
  if (decide && !config) config = true;
  if (!version && !config) {
    version = 2;
    config = true;
  }
  AnswerOptions options;
  options.shape = ShapeFor(decide, version);
  options.config = config.value_or(false);
  options.only_survey_flags = query.only_survey_flags;
  return options;
}

FlagsService::FlagsService(meta::MetaStore& meta, persons::PersonStore& persons, const Clock& clock)
    : meta_(meta), persons_(persons), clock_(clock), snapshots_(meta, persons, clock) {}

std::string FlagsService::MinimalAnswer(std::optional<int> version) const {
  const int64_t now_us = clock_.NowMicros();
  FlagsResponseInput input;
  input.shape = ShapeFor(/*decide=*/false, version.value_or(1));
  input.request_id = Uuid::V7(now_us);
  input.evaluated_at_ms = now_us / 1000;
  input.config = ConfigFields::kMinimal;
  return WriteFlagsResponse(input);
}

StatusOr<FlagsCall> FlagsService::Accept(FlagsRequest request, const AnswerOptions& options) const {
  if (request.token.empty()) return UnauthenticatedError(std::string(kNoToken), "missing_token");
  auto project = meta_.ProjectByToken(request.token);
  if (!project.ok()) return UnauthenticatedError(std::string(kBadToken), "invalid_token");
  if (!request.disable_flags && !request.distinct_id) {
    return InvalidArgumentError(std::string(kNoDistinctId), "missing_distinct_id");
  }
  FlagsCall call;
  call.now_us = clock_.NowMicros();
  call.project = std::move(project).value();
  call.options = options;
  for (const auto& [type, key] : request.groups) call.group_types.push_back(type);
  call.request = std::move(request);
  return call;
}

std::optional<std::string> FlagsService::AnswerFromMemory(const FlagsCall& call) const {
  auto snapshot = snapshots_.Current(call.project.id, call.group_types);
  if (snapshot == nullptr || NeedsStore(call, *snapshot)) return std::nullopt;
  return AnswerWith(nullptr, call, *snapshot);
}

StatusOr<std::string> FlagsService::Answer(const FlagsCall& call) {
  auto snapshot = snapshots_.Get(call.project.id, call.group_types);
  if (!snapshot.ok()) {
    LogWarning("flags: cannot load the flags of project " + std::to_string(call.project.id) + ": " +
               snapshot.status().ToString());
    return UnavailableError(std::string(kUnavailable));
  }
  const FlagSnapshot& current = **snapshot;
  return AnswerWith(NeedsStore(call, current) ? &persons_ : nullptr, call, current);
}

}  // namespace hoglet::flags
