// DefinitionsTracker against the real SQLite metadata store, seen through a wrapper that counts
// (and can fail) the definition writes.
#include "ingest/definitions_tracker.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "meta/sqlite_meta_store.h"
#include "persons/sqlite_person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::ingest {
namespace {

constexpr int64_t kNowUs = 1'719'792'000'000'000;  // 2024-07-01T00:00:00Z
constexpr int64_t kMinuteUs = 60'000'000;
constexpr int64_t kHourUs = 60 * kMinuteUs;

// Forwards everything to a real store; counts RecordDefinitions and RecordEventProperties calls
// and fails them on demand.
class CountingMetaStore final : public meta::MetaStore {
 public:
  explicit CountingMetaStore(meta::MetaStore& inner) : inner_(inner) {}

  int record_calls = 0;
  size_t last_event_count = 0;
  size_t last_property_count = 0;
  int pair_calls = 0;
  size_t last_pair_count = 0;
  bool fail_writes = false;

  StatusOr<meta::RecordedDefinitions> RecordDefinitions(
      int64_t team_id, const std::vector<meta::EventDefinitionSeen>& events,
      const std::vector<meta::PropertyDefinitionSeen>& properties,
      const meta::DefinitionLimits& limits) override {
    ++record_calls;
    last_event_count = events.size();
    last_property_count = properties.size();
    if (fail_writes) return UnavailableError("disk full");
    return inner_.RecordDefinitions(team_id, events, properties, limits);
  }
  StatusOr<meta::RecordedEventProperties> RecordEventProperties(
      int64_t team_id, const std::vector<meta::EventPropertySeen>& pairs,
      const meta::EventPropertyLimits& limits) override {
    ++pair_calls;
    last_pair_count = pairs.size();
    if (fail_writes) return UnavailableError("disk full");
    return inner_.RecordEventProperties(team_id, pairs, limits);
  }
  StatusOr<meta::DefinitionPage<meta::EventDefinition>> ListEventDefinitions(
      const meta::DefinitionListQuery& query) const override {
    return inner_.ListEventDefinitions(query);
  }
  StatusOr<meta::DefinitionPage<meta::PropertyDefinition>> ListPropertyDefinitions(
      const meta::DefinitionListQuery& query) const override {
    return inner_.ListPropertyDefinitions(query);
  }
  StatusOr<meta::EventDefinition> EventDefinitionByUuid(int64_t team_id,
                                                        std::string_view uuid) const override {
    return inner_.EventDefinitionByUuid(team_id, uuid);
  }
  StatusOr<meta::PropertyDefinition> PropertyDefinitionByUuid(
      int64_t team_id, std::string_view uuid) const override {
    return inner_.PropertyDefinitionByUuid(team_id, uuid);
  }
  StatusOr<meta::EventDefinition> UpdateEventDefinitionNotes(
      int64_t team_id, std::string_view uuid, const meta::DefinitionNotesChange& change,
      std::optional<int64_t> user_id) override {
    return inner_.UpdateEventDefinitionNotes(team_id, uuid, change, user_id);
  }
  StatusOr<meta::PropertyDefinition> UpdatePropertyDefinitionNotes(
      int64_t team_id, std::string_view uuid, const meta::DefinitionNotesChange& change,
      std::optional<int64_t> user_id) override {
    return inner_.UpdatePropertyDefinitionNotes(team_id, uuid, change, user_id);
  }

  StatusOr<meta::BootstrapResult> Bootstrap(const meta::BootstrapRequest& request) override {
    return inner_.Bootstrap(request);
  }
  StatusOr<meta::Project> ProjectByToken(std::string_view token) const override {
    return inner_.ProjectByToken(token);
  }
  StatusOr<meta::Project> ProjectBySecretToken(std::string_view token) const override {
    return inner_.ProjectBySecretToken(token);
  }
  StatusOr<meta::Project> ProjectById(int64_t id) const override { return inner_.ProjectById(id); }
  StatusOr<std::vector<meta::Project>> ProjectsOfOrganization(
      std::string_view organization_id) const override {
    return inner_.ProjectsOfOrganization(organization_id);
  }
  StatusOr<meta::Organization> CreateOrganization(std::string_view name) override {
    return inner_.CreateOrganization(name);
  }
  StatusOr<meta::Project> CreateProject(std::string_view organization_id,
                                        std::string_view name) override {
    return inner_.CreateProject(organization_id, name);
  }
  StatusOr<meta::Project> UpdateProject(const meta::Project& project) override {
    return inner_.UpdateProject(project);
  }
  Status DeleteProject(int64_t id) override { return inner_.DeleteProject(id); }
  StatusOr<meta::User> CreateUser(std::string_view organization_id, std::string_view email,
                                  std::string_view first_name) override {
    return inner_.CreateUser(organization_id, email, first_name);
  }
  StatusOr<meta::User> UserById(int64_t id) const override { return inner_.UserById(id); }
  StatusOr<meta::Organization> OrganizationById(std::string_view id) const override {
    return inner_.OrganizationById(id);
  }
  StatusOr<meta::AuthenticatedKey> AuthenticatePersonalApiKey(std::string_view key) override {
    return inner_.AuthenticatePersonalApiKey(key);
  }
  StatusOr<meta::NewPersonalApiKey> CreatePersonalApiKey(int64_t user_id, std::string_view label,
                                                         std::vector<std::string> scopes) override {
    return inner_.CreatePersonalApiKey(user_id, label, std::move(scopes));
  }
  StatusOr<meta::PersonalApiKey> UpdatePersonalApiKey(
      int64_t user_id, std::string_view key_id, const meta::PersonalApiKeyUpdate& update) override {
    return inner_.UpdatePersonalApiKey(user_id, key_id, update);
  }
  StatusOr<std::vector<meta::PersonalApiKey>> ListPersonalApiKeys(int64_t user_id) const override {
    return inner_.ListPersonalApiKeys(user_id);
  }
  Status DeletePersonalApiKey(int64_t user_id, std::string_view key_id) override {
    return inner_.DeletePersonalApiKey(user_id, key_id);
  }
  Status SetUserPassword(int64_t user_id, std::string_view password) override {
    return inner_.SetUserPassword(user_id, password);
  }
  StatusOr<meta::User> AuthenticatePassword(std::string_view email,
                                            std::string_view password) override {
    return inner_.AuthenticatePassword(email, password);
  }
  StatusOr<bool> AnyUserHasPassword() const override { return inner_.AnyUserHasPassword(); }
  StatusOr<meta::NewSession> CreateSession(int64_t user_id, int64_t lifetime_us) override {
    return inner_.CreateSession(user_id, lifetime_us);
  }
  StatusOr<meta::SessionInfo> SessionByToken(std::string_view token) override {
    return inner_.SessionByToken(token);
  }
  Status DeleteSession(std::string_view token) override { return inner_.DeleteSession(token); }
  Status DeleteUserSessions(int64_t user_id) override { return inner_.DeleteUserSessions(user_id); }
  StatusOr<meta::FeatureFlagRecord> CreateFeatureFlag(
      const meta::FeatureFlagRecord& flag) override {
    return inner_.CreateFeatureFlag(flag);
  }
  StatusOr<meta::FeatureFlagRecord> UpdateFeatureFlag(
      const meta::FeatureFlagRecord& flag) override {
    return inner_.UpdateFeatureFlag(flag);
  }
  StatusOr<meta::FeatureFlagRecord> FeatureFlagById(int64_t team_id, int64_t id) const override {
    return inner_.FeatureFlagById(team_id, id);
  }
  StatusOr<std::vector<meta::FeatureFlagRecord>> ListFeatureFlags(
      int64_t team_id, bool include_deleted) const override {
    return inner_.ListFeatureFlags(team_id, include_deleted);
  }
  StatusOr<meta::CohortRecord> CreateCohort(const meta::CohortRecord& cohort) override {
    return inner_.CreateCohort(cohort);
  }
  StatusOr<meta::CohortRecord> UpdateCohort(const meta::CohortRecord& cohort) override {
    return inner_.UpdateCohort(cohort);
  }
  StatusOr<meta::CohortRecord> CohortById(int64_t team_id, int64_t id) const override {
    return inner_.CohortById(team_id, id);
  }
  StatusOr<std::vector<meta::CohortRecord>> ListCohorts(int64_t team_id,
                                                        bool include_deleted) const override {
    return inner_.ListCohorts(team_id, include_deleted);
  }
  StatusOr<meta::AnnotationRecord> CreateAnnotation(
      const meta::AnnotationRecord& annotation) override {
    return inner_.CreateAnnotation(annotation);
  }
  StatusOr<meta::AnnotationRecord> UpdateAnnotation(
      const meta::AnnotationRecord& annotation) override {
    return inner_.UpdateAnnotation(annotation);
  }
  StatusOr<meta::AnnotationRecord> AnnotationById(int64_t team_id, int64_t id) const override {
    return inner_.AnnotationById(team_id, id);
  }
  StatusOr<std::vector<meta::GroupTypeNames>> ListGroupTypeNames(int64_t team_id) const override {
    return inner_.ListGroupTypeNames(team_id);
  }
  Status SetGroupTypeNames(int64_t team_id, const meta::GroupTypeNames& names) override {
    return inner_.SetGroupTypeNames(team_id, names);
  }
  StatusOr<std::vector<meta::AnnotationRecord>> ListAnnotations(
      int64_t team_id, bool include_deleted) const override {
    return inner_.ListAnnotations(team_id, include_deleted);
  }
  StatusOr<meta::ActionRecord> CreateAction(const meta::ActionRecord& action) override {
    return inner_.CreateAction(action);
  }
  StatusOr<meta::ActionRecord> UpdateAction(const meta::ActionRecord& action) override {
    return inner_.UpdateAction(action);
  }
  StatusOr<meta::ActionRecord> ActionById(int64_t team_id, int64_t id) const override {
    return inner_.ActionById(team_id, id);
  }
  StatusOr<std::vector<meta::ActionRecord>> ListActions(int64_t team_id,
                                                        bool include_deleted) const override {
    return inner_.ListActions(team_id, include_deleted);
  }
  StatusOr<meta::InsightRecord> CreateInsight(const meta::InsightRecord& insight) override {
    return inner_.CreateInsight(insight);
  }
  StatusOr<meta::InsightRecord> UpdateInsight(const meta::InsightRecord& insight) override {
    return inner_.UpdateInsight(insight);
  }
  StatusOr<meta::InsightRecord> InsightById(int64_t team_id, int64_t id) const override {
    return inner_.InsightById(team_id, id);
  }
  StatusOr<meta::InsightRecord> InsightByShortId(int64_t team_id,
                                                 std::string_view short_id) const override {
    return inner_.InsightByShortId(team_id, short_id);
  }
  StatusOr<std::vector<meta::InsightRecord>> ListInsights(int64_t team_id,
                                                          bool include_deleted) const override {
    return inner_.ListInsights(team_id, include_deleted);
  }
  StatusOr<meta::DashboardRecord> CreateDashboard(const meta::DashboardRecord& dashboard) override {
    return inner_.CreateDashboard(dashboard);
  }
  StatusOr<meta::DashboardRecord> UpdateDashboard(const meta::DashboardRecord& dashboard) override {
    return inner_.UpdateDashboard(dashboard);
  }
  StatusOr<meta::DashboardRecord> DashboardById(int64_t team_id, int64_t id) const override {
    return inner_.DashboardById(team_id, id);
  }
  StatusOr<std::vector<meta::DashboardRecord>> ListDashboards(int64_t team_id,
                                                              bool include_deleted) const override {
    return inner_.ListDashboards(team_id, include_deleted);
  }
  Status SetInsightDashboards(int64_t team_id, int64_t insight_id,
                              const std::vector<int64_t>& dashboard_ids) override {
    return inner_.SetInsightDashboards(team_id, insight_id, dashboard_ids);
  }
  StatusOr<meta::DashboardTileRecord> CreateDashboardTile(
      int64_t team_id, const meta::DashboardTileRecord& tile) override {
    return inner_.CreateDashboardTile(team_id, tile);
  }
  StatusOr<meta::DashboardTileRecord> UpdateDashboardTile(
      int64_t team_id, const meta::DashboardTileRecord& tile) override {
    return inner_.UpdateDashboardTile(team_id, tile);
  }
  StatusOr<std::vector<meta::DashboardTileRecord>> TilesOfDashboard(
      int64_t team_id, int64_t dashboard_id) const override {
    return inner_.TilesOfDashboard(team_id, dashboard_id);
  }
  StatusOr<std::vector<meta::DashboardTileRecord>> TilesOfInsight(
      int64_t team_id, int64_t insight_id) const override {
    return inner_.TilesOfInsight(team_id, insight_id);
  }
  uint64_t FlagsGeneration(int64_t team_id) const override {
    return inner_.FlagsGeneration(team_id);
  }

 private:
  meta::MetaStore& inner_;
};

class DefinitionsTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = meta::OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    real_ = std::move(opened).value();
    auto boot = real_->Bootstrap(meta::BootstrapRequest{});
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    team_ = boot->project.id;
    meta_ = std::make_unique<CountingMetaStore>(*real_);
    auto persons = persons::OpenSqlitePersonStore(dir_.Join("persons.sqlite"));
    ASSERT_TRUE(persons.ok()) << persons.status().ToString();
    persons_ = std::move(persons).value();
  }

  // The project's ingestion warnings of the tracker's type, newest first.
  std::vector<persons::IngestionWarning> SkipWarnings() {
    auto warnings = persons_->ListWarnings(team_, 100);
    EXPECT_TRUE(warnings.ok()) << warnings.status().ToString();
    std::vector<persons::IngestionWarning> out;
    if (!warnings.ok()) return out;
    for (auto& warning : *warnings) {
      if (warning.type == DefinitionsTracker::kSkippedWarningType) out.push_back(warning);
    }
    return out;
  }

  // An event with `count` properties named prefix0, prefix1, ...
  store::Event WideEvent(const std::string& prefix, int count) {
    std::string properties = "{";
    for (int i = 0; i < count; ++i) {
      if (i > 0) properties += ',';
      properties += "\"" + prefix + std::to_string(i) + "\":" + std::to_string(i);
    }
    properties += '}';
    return Event("wide", properties);
  }

  store::Event Event(std::string name, std::string properties, int64_t timestamp_us = kNowUs) {
    store::Event event;
    event.team_id = team_;
    event.event = std::move(name);
    event.properties = std::move(properties);
    event.timestamp_us = timestamp_us;
    return event;
  }

  std::vector<meta::EventDefinition> Events() {
    meta::DefinitionListQuery query;
    query.team_id = team_;
    auto page = real_->ListEventDefinitions(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->results : std::vector<meta::EventDefinition>{};
  }

  std::vector<meta::PropertyDefinition> Properties(
      meta::PropertyOwner owner = meta::PropertyOwner::kEvent) {
    meta::DefinitionListQuery query;
    query.team_id = team_;
    query.owner = owner;
    auto page = real_->ListPropertyDefinitions(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->results : std::vector<meta::PropertyDefinition>{};
  }

  // Person property definitions by name, with their types.
  std::map<std::string, std::optional<meta::PropertyType>> PersonProperties() {
    std::map<std::string, std::optional<meta::PropertyType>> types;
    for (const auto& property : Properties(meta::PropertyOwner::kPerson)) {
      types[property.name] = property.property_type;
    }
    return types;
  }

  // The names of the event properties seen with one of `events`.
  std::vector<std::string> PropertiesSeenWith(std::vector<std::string> events) {
    meta::DefinitionListQuery query;
    query.team_id = team_;
    query.event_names = std::move(events);
    query.filter_by_event_names = true;
    auto page = real_->ListPropertyDefinitions(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> names;
    if (page.ok()) {
      for (const auto& property : page->results) names.push_back(property.name);
    }
    return names;
  }

  hoglet::testing::TempDir dir_;
  ManualClock clock_{kNowUs};
  std::unique_ptr<meta::MetaStore> real_;
  std::unique_ptr<CountingMetaStore> meta_;
  std::unique_ptr<persons::PersonStore> persons_;
  int64_t team_ = 0;
};

TEST_F(DefinitionsTrackerTest, RecordsEventNamesAndTypedProperties) {
  DefinitionsTracker tracker(*meta_, clock_);
  ASSERT_TRUE(tracker
                  .Observe({Event("$pageview", R"({"$browser":"Chrome","count":3,"ok":true,)"
                                               R"("at":"2024-06-30T10:00:00Z","obj":{"a":1},)"
                                               R"("$set":{"email":"a@b.c"},"$group_0":"acme"})"),
                            Event("signed up", R"({"plan":"pro"})")})
                  .ok());
  EXPECT_EQ(meta_->record_calls, 1);
  auto events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].name, "$pageview");
  EXPECT_EQ(events[0].last_seen_at_us, kNowUs);
  EXPECT_EQ(events[1].name, "signed up");

  std::map<std::string, std::optional<meta::PropertyType>> types;
  for (const auto& property : Properties()) types[property.name] = property.property_type;
  std::map<std::string, std::optional<meta::PropertyType>> expected = {
      {"$browser", meta::PropertyType::kString},
      {"count", meta::PropertyType::kNumeric},
      {"ok", meta::PropertyType::kBoolean},
      {"at", meta::PropertyType::kDateTime},
      {"obj", std::nullopt},
      {"plan", meta::PropertyType::kString}};
  EXPECT_EQ(types, expected);
}

TEST_F(DefinitionsTrackerTest, KnownNamesAreWrittenAgainOnlyAfterAnHour) {
  DefinitionsTracker tracker(*meta_, clock_);
  ASSERT_TRUE(tracker.Observe({Event("a", R"({"p":1})", kNowUs - 2 * kHourUs)}).ok());
  EXPECT_EQ(meta_->record_calls, 1);
  ASSERT_TRUE(
      tracker.Observe({Event("a", R"({"p":2})", kNowUs - 2 * kHourUs + 59 * kMinuteUs)}).ok());
  EXPECT_EQ(meta_->record_calls, 1);
  EXPECT_EQ(Events()[0].last_seen_at_us, kNowUs - 2 * kHourUs);

  ASSERT_TRUE(tracker.Observe({Event("a", R"({"p":3})", kNowUs - kHourUs)}).ok());
  EXPECT_EQ(meta_->record_calls, 2);
  EXPECT_EQ(Events()[0].last_seen_at_us, kNowUs - kHourUs);

  // Only the new property of a batch is written.
  ASSERT_TRUE(tracker.Observe({Event("a", R"({"p":4,"q":"x"})", kNowUs - kHourUs)}).ok());
  EXPECT_EQ(meta_->record_calls, 3);
  EXPECT_EQ(meta_->last_event_count, 0u);
  EXPECT_EQ(meta_->last_property_count, 1u);
}

TEST_F(DefinitionsTrackerTest, FutureTimestampsCountAsNow) {
  DefinitionsTracker tracker(*meta_, clock_);
  ASSERT_TRUE(tracker.Observe({Event("later", "{}", kNowUs + 24 * kHourUs)}).ok());
  EXPECT_EQ(Events()[0].last_seen_at_us, kNowUs);
}

TEST_F(DefinitionsTrackerTest, FailedWritesAreNotRememberedAndAreRetried) {
  DefinitionsTracker tracker(*meta_, clock_);
  meta_->fail_writes = true;
  Status failed = tracker.Observe({Event("retry me", "{}")});
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable);
  EXPECT_EQ(tracker.remembered(), 0u);
  meta_->fail_writes = false;
  ASSERT_TRUE(tracker.Observe({Event("retry me", "{}")}).ok());
  EXPECT_EQ(meta_->record_calls, 2);
  EXPECT_EQ(Events().size(), 1u);
}

TEST_F(DefinitionsTrackerTest, UnknownProjectsAreSkipped) {
  DefinitionsTracker tracker(*meta_, clock_);
  store::Event orphan = Event("ghost", "{}");
  orphan.team_id = team_ + 100;
  EXPECT_TRUE(tracker.Observe({orphan, Event("real", "{}")}).ok());
  EXPECT_EQ(meta_->record_calls, 2);  // one per team
  ASSERT_EQ(Events().size(), 1u);
  EXPECT_EQ(Events()[0].name, "real");
}

TEST_F(DefinitionsTrackerTest, MemoryIsBounded) {
  DefinitionsTrackerOptions options;
  options.max_remembered = 3;
  DefinitionsTracker tracker(*meta_, clock_, options);
  ASSERT_TRUE(tracker.Observe({Event("a", "{}"), Event("b", "{}")}).ok());
  EXPECT_EQ(tracker.remembered(), 2u);
  ASSERT_TRUE(tracker.Observe({Event("c", "{}"), Event("d", "{}"), Event("e", "{}")}).ok());
  EXPECT_LE(tracker.remembered(), 3u);
  EXPECT_EQ(Events().size(), 5u);
}

TEST_F(DefinitionsTrackerTest, SkipsUnusableNamesAndBadProperties) {
  DefinitionsTracker tracker(*meta_, clock_);
  std::string too_long(meta::kMaxDefinitionNameBytes + 1, 'x');
  ASSERT_TRUE(tracker
                  .Observe({Event(too_long, "{}"), Event("", "{}"), Event("broken", "not json"),
                            Event("ok", "{\"" + too_long + "\":1,\"short\":1}")})
                  .ok());
  std::vector<std::string> names;
  for (const auto& event : Events()) names.push_back(event.name);
  EXPECT_EQ(names, (std::vector<std::string>{"broken", "ok"}));
  ASSERT_EQ(Properties().size(), 1u);
  EXPECT_EQ(Properties()[0].name, "short");
}

TEST_F(DefinitionsTrackerTest, NewDefinitionsPerBatchAreCappedWithOneWarning) {
  DefinitionsTrackerOptions options;
  options.max_new_per_batch = 10;
  DefinitionsTracker tracker(*meta_, clock_, options, persons_.get());
  // One event name and 100 keys per event, over 5 events: 10 definitions fit in this batch.
  std::vector<store::Event> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(WideEvent("k" + std::to_string(i) + "_", 100));
  ASSERT_TRUE(tracker.Observe(batch).ok());
  EXPECT_EQ(Events().size(), 1u);
  EXPECT_EQ(Properties().size(), 9u);

  auto warnings = SkipWarnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].details.find("\"skippedPropertyKeys\":491"), std::string::npos)
      << warnings[0].details;
  EXPECT_NE(warnings[0].details.find("\"maxNewDefinitionsPerBatch\":10"), std::string::npos);
  EXPECT_NE(warnings[0].details.find("\"examples\":[\"k0_9\""), std::string::npos)
      << warnings[0].details;

  // The next batch records the next 10, and warns no more within the hour.
  ASSERT_TRUE(tracker.Observe(batch).ok());
  EXPECT_EQ(Properties().size(), 19u);
  EXPECT_EQ(SkipWarnings().size(), 1u);
  // An hour later a still-skipping batch warns again.
  clock_.Advance(kHourUs);
  ASSERT_TRUE(tracker.Observe(batch).ok());
  EXPECT_EQ(SkipWarnings().size(), 2u);
}

TEST_F(DefinitionsTrackerTest, ProjectTotalsAreCappedAndKnownNamesStillRefresh) {
  DefinitionsTrackerOptions options;
  options.max_property_definitions = 50;
  options.max_event_definitions = 2;
  DefinitionsTracker tracker(*meta_, clock_, options, persons_.get());
  ASSERT_TRUE(tracker.Observe({WideEvent("a", 40), Event("second", "{}")}).ok());
  ASSERT_TRUE(tracker.Observe({WideEvent("b", 40), Event("third", "{}")}).ok());
  EXPECT_EQ(Properties().size(), 50u);
  EXPECT_EQ(Events().size(), 2u);
  ASSERT_EQ(SkipWarnings().size(), 1u);
  EXPECT_NE(SkipWarnings()[0].details.find("\"skippedEventNames\":1"), std::string::npos)
      << SkipWarnings()[0].details;

  // A full project still moves last_seen_at of what it holds.
  clock_.Advance(2 * kHourUs);
  ASSERT_TRUE(tracker.Observe({Event("wide", R"({"a0":1})", kNowUs + kHourUs)}).ok());
  for (const auto& event : Events()) {
    if (event.name == "wide") {
      EXPECT_EQ(event.last_seen_at_us, kNowUs + kHourUs);
    }
  }
}

TEST_F(DefinitionsTrackerTest, LongKeysAreSkippedWithAWarning) {
  DefinitionsTracker tracker(*meta_, clock_, {}, persons_.get());
  std::string too_long(meta::kMaxDefinitionNameBytes + 1, 'k');
  ASSERT_TRUE(tracker.Observe({Event("e", "{\"" + too_long + "\":1,\"fine\":2}")}).ok());
  ASSERT_EQ(Properties().size(), 1u);
  EXPECT_EQ(Properties()[0].name, "fine");
  auto warnings = SkipWarnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].details.find("\"namesTooLong\":1"), std::string::npos)
      << warnings[0].details;
}

TEST_F(DefinitionsTrackerTest, ABatchLooksAtNoMoreDistinctKeysThanAProjectMayHold) {
  DefinitionsTrackerOptions options;
  options.max_property_definitions = 100;
  options.max_new_per_batch = 1000;
  DefinitionsTracker tracker(*meta_, clock_, options, persons_.get());
  ASSERT_TRUE(tracker.Observe({WideEvent("x", 1000)}).ok());
  EXPECT_EQ(meta_->last_property_count, 100u);  // the rest were not even offered
  EXPECT_EQ(Properties().size(), 100u);
  auto warnings = SkipWarnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].details.find("\"skippedPropertyKeys\":900"), std::string::npos)
      << warnings[0].details;
}

TEST_F(DefinitionsTrackerTest, NothingSkippedMeansNoWarning) {
  DefinitionsTracker tracker(*meta_, clock_, {}, persons_.get());
  ASSERT_TRUE(tracker.Observe({WideEvent("p", 50)}).ok());
  EXPECT_TRUE(SkipWarnings().empty());
}

TEST_F(DefinitionsTrackerTest, RecordsPersonPropertiesFromSetAndSetOnce) {
  DefinitionsTracker tracker(*meta_, clock_);
  ASSERT_TRUE(
      tracker
          .Observe({Event("$identify", R"({"$set":{"plan":"pro","age":30},)"
                                       R"("$set_once":{"first_seen":"2024-06-30T10:00:00Z"}})"),
                    Event("$set", R"({"$set":{"plan":"free","vip":true,"nothing":null}})"),
                    Event("clicked", R"({"$set":"not an object","$set_once":[1],"color":"red"})")})
          .ok());
  std::map<std::string, std::optional<meta::PropertyType>> expected = {
      {"age", meta::PropertyType::kNumeric},
      {"first_seen", meta::PropertyType::kDateTime},
      {"nothing", std::nullopt},
      {"plan", meta::PropertyType::kString},
      {"vip", meta::PropertyType::kBoolean}};
  EXPECT_EQ(PersonProperties(), expected);
  // $set and $set_once are instructions, not event properties; person keys are not event keys.
  ASSERT_EQ(Properties().size(), 1u);
  EXPECT_EQ(Properties()[0].name, "color");
  // Known person keys are not written again within the hour.
  EXPECT_EQ(meta_->record_calls, 1);
  ASSERT_TRUE(tracker.Observe({Event("$set", R"({"$set":{"plan":"team"}})")}).ok());
  EXPECT_EQ(meta_->record_calls, 1);
  ASSERT_TRUE(tracker.Observe({Event("$set", R"({"$set":{"plan":"team","new_key":1}})")}).ok());
  EXPECT_EQ(meta_->record_calls, 2);
  EXPECT_EQ(meta_->last_event_count, 0u);
  EXPECT_EQ(meta_->last_property_count, 1u);
  EXPECT_EQ(PersonProperties().size(), 6u);
}

TEST_F(DefinitionsTrackerTest, AnEventAndAPersonPropertyOfOneNameAreTwoDefinitions) {
  DefinitionsTracker tracker(*meta_, clock_);
  ASSERT_TRUE(tracker.Observe({Event("signed up", R"({"plan":1,"$set":{"plan":"pro"}})")}).ok());
  ASSERT_EQ(Properties().size(), 1u);
  EXPECT_EQ(Properties()[0].property_type, meta::PropertyType::kNumeric);
  auto person = Properties(meta::PropertyOwner::kPerson);
  ASSERT_EQ(person.size(), 1u);
  EXPECT_EQ(person[0].name, "plan");
  EXPECT_EQ(person[0].property_type, meta::PropertyType::kString);
}

TEST_F(DefinitionsTrackerTest, RecordsGroupPropertiesUnderTheirGroupType) {
  {
    auto txn = persons_->Begin();
    ASSERT_TRUE(txn.ok());
    ASSERT_EQ((*txn)->GroupTypeIndex(team_, "company").value(), 0);
    ASSERT_EQ((*txn)->GroupTypeIndex(team_, "project").value(), 1);
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto group_identify = [&](std::string type, std::string set) {
    return Event("$groupidentify",
                 R"({"$group_type":")" + type + R"(","$group_key":"k","$group_set":)" + set + "}");
  };
  DefinitionsTrackerOptions options;
  options.max_group_property_definitions = 3;
  DefinitionsTracker tracker(*meta_, clock_, options, persons_.get());
  ASSERT_TRUE(tracker
                  .Observe({group_identify("company", R"({"industry":"tech","employees":50})"),
                            group_identify("project", R"({"industry":3})"),
                            group_identify("unassigned", R"({"ghost":1})"),
                            group_identify("company", R"("not an object")"),
                            group_identify("project", R"({"over_the_cap":true})")})
                  .ok());
  std::map<std::pair<int, std::string>, std::optional<meta::PropertyType>> groups;
  for (const auto& property : Properties(meta::PropertyOwner::kGroup)) {
    ASSERT_TRUE(property.group_type_index.has_value()) << property.name;
    groups[{*property.group_type_index, property.name}] = property.property_type;
  }
  std::map<std::pair<int, std::string>, std::optional<meta::PropertyType>> expected = {
      {{0, "employees"}, meta::PropertyType::kNumeric},
      {{0, "industry"}, meta::PropertyType::kString},
      {{1, "industry"}, meta::PropertyType::kNumeric}};
  EXPECT_EQ(groups, expected);
  ASSERT_EQ(SkipWarnings().size(), 1u);
  EXPECT_NE(SkipWarnings()[0].details.find(R"("skippedGroupPropertyKeys":1)"), std::string::npos)
      << SkipWarnings()[0].details;
  // Known group keys are not written again within the hour.
  const int calls = meta_->record_calls;
  ASSERT_TRUE(tracker.Observe({group_identify("company", R"({"industry":"retail"})")}).ok());
  EXPECT_EQ(meta_->record_calls, calls);

  // Without a person store there are no group types to read: nothing is recorded.
  DefinitionsTracker blind(*meta_, clock_);
  ASSERT_TRUE(blind.Observe({group_identify("company", R"({"founded":1999})")}).ok());
  EXPECT_EQ(Properties(meta::PropertyOwner::kGroup).size(), 3u);
}

TEST_F(DefinitionsTrackerTest, RecordsWhichPropertiesEachEventHad) {
  DefinitionsTracker tracker(*meta_, clock_);
  ASSERT_TRUE(tracker
                  .Observe({Event("viewed", R"({"page":"/","pages":2})"),
                            Event("signed up", R"({"page":"/join","source":"ad",)"
                                               R"("$set":{"email":"a@b.c"}})"),
                            Event("viewed", R"({"page":"/about"})")})
                  .ok());
  EXPECT_EQ(meta_->pair_calls, 1);
  EXPECT_EQ(meta_->last_pair_count, 4u);  // (viewed, page), (viewed, pages), (signed up, ...) x2
  EXPECT_EQ(PropertiesSeenWith({"viewed"}), (std::vector<std::string>{"page", "pages"}));
  EXPECT_EQ(PropertiesSeenWith({"signed up"}), (std::vector<std::string>{"page", "source"}));
  EXPECT_EQ(PropertiesSeenWith({"viewed", "signed up"}),
            (std::vector<std::string>{"page", "pages", "source"}));
  EXPECT_TRUE(PropertiesSeenWith({"never sent"}).empty());

  // Known pairs are never written again; a new pair is.
  ASSERT_TRUE(tracker.Observe({Event("viewed", R"({"page":"/","pages":3})")}).ok());
  EXPECT_EQ(meta_->pair_calls, 1);
  ASSERT_TRUE(tracker.Observe({Event("signed up", R"({"pages":1})")}).ok());
  EXPECT_EQ(meta_->pair_calls, 2);
  EXPECT_EQ(meta_->last_pair_count, 1u);
  EXPECT_EQ(PropertiesSeenWith({"signed up"}),
            (std::vector<std::string>{"page", "pages", "source"}));
}

TEST_F(DefinitionsTrackerTest, FailedPairWritesAreRetried) {
  DefinitionsTracker tracker(*meta_, clock_);
  meta_->fail_writes = true;
  EXPECT_EQ(tracker.Observe({Event("e", R"({"p":1})")}).code(), StatusCode::kUnavailable);
  EXPECT_EQ(tracker.remembered(), 0u);
  meta_->fail_writes = false;
  ASSERT_TRUE(tracker.Observe({Event("e", R"({"p":1})")}).ok());
  EXPECT_EQ(meta_->pair_calls, 2);
  EXPECT_EQ(PropertiesSeenWith({"e"}), (std::vector<std::string>{"p"}));
}

TEST_F(DefinitionsTrackerTest, PersonPropertiesAreCappedWithAWarning) {
  DefinitionsTrackerOptions options;
  options.max_person_property_definitions = 2;
  DefinitionsTracker tracker(*meta_, clock_, options, persons_.get());
  std::string too_long(meta::kMaxDefinitionNameBytes + 1, 'k');
  ASSERT_TRUE(
      tracker
          .Observe({Event("$identify", R"({"$set":{"a":1,"b":2,"c":3,")" + too_long + R"(":4}})")})
          .ok());
  EXPECT_EQ(PersonProperties().size(), 2u);
  auto warnings = SkipWarnings();
  ASSERT_EQ(warnings.size(), 1u);
  // "a" and "b" fit; "c" is not even offered (a batch looks at no more keys than fit).
  EXPECT_NE(warnings[0].details.find("\"skippedPersonPropertyKeys\":1"), std::string::npos)
      << warnings[0].details;
  EXPECT_NE(warnings[0].details.find("\"namesTooLong\":1"), std::string::npos)
      << warnings[0].details;
  EXPECT_NE(warnings[0].details.find("\"maxPersonPropertyDefinitions\":2"), std::string::npos)
      << warnings[0].details;
}

TEST_F(DefinitionsTrackerTest, PersonPropertiesCountInTheNewPerBatchBound) {
  DefinitionsTrackerOptions options;
  options.max_new_per_batch = 3;
  DefinitionsTracker tracker(*meta_, clock_, options, persons_.get());
  ASSERT_TRUE(tracker.Observe({Event("e", R"({"p":1,"$set":{"a":1,"b":2}})")}).ok());
  // The event name and "p" come first; one person key fits, the other waits for a later batch.
  EXPECT_EQ(Properties().size(), 1u);
  EXPECT_EQ(PersonProperties().size(), 1u);
  auto warnings = SkipWarnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].details.find("\"skippedPersonPropertyKeys\":1"), std::string::npos)
      << warnings[0].details;
  EXPECT_NE(warnings[0].details.find("\"examples\":[\"b\"]"), std::string::npos)
      << warnings[0].details;
  ASSERT_TRUE(tracker.Observe({Event("e", R"({"p":1,"$set":{"a":1,"b":2}})")}).ok());
  EXPECT_EQ(PersonProperties().size(), 2u);
}

TEST_F(DefinitionsTrackerTest, PairsAreCappedWithAWarning) {
  DefinitionsTrackerOptions options;
  options.max_event_properties = 5;
  options.max_new_event_properties_per_batch = 3;
  DefinitionsTracker tracker(*meta_, clock_, options, persons_.get());
  ASSERT_TRUE(tracker.Observe({WideEvent("k", 4)}).ok());
  EXPECT_EQ(PropertiesSeenWith({"wide"}).size(), 3u);
  auto warnings = SkipWarnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].details.find("\"skippedEventPropertyPairs\":1"), std::string::npos)
      << warnings[0].details;
  EXPECT_NE(warnings[0].details.find("\"examples\":[\"wide / k3\"]"), std::string::npos)
      << warnings[0].details;
  // The next batch records the skipped pair; the project then holds 4 of its 5.
  ASSERT_TRUE(tracker.Observe({WideEvent("k", 4)}).ok());
  EXPECT_EQ(PropertiesSeenWith({"wide"}).size(), 4u);
  ASSERT_TRUE(tracker.Observe({Event("other", R"({"x":1,"y":2})")}).ok());
  EXPECT_EQ(PropertiesSeenWith({"other"}), (std::vector<std::string>{"x"}));
  // All the properties are still definitions.
  EXPECT_EQ(Properties().size(), 6u);
}

}  // namespace
}  // namespace hoglet::ingest
