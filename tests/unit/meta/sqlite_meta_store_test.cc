#include "meta/sqlite_meta_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/sha256.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr int64_t kStart = 1'700'000'000'000'000;
constexpr int64_t kMinuteUs = 60'000'000;

class Fixture {
 public:
  Fixture() : clock_(kStart) {}

  std::string path() const { return dir_.Join("meta.sqlite"); }
  ManualClock& clock() { return clock_; }

  std::unique_ptr<MetaStore> Open() {
    auto store = OpenSqliteMetaStore(path(), clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Every byte of the database, WAL included.
  std::string FileBytes() const {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(path() + suffix, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bytes;
  }

  std::string QueryText(const std::string& sql) const {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string text;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* value = sqlite3_column_text(stmt, 0);
      text += value ? reinterpret_cast<const char*>(value) : "NULL";
      text += "\n";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return text;
  }

 private:
  testing::TempDir dir_;
  ManualClock clock_;
};

TEST(SqliteMetaStore, BootstrapCreatesProjectOneWithGeneratedTokens) {
  Fixture f;
  auto store = f.Open();
  auto result = store->Bootstrap({});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->created);
  EXPECT_EQ(result->project.id, 1);
  EXPECT_TRUE(result->project.api_token.starts_with("phc_"));
  EXPECT_EQ(result->project.api_token.size(), 47u);
  EXPECT_TRUE(result->project.secret_api_token.starts_with("phs_"));
  EXPECT_TRUE(result->personal_api_key.starts_with("phx_"));
  EXPECT_EQ(result->project.name, "Default project");
  EXPECT_EQ(result->project.timezone, "UTC");
  EXPECT_EQ(result->project.created_at_us, kStart);
  auto org = store->OrganizationById(result->project.organization_id);
  ASSERT_TRUE(org.ok());
  EXPECT_EQ(org->name, "Hoglet");
}

TEST(SqliteMetaStore, BootstrapTwiceReusesAndChangesNothing) {
  Fixture f;
  auto store = f.Open();
  auto first = store->Bootstrap({});
  ASSERT_TRUE(first.ok());
  auto second = store->Bootstrap({});
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->project, first->project);
  EXPECT_TRUE(second->personal_api_key.empty());
  EXPECT_FALSE(second->personal_api_key_added);
  EXPECT_EQ(f.QueryText("SELECT COUNT(*) FROM organizations"), "1\n");
  EXPECT_EQ(f.QueryText("SELECT COUNT(*) FROM projects"), "1\n");
  EXPECT_EQ(f.QueryText("SELECT COUNT(*) FROM personal_api_keys"), "1\n");
}

TEST(SqliteMetaStore, BootstrapHonoursGivenTokens) {
  Fixture f;
  auto store = f.Open();
  BootstrapRequest request;
  request.project_token = "phc_fixed_token_1";
  request.personal_api_key = "phx_fixed_key_1";
  auto result = store->Bootstrap(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->project.api_token, "phc_fixed_token_1");
  EXPECT_EQ(result->personal_api_key, "phx_fixed_key_1");
  EXPECT_TRUE(store->AuthenticatePersonalApiKey("phx_fixed_key_1").ok());
  auto project = store->ProjectByToken("phc_fixed_token_1");
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(project->id, 1);
}

TEST(SqliteMetaStore, BootstrapRejectsMalformedTokens) {
  Fixture f;
  auto store = f.Open();
  for (const char* token : {"abc", "phx_looks_like_a_key", "phc_", "phc_with space", "phc_x"}) {
    BootstrapRequest request;
    request.project_token = token;
    EXPECT_EQ(store->Bootstrap(request).status().code(), StatusCode::kInvalidArgument) << token;
  }
  BootstrapRequest request;
  request.personal_api_key = "phc_not_a_personal_key";
  EXPECT_EQ(store->Bootstrap(request).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(f.QueryText("SELECT COUNT(*) FROM organizations"), "0\n");
}

TEST(SqliteMetaStore, BootstrapOnExistingStoreAddsAGivenNewKey) {
  Fixture f;
  auto store = f.Open();
  auto first = store->Bootstrap({});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(store->AuthenticatePersonalApiKey("phx_set_at_restart").status().code(),
            StatusCode::kUnauthenticated);
  BootstrapRequest request;
  request.personal_api_key = "phx_set_at_restart";
  auto second = store->Bootstrap(request);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->created);
  EXPECT_TRUE(second->personal_api_key_added);
  EXPECT_EQ(second->project.id, 1);
  EXPECT_TRUE(store->AuthenticatePersonalApiKey("phx_set_at_restart").ok());
  EXPECT_TRUE(store->AuthenticatePersonalApiKey(first->personal_api_key).ok());
  // A third start with the same key adds nothing.
  auto third = store->Bootstrap(request);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->personal_api_key_added);
  EXPECT_EQ(f.QueryText("SELECT COUNT(*) FROM personal_api_keys"), "2\n");
}

TEST(SqliteMetaStore, BootstrapWithAnotherProjectTokenIsAlreadyExists) {
  Fixture f;
  auto store = f.Open();
  BootstrapRequest request;
  request.project_token = "phc_original";
  ASSERT_TRUE(store->Bootstrap(request).ok());
  request.project_token = "phc_different";
  auto again = store->Bootstrap(request);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("phc_original"), std::string::npos)
      << again.status().message();
  request.project_token = "phc_original";
  auto same = store->Bootstrap(request);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->project.api_token, "phc_original");
}

TEST(SqliteMetaStore, ProjectLookupByTokenAndId) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  auto by_token = store->ProjectByToken(boot->project.api_token);
  ASSERT_TRUE(by_token.ok());
  EXPECT_EQ(*by_token, boot->project);
  auto by_id = store->ProjectById(1);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(*by_id, boot->project);
  EXPECT_EQ(store->ProjectByToken("phc_unknown").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->ProjectByToken(boot->project.secret_api_token).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store->ProjectById(2).status().code(), StatusCode::kNotFound);
}

TEST(SqliteMetaStore, PersonalApiKeyIsStoredOnlyAsHash) {
  Fixture f;
  std::string plain;
  {
    auto store = f.Open();
    auto boot = store->Bootstrap({});
    ASSERT_TRUE(boot.ok());
    auto created = store->CreatePersonalApiKey(1, "second key", {"*"});
    ASSERT_TRUE(created.ok());
    plain = created->plain_key;
    EXPECT_EQ(created->key.mask_value, "phx_..." + plain.substr(plain.size() - 4));
    EXPECT_NE(f.FileBytes().find(boot->project.api_token), std::string::npos)
        << "the scan must see what is stored";
    EXPECT_EQ(f.FileBytes().find(boot->personal_api_key), std::string::npos);
    EXPECT_EQ(f.FileBytes().find(plain), std::string::npos);
  }
  std::string secure_values = f.QueryText("SELECT secure_value FROM personal_api_keys");
  EXPECT_NE(secure_values.find(Sha256Hex(plain)), std::string::npos);
  EXPECT_EQ(secure_values.find(plain), std::string::npos);
  EXPECT_EQ(f.FileBytes().find(plain), std::string::npos);
}

TEST(SqliteMetaStore, AuthenticateReturnsOwnerAndRejectsUnknown) {
  Fixture f;
  auto store = f.Open();
  BootstrapRequest request;
  request.user_email = "owner@example.com";
  auto boot = store->Bootstrap(request);
  ASSERT_TRUE(boot.ok());
  auto caller = store->AuthenticatePersonalApiKey(boot->personal_api_key);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->user.email, "owner@example.com");
  EXPECT_EQ(caller->user.organization_id, boot->project.organization_id);
  EXPECT_EQ(caller->scopes, std::vector<std::string>{"*"});
  auto unknown = store->AuthenticatePersonalApiKey("phx_nope");
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
  EXPECT_FALSE(unknown.status().message().empty());
  EXPECT_EQ(store->AuthenticatePersonalApiKey(boot->project.api_token).status().code(),
            StatusCode::kUnauthenticated);
}

TEST(SqliteMetaStore, LastUsedIsWrittenAtMostOncePerMinute) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  const std::string last_used = "SELECT last_used_at FROM personal_api_keys";
  EXPECT_EQ(f.QueryText(last_used), "NULL\n");
  ASSERT_TRUE(store->AuthenticatePersonalApiKey(boot->personal_api_key).ok());
  EXPECT_EQ(f.QueryText(last_used), std::to_string(kStart) + "\n");
  f.clock().Advance(kMinuteUs - 1);
  ASSERT_TRUE(store->AuthenticatePersonalApiKey(boot->personal_api_key).ok());
  EXPECT_EQ(f.QueryText(last_used), std::to_string(kStart) + "\n");
  f.clock().Advance(1);
  ASSERT_TRUE(store->AuthenticatePersonalApiKey(boot->personal_api_key).ok());
  EXPECT_EQ(f.QueryText(last_used), std::to_string(kStart + kMinuteUs) + "\n");
  auto keys = store->ListPersonalApiKeys(1);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].last_used_at_us, kStart + kMinuteUs);
}

TEST(SqliteMetaStore, ReopenKeepsEverything) {
  Fixture f;
  BootstrapResult boot;
  Project extra;
  {
    auto store = f.Open();
    auto result = store->Bootstrap({});
    ASSERT_TRUE(result.ok());
    boot = *result;
    auto created = store->CreateProject(boot.project.organization_id, "Second");
    ASSERT_TRUE(created.ok());
    extra = *created;
  }
  auto store = f.Open();
  auto by_token = store->ProjectByToken(boot.project.api_token);
  ASSERT_TRUE(by_token.ok());
  EXPECT_EQ(*by_token, boot.project);
  auto second = store->ProjectByToken(extra.api_token);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, extra);
  EXPECT_TRUE(store->AuthenticatePersonalApiKey(boot.personal_api_key).ok());
  auto again = store->Bootstrap({});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->project, boot.project);
}

TEST(SqliteMetaStore, ProjectsAreScopedToTheirOrganization) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  auto other_org = store->CreateOrganization("Other");
  ASSERT_TRUE(other_org.ok());
  auto a = store->CreateProject(boot->project.organization_id, "A");
  auto b = store->CreateProject(other_org->id, "B");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->api_token, b->api_token);
  auto first = store->ProjectsOfOrganization(boot->project.organization_id);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, 1);
  EXPECT_EQ((*first)[1].id, a->id);
  auto second = store->ProjectsOfOrganization(other_org->id);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].id, b->id);
  EXPECT_EQ((*second)[0].organization_id, other_org->id);
  auto none = store->ProjectsOfOrganization("no-such-org");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(store->CreateProject("no-such-org", "C").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->CreateProject(other_org->id, "").status().code(), StatusCode::kInvalidArgument);
}

TEST(SqliteMetaStore, UpdateProjectStoresSettings) {
  Fixture f;
  auto boot = f.Open()->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  {
    auto store = f.Open();
    Project project = boot->project;
    project.name = "Renamed";
    project.timezone = "Europe/Amsterdam";
    project.week_start_day = 1;
    project.anonymize_ips = true;
    project.person_processing_opt_out = true;
    project.test_account_filters = R"([{"key":"email","value":"@example.com"}])";
    auto updated = store->UpdateProject(project);
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
    EXPECT_EQ(*updated, project);
    EXPECT_EQ(*store->ProjectByToken(project.api_token), project);
  }
  auto reopened = f.Open()->ProjectById(1);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->name, "Renamed");
  EXPECT_EQ(reopened->timezone, "Europe/Amsterdam");
  EXPECT_EQ(reopened->week_start_day, 1);
  EXPECT_TRUE(reopened->anonymize_ips);
  EXPECT_TRUE(reopened->person_processing_opt_out);
  EXPECT_EQ(reopened->test_account_filters, R"([{"key":"email","value":"@example.com"}])");
}

TEST(SqliteMetaStore, UpdateProjectRejectsInvalidChanges) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  auto with = [&](auto change) {
    Project project = boot->project;
    change(project);
    return store->UpdateProject(project).status().code();
  };
  EXPECT_EQ(with([](Project& p) { p.week_start_day = 2; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](Project& p) { p.name.clear(); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](Project& p) { p.timezone.clear(); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](Project& p) { p.test_account_filters = "{}"; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](Project& p) { p.test_account_filters = "[oops"; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](Project& p) { p.api_token = "phc_changed"; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](Project& p) { p.id = 99; }), StatusCode::kNotFound);
  EXPECT_EQ(*store->ProjectById(1), boot->project);
}

TEST(SqliteMetaStore, DeleteProjectStopsTokenAndNeverReusesId) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  auto second = store->CreateProject(boot->project.organization_id, "Second");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->id, 2);
  ASSERT_TRUE(store->DeleteProject(2).ok());
  EXPECT_EQ(store->ProjectByToken(second->api_token).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->ProjectById(2).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->DeleteProject(2).code(), StatusCode::kNotFound);
  auto third = store->CreateProject(boot->project.organization_id, "Third");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->id, 3);
  EXPECT_EQ(f.Open()->ProjectById(2).status().code(), StatusCode::kNotFound);
}

TEST(SqliteMetaStore, DeletingAKeyRevokesIt) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  auto created = store->CreatePersonalApiKey(1, "ci", {"*"});
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(store->AuthenticatePersonalApiKey(created->plain_key).ok());
  auto keys = store->ListPersonalApiKeys(1);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].id, created->key.id);
  EXPECT_EQ((*keys)[1].label, "ci");
  EXPECT_EQ(store->DeletePersonalApiKey(2, created->key.id).code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->DeletePersonalApiKey(1, created->key.id).ok());
  EXPECT_EQ(store->AuthenticatePersonalApiKey(created->plain_key).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(store->AuthenticatePersonalApiKey(boot->personal_api_key).ok());
  EXPECT_EQ(store->DeletePersonalApiKey(1, created->key.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(f.Open()->AuthenticatePersonalApiKey(created->plain_key).status().code(),
            StatusCode::kUnauthenticated);
}

TEST(SqliteMetaStore, CreatePersonalApiKeyValidates) {
  Fixture f;
  auto store = f.Open();
  ASSERT_TRUE(store->Bootstrap({}).ok());
  EXPECT_EQ(store->CreatePersonalApiKey(42, "x", {"*"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->CreatePersonalApiKey(1, "", {"*"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store->CreatePersonalApiKey(1, std::string(256, 'x'), {"*"}).status().code(),
            StatusCode::kInvalidArgument);
  auto keys = store->ListPersonalApiKeys(42);
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->empty());
}

TEST(SqliteMetaStore, UserAndOrganizationLookups) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  auto user = store->UserById(1);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->email, "admin@localhost");
  EXPECT_EQ(user->organization_id, boot->project.organization_id);
  EXPECT_EQ(user->uuid.size(), 36u);
  EXPECT_EQ(store->UserById(2).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->OrganizationById("nope").status().code(), StatusCode::kNotFound);
}

TEST(SqliteMetaStore, ConcurrentReadsAndWritesStayConsistent) {
  Fixture f;
  auto store = f.Open();
  auto boot = store->Bootstrap({});
  ASSERT_TRUE(boot.ok());
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (t % 2 == 0) {
          if (!store->ProjectByToken(boot->project.api_token).ok()) ++failures[t];
          if (!store->AuthenticatePersonalApiKey(boot->personal_api_key).ok()) ++failures[t];
          f.clock().Advance(kMinuteUs);  // forces last_used_at writes
        } else {
          auto project = store->CreateProject(boot->project.organization_id, "p");
          if (!project.ok() || !store->ProjectByToken(project->api_token).ok()) ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
  auto projects = store->ProjectsOfOrganization(boot->project.organization_id);
  ASSERT_TRUE(projects.ok());
  EXPECT_EQ(projects->size(), 101u);
  EXPECT_EQ(f.Open()->ProjectsOfOrganization(boot->project.organization_id)->size(), 101u);
}

}  // namespace
}  // namespace hoglet::meta
