#include "server/app.h"

#include <filesystem>

#include "api/cohort_members.h"
#include "api/overrides_cache.h"
#include "api/person_properties_cache.h"
#include "api/routes.h"
#include "base/logging.h"
#include "base/thread_pool.h"
#include "flags/flags_service.h"
#include "http/router.h"
#include "http/server.h"
#include "ingest/consumer.h"
#include "log/wal_log.h"
#include "meta/api_tokens.h"
#include "meta/sqlite_meta_store.h"
#include "persons/person_processor.h"
#include "persons/sqlite_person_store.h"
#include "store/columnar_store.h"

namespace hoglet::server {
namespace {

constexpr int64_t kShutdownGraceMs = 10'000;
constexpr size_t kQueryCacheBytes = 64 << 20;  // answers of repeated queries

class RunningApp final : public App {
 public:
  RunningApp(const config::ServeOptions& options, const Clock& clock)
      : options_(options), clock_(clock) {}

  ~RunningApp() override { Stop(); }

  Status Open() {
    std::error_code ec;
    std::filesystem::create_directories(options_.data_dir, ec);
    if (ec) {
      return UnavailableError("cannot create data directory '" + options_.data_dir +
                              "': " + ec.message());
    }

    HOGLET_ASSIGN_OR_RETURN(meta_,
                            meta::OpenSqliteMetaStore(options_.data_dir + "/meta.sqlite", clock_));
    meta::BootstrapRequest bootstrap_request;
    bootstrap_request.project_token = options_.init_project_token;
    bootstrap_request.personal_api_key = options_.init_personal_api_key;
    HOGLET_ASSIGN_OR_RETURN(bootstrap_, meta_->Bootstrap(bootstrap_request));
    if (bootstrap_.personal_api_key_revoked) {
      LogWarning(
          "the initial personal API key (HOGLET_INIT_PERSONAL_API_KEY or "
          "--init-personal-api-key, " +
          meta::MaskPersonalApiKey(options_.init_personal_api_key) +
          ") was created at an earlier start and has since been deleted through the API; "
          "a revoked key is not created again. Remove the setting, or set a new value to "
          "create a new key");
    }

    log::WalOptions wal_options;
    wal_options.dir = options_.data_dir + "/log";
    wal_options.partitions = options_.log_partitions;
    wal_options.fsync = options_.fsync;
    HOGLET_ASSIGN_OR_RETURN(log_, log::OpenWalLog(wal_options));

    store::ColumnarStoreOptions store_options;
    store_options.dir = options_.data_dir + "/events";
    store_options.fsync = options_.fsync;
    store_options.merge_threads = options_.merge_threads;
    store_options.block_cache_bytes = static_cast<size_t>(options_.block_cache_bytes);
    HOGLET_ASSIGN_OR_RETURN(store_, store::OpenColumnarStore(store_options));

    HOGLET_ASSIGN_OR_RETURN(persons_,
                            persons::OpenSqlitePersonStore(options_.data_dir + "/persons.sqlite"));
    persons::PersonProcessorOptions person_options;
    person_options.max_person_properties_bytes =
        static_cast<size_t>(options_.max_person_properties_bytes);
    person_options.max_group_properties_bytes =
        static_cast<size_t>(options_.max_group_properties_bytes);
    person_processor_ = std::make_unique<persons::PersonProcessor>(*persons_, person_options);
    flags_ = std::make_unique<flags::FlagsService>(*meta_, *persons_, clock_);

    ingest::DefinitionsTrackerOptions definitions_options;
    definitions_options.max_new_per_batch = options_.max_new_definitions_per_batch;
    definitions_options.max_event_definitions = options_.max_event_definitions_per_project;
    definitions_options.max_property_definitions = options_.max_property_definitions_per_project;
    definitions_options.max_person_property_definitions =
        options_.max_person_property_definitions_per_project;
    definitions_options.max_group_property_definitions =
        options_.max_group_property_definitions_per_project;
    definitions_options.max_new_event_properties_per_batch =
        options_.max_new_event_properties_per_batch;
    definitions_options.max_event_properties = options_.max_event_properties_per_project;
    definitions_ = std::make_unique<ingest::DefinitionsTracker>(*meta_, clock_, definitions_options,
                                                                persons_.get());

    ingest::ConsumerOptions consumer_options;
    consumer_options.max_batch_records = options_.ingest_batch_events;
    consumer_ = std::make_unique<ingest::Consumer>(*log_, *store_, *meta_, *person_processor_,
                                                   *definitions_, clock_, consumer_options);
    consumer_->Start();

    workers_ = std::make_unique<ThreadPool>(options_.http_threads + 1, 1024);
    query_jobs_ = std::make_unique<query::QueryJobs>(query::QueryJobs::Options{}, &clock_);
    query_cache_ = std::make_unique<query::ResultCache>(kQueryCacheBytes);
    overrides_cache_ = std::make_unique<api::OverridesCache>(*persons_);
    person_properties_cache_ = std::make_unique<api::PersonPropertiesCache>();
    person_creation_cache_ = std::make_unique<api::PersonCreationCache>();
    cohort_counts_ = std::make_unique<api::CohortCounts>();
    context_.meta = meta_.get();
    context_.log = log_.get();
    context_.store = store_.get();
    context_.persons = persons_.get();
    context_.flags = flags_.get();
    context_.clock = &clock_;
    context_.workers = workers_.get();
    context_.query_jobs = query_jobs_.get();
    context_.query_cache = query_cache_.get();
    context_.overrides = overrides_cache_.get();
    context_.person_properties = person_properties_cache_.get();
    context_.person_creation = person_creation_cache_.get();
    context_.cohort_counts = cohort_counts_.get();
    context_.query_threads = static_cast<size_t>(options_.query_threads);
    login_limiter_ = std::make_unique<api::LoginRateLimiter>(clock_);
    context_.login_limiter = login_limiter_.get();
    context_.first_organization_id = bootstrap_.project.organization_id;
    context_.capture_limits.max_payload_bytes =
        static_cast<size_t>(options_.max_decompressed_bytes);
    context_.capture_limits.max_events = options_.max_events_per_request;
    context_.capture_limits.max_json_depth = options_.max_json_depth;
    context_.capture_limits.max_properties = options_.max_properties_per_event;
    context_.capture_limits.max_event_bytes = static_cast<size_t>(options_.max_event_bytes);
    context_.body_limits.events_bytes = static_cast<size_t>(options_.max_body_bytes_events);
    context_.body_limits.batch_bytes = static_cast<size_t>(options_.max_body_bytes_batch);
    api::RegisterRoutes(context_, &router_);

    http::ServerOptions http_options;
    http_options.host = options_.listen.host;
    http_options.port = options_.listen.port;
    http_options.threads = options_.http_threads;
    http_options.request_timeout_ms = options_.request_timeout_ms;
    http_options.keep_alive_timeout_ms = options_.keep_alive_timeout_ms;
    http_options.max_body_bytes = [limits = context_.body_limits](std::string_view path) {
      return api::MaxBodyBytesFor(limits, path);
    };
    HOGLET_ASSIGN_OR_RETURN(
        http_,
        http::Server::Start(http_options, [this](http::Request&& request, http::Responder respond) {
          router_.Dispatch(std::move(request), std::move(respond));
        }));
    return Status::Ok();
  }

  uint16_t port() const override { return http_ ? http_->port() : 0; }
  const meta::BootstrapResult& bootstrap() const override { return bootstrap_; }

  void Stop() override {
    if (http_) http_->Stop(kShutdownGraceMs);
    if (consumer_) consumer_->Stop();
    workers_.reset();     // finishes queued requests
    query_jobs_.reset();  // cancels background queries and waits for them
    if (log_) log_->Close();
    if (store_) store_->Close();
  }

 private:
  const config::ServeOptions options_;
  const Clock& clock_;
  std::unique_ptr<meta::MetaStore> meta_;
  meta::BootstrapResult bootstrap_;
  std::unique_ptr<log::EventLog> log_;
  std::unique_ptr<store::EventStore> store_;
  std::unique_ptr<persons::PersonStore> persons_;
  std::unique_ptr<persons::PersonProcessor> person_processor_;
  std::unique_ptr<flags::FlagsService> flags_;
  std::unique_ptr<ingest::DefinitionsTracker> definitions_;
  std::unique_ptr<ingest::Consumer> consumer_;
  std::unique_ptr<ThreadPool> workers_;
  std::unique_ptr<query::QueryJobs> query_jobs_;
  std::unique_ptr<query::ResultCache> query_cache_;
  std::unique_ptr<api::OverridesCache> overrides_cache_;
  std::unique_ptr<api::PersonPropertiesCache> person_properties_cache_;
  std::unique_ptr<api::PersonCreationCache> person_creation_cache_;
  std::unique_ptr<api::CohortCounts> cohort_counts_;
  std::unique_ptr<api::LoginRateLimiter> login_limiter_;
  api::ApiContext context_;
  http::Router router_;
  std::unique_ptr<http::Server> http_;
};

}  // namespace

StatusOr<std::unique_ptr<App>> App::Start(const config::ServeOptions& options, const Clock& clock) {
  auto app = std::make_unique<RunningApp>(options, clock);
  HOGLET_RETURN_IF_ERROR(app->Open());
  return std::unique_ptr<App>(std::move(app));
}

}  // namespace hoglet::server
