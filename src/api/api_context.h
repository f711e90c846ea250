// What the API handlers work with: the stores, the log, the flags service, the clock and
// the limits. Owned by the server's composition root, which outlives every handler.
#pragma once

#include <cstddef>

#include "api/login_rate_limiter.h"
#include "api/overrides_cache.h"
#include "api/person_creation_cache.h"
#include "api/person_properties_cache.h"
#include "base/clock.h"
#include "base/thread_pool.h"
#include "capture/capture_request.h"
#include "log/event_log.h"
#include "meta/meta_store.h"
#include "persons/person_store.h"
#include "query/query_jobs.h"
#include "query/result_cache.h"
#include "store/event_store.h"

namespace hoglet::flags {
class FlagsService;  // flags/flags_service.h
}  // namespace hoglet::flags

namespace hoglet::api {

class CohortCounts;  // api/cohort_members.h

struct BodyLimits {
  size_t events_bytes = 2'000'000;   // /e, /i/v0/e, /capture, /track, /engage (PostHog: 2 MB)
  size_t batch_bytes = 20'000'000;   // /batch (PostHog: 20 MB)
  size_t replay_bytes = 25'000'000;  // /s (PostHog: 25 MB)
  size_t api_bytes = 1 << 20;        // everything else
};

struct ResponseLimits {
  // An events list page stops growing once its body passes this size; `next` continues after the
  // last event written. A page holds at least one event, however big.
  size_t events_page_bytes = 4 << 20;
};

struct ApiContext {
  meta::MetaStore* meta = nullptr;
  log::EventLog* log = nullptr;
  store::EventStore* store = nullptr;
  persons::PersonStore* persons = nullptr;  // persons, groups, ingestion warnings
  flags::FlagsService* flags = nullptr;     // /flags, remote config, local evaluation
  const Clock* clock = nullptr;
  ThreadPool* workers = nullptr;              // blocking handlers run here, never on I/O threads
  query::QueryJobs* query_jobs = nullptr;     // background queries, per-project query limits
  query::ResultCache* query_cache = nullptr;  // answers of repeated queries
  OverridesCache* overrides = nullptr;        // distinct-id overrides; null: read per query
  // Persons' properties read all by a query, for the next; null: read per query.
  PersonPropertiesCache* person_properties = nullptr;
  // Persons' creation times read all by a query, for the next; null: read per query.
  PersonCreationCache* person_creation = nullptr;
  CohortCounts* cohort_counts = nullptr;      // dynamic cohorts' last counts; null: none kept
  LoginRateLimiter* login_limiter = nullptr;  // failed logins (api/session_handler.h)
  size_t query_threads = 1;                   // threads one query's scan may use
  // The organization the web app's first account joins (the one the data directory was
  // bootstrapped with: its first project is where `make run`'s events go).
  std::string first_organization_id;
  capture::CaptureLimits capture_limits;
  BodyLimits body_limits;
  ResponseLimits response_limits;
};

}  // namespace hoglet::api
