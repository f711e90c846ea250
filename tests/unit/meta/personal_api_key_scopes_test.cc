// Scopes of personal API keys in the metadata store: stored with the key, returned by
// authentication, changed by UpdatePersonalApiKey, validated on every write, and full access
// ("*") for every key stored before scopes existed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/sha256.h"
#include "meta/schema_migrations.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

using Scopes = std::vector<std::string>;

constexpr int64_t kStart = 1'700'000'000'000'000;

class PersonalApiKeyScopes : public ::testing::Test {
 protected:
  std::unique_ptr<MetaStore> Open() {
    auto store = OpenSqliteMetaStore(path(), clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::string path() const { return dir_.Join("meta.sqlite"); }

  void ExecSql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "") << "\n" << sql;
    sqlite3_free(error);
    sqlite3_close(db);
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
};

TEST_F(PersonalApiKeyScopes, CreatedScopesAreStoredAndAuthenticated) {
  auto store = Open();
  ASSERT_TRUE(store->Bootstrap({}).ok());
  auto created =
      store->CreatePersonalApiKey(1, "flags", {"feature_flag:read", "query:read", "query:read"});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->key.scopes, (Scopes{"feature_flag:read", "query:read"}));

  auto caller = store->AuthenticatePersonalApiKey(created->plain_key);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->key_id, created->key.id);
  EXPECT_EQ(caller->user.id, 1);
  EXPECT_EQ(caller->scopes, (Scopes{"feature_flag:read", "query:read"}));

  // And after a restart, from the file.
  store.reset();
  auto reopened = Open();
  auto again = reopened->AuthenticatePersonalApiKey(created->plain_key);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->scopes, (Scopes{"feature_flag:read", "query:read"}));
  auto listed = reopened->ListPersonalApiKeys(1);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].scopes, Scopes{"*"});  // the bootstrap key
  EXPECT_EQ((*listed)[1].scopes, (Scopes{"feature_flag:read", "query:read"}));
}

TEST_F(PersonalApiKeyScopes, InvalidScopesAreRefusedAndNothingIsStored) {
  auto store = Open();
  ASSERT_TRUE(store->Bootstrap({}).ok());
  for (const Scopes& scopes :
       {Scopes{}, Scopes{"feature_flag:delete"}, Scopes{"nope:read"}, Scopes{"*", "x"}}) {
    auto created = store->CreatePersonalApiKey(1, "bad", scopes);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(created.status().reason(), "invalid_scope");
  }
  EXPECT_EQ(store->ListPersonalApiKeys(1)->size(), 1u);
}

TEST_F(PersonalApiKeyScopes, UpdateChangesScopesForTheNextRequest) {
  auto store = Open();
  ASSERT_TRUE(store->Bootstrap({}).ok());
  auto created = store->CreatePersonalApiKey(1, "ci", {"*"});
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(store->AuthenticatePersonalApiKey(created->plain_key)->scopes, Scopes{"*"});

  PersonalApiKeyUpdate narrow;
  narrow.scopes = Scopes{"person:read"};
  auto updated = store->UpdatePersonalApiKey(1, created->key.id, narrow);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->scopes, Scopes{"person:read"});
  EXPECT_EQ(updated->label, "ci");  // not asked for, kept
  EXPECT_EQ(store->AuthenticatePersonalApiKey(created->plain_key)->scopes, Scopes{"person:read"});

  PersonalApiKeyUpdate relabel;
  relabel.label = "deploys";
  updated = store->UpdatePersonalApiKey(1, created->key.id, relabel);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->label, "deploys");
  EXPECT_EQ(updated->scopes, Scopes{"person:read"});

  PersonalApiKeyUpdate bad;
  bad.scopes = Scopes{"person:delete"};
  EXPECT_EQ(store->UpdatePersonalApiKey(1, created->key.id, bad).status().reason(),
            "invalid_scope");
  PersonalApiKeyUpdate empty_label;
  empty_label.label = "";
  EXPECT_EQ(store->UpdatePersonalApiKey(1, created->key.id, empty_label).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store->UpdatePersonalApiKey(2, created->key.id, narrow).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store->UpdatePersonalApiKey(1, "no-such-key", narrow).status().code(),
            StatusCode::kNotFound);

  store.reset();
  auto reopened = Open();
  EXPECT_EQ(reopened->AuthenticatePersonalApiKey(created->plain_key)->scopes,
            Scopes{"person:read"});
}

// A data directory written before scopes existed (schema version 3): its keys keep working, with
// full access.
TEST_F(PersonalApiKeyScopes, KeysStoredBeforeScopesExistedGetFullAccess) {
  const std::string plain = "phx_storedbeforescopes000000000000000000001";
  std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at INTEGER NOT NULL);";
  for (const sqlite::Migration& migration : SchemaMigrations()) {
    if (migration.version > 3) break;
    sql += std::string(migration.sql);
    sql +=
        "INSERT INTO schema_migrations VALUES (" + std::to_string(migration.version) + ", 'v', 0);";
  }
  sql +=
      "INSERT INTO organizations VALUES ('org-1', 'Org', 0);"
      "INSERT INTO users (uuid, organization_id, email, created_at) "
      "VALUES ('user-1', 'org-1', 'old@example.com', 0);"
      "INSERT INTO personal_api_keys (id, user_id, label, secure_value, mask_value, "
      "created_at) VALUES ('key-1', 1, 'old key', '" +
      Sha256Hex(plain) + "', 'phx_...0001', 0);";
  ExecSql(sql);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto caller = store->AuthenticatePersonalApiKey(plain);
  ASSERT_TRUE(caller.ok()) << caller.status().ToString();
  EXPECT_EQ(caller->key_id, "key-1");
  EXPECT_EQ(caller->scopes, Scopes{"*"});
  auto listed = store->ListPersonalApiKeys(1);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].scopes, Scopes{"*"});
  EXPECT_EQ((*listed)[0].label, "old key");
}

}  // namespace
}  // namespace hoglet::meta
