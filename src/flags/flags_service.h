// The flags service: answers /flags and /decide requests (capture-and-flags §2, §3) for every
// project, from the projects' compiled flag sets and what the person store keeps. It knows no
// HTTP: the API's handler (api/flags_handler.h) decodes the request (flags_request.h), hands it
// here and maps the answer or the error to a response; a server without the REST API can do the
// same.
//
// A request is answered in two steps, so the caller decides where blocking work runs:
//   Accept            checks the token and distinct_id and finds the project; no store I/O beyond
//                     the metadata store's token lookup.
//   AnswerFromMemory  the answer when the project's snapshot is in memory and current and its
//                     flags need nothing stored for this request (no person or group property
//                     the request does not send, no cohort, early access or continuity); never
//                     does I/O, so I/O threads may call it.
//   Answer            everything else: rebuilds a stale snapshot and loads the stored person
//                     (by distinct id) and groups, overlays the request's properties on them (the
//                     request wins; missing $initial_* are filled from their current
//                     counterparts), reads the person's static cohorts and, for continuity flags,
//                     the hash-key overrides (recorded for the persons of both ids when the
//                     request carries $anon_distinct_id; such flags bucket by the stored override,
//                     the distinct_id's person's first, else by $anon_distinct_id). Blocking:
//                     worker threads only.
// A failed store read fails only the flags that needed it (failed: true, with
// errorsWhileComputingFlags); the other flags are still answered.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(FlagsCall call, service.Accept(std::move(request), options));
//   if (auto body = service.AnswerFromMemory(call)) return *body;
//   ... on a worker: HOGLET_ASSIGN_OR_RETURN(std::string body, service.Answer(call));
//
// Errors carry PostHog's texts (rust/feature-flags errors.rs), for a plain-text body:
//   kUnauthenticated  no token ("missing_token"), or a token no project has ("invalid_token")
//   kInvalidArgument  no distinct_id while flags are wanted ("missing_distinct_id")
//   kUnavailable      the project's flag set cannot be loaded (Answer)
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "flags/feature_flag.h"
#include "flags/flag_snapshots.h"
#include "flags/flags_request.h"
#include "flags/flags_response.h"
#include "meta/meta_store.h"
#include "persons/person_store.h"

namespace hoglet::flags {

// How to answer: the shape and config the endpoint and its query parameters ask for (§2.1), and
// the runtime whose flags the caller may see (ResolveRuntime).
struct AnswerOptions {
  ResponseShape shape = ResponseShape::kDetailed;
  bool config = false;
  bool only_survey_flags = false;
  std::optional<EvaluationRuntime> runtime;
};

// The options for /decide (`decide`) or /flags with these query parameters, runtime left unknown:
// with neither `v` nor `config`, /flags answers as v=2 with config; /decide always has config
// unless `config` says otherwise.
AnswerOptions AnswerOptionsFor(bool decide, const FlagsQuery& query);

// A request the service accepted: its project is known.
struct FlagsCall {
  FlagsRequest request;
  AnswerOptions options;
  meta::Project project;
  std::vector<std::string> group_types;  // the group type names the request sends groups for
  int64_t now_us = 0;                    // when it was accepted
};

class FlagsService {
 public:
  // The stores and clock must outlive the service.
  FlagsService(meta::MetaStore& meta, persons::PersonStore& persons, const Clock& clock);

  FlagsService(const FlagsService&) = delete;
  FlagsService& operator=(const FlagsService&) = delete;

  // What PostHog answers GET /flags with, reading nothing: no flags, the detailed shape for
  // version 2 and later (else the legacy one), config reduced to supportedCompression.
  std::string MinimalAnswer(std::optional<int> version) const;

  // Checks the decoded request and finds its project (errors above).
  StatusOr<FlagsCall> Accept(FlagsRequest request, const AnswerOptions& options) const;

  // The JSON answer from memory alone, or nullopt when Answer must compute it. Never does I/O.
  std::optional<std::string> AnswerFromMemory(const FlagsCall& call) const;

  // The JSON answer, reading whatever it needs. Blocking.
  StatusOr<std::string> Answer(const FlagsCall& call);

  // The projects' compiled flag sets, which remote config and local evaluation read too.
  FlagSnapshots& snapshots() { return snapshots_; }

 private:
  meta::MetaStore& meta_;
  persons::PersonStore& persons_;
  const Clock& clock_;
  FlagSnapshots snapshots_;
};

}  // namespace hoglet::flags
