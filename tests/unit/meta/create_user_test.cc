// MetaStore::CreateUser on the SQLite store: validation, uniqueness, persistence, and that a new
// user's keys authenticate as them.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/clock.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr int64_t kStart = 1'700'000'000'000'000;

std::unique_ptr<MetaStore> Open(const std::string& path, const Clock& clock) {
  auto store = OpenSqliteMetaStore(path, clock);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

TEST(SqliteMetaStoreCreateUser, CreatesAUserWhoseKeysAuthenticateAsThem) {
  hoglet::testing::TempDir dir;
  ManualClock clock(kStart);
  auto store = Open(dir.Join("meta.sqlite"), clock);
  ASSERT_TRUE(store->Bootstrap(BootstrapRequest{}).ok());
  auto org = store->CreateOrganization("Second");
  ASSERT_TRUE(org.ok());

  auto user = store->CreateUser(org->id, "ada@example.com", "Ada");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_GT(user->id, 1);
  EXPECT_EQ(user->organization_id, org->id);
  EXPECT_EQ(user->email, "ada@example.com");
  EXPECT_EQ(user->first_name, "Ada");
  EXPECT_EQ(user->created_at_us, kStart);
  EXPECT_EQ(user->uuid.size(), 36u);

  auto key = store->CreatePersonalApiKey(user->id, "laptop", {"*"});
  ASSERT_TRUE(key.ok());
  auto who = store->AuthenticatePersonalApiKey(key->plain_key);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user.id, user->id);
  EXPECT_EQ(who->user.organization_id, org->id);

  // Still there after a reopen.
  store.reset();
  auto reopened = Open(dir.Join("meta.sqlite"), clock);
  auto again = reopened->UserById(user->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->email, "ada@example.com");
  EXPECT_EQ(again->first_name, "Ada");
  EXPECT_EQ(again->uuid, user->uuid);
}

TEST(SqliteMetaStoreCreateUser, RejectsBadEmailUnknownOrganizationAndDuplicates) {
  hoglet::testing::TempDir dir;
  ManualClock clock(kStart);
  auto store = Open(dir.Join("meta.sqlite"), clock);
  auto org = store->CreateOrganization("Org");
  ASSERT_TRUE(org.ok());

  for (const std::string& email :
       {std::string(), std::string("no-at-sign"), std::string(250, 'a') + "@b.cd"}) {
    auto user = store->CreateUser(org->id, email, "");
    EXPECT_EQ(user.status().code(), StatusCode::kInvalidArgument) << email;
  }
  EXPECT_EQ(store->CreateUser("no-such-org", "x@example.com", "").status().code(),
            StatusCode::kNotFound);

  ASSERT_TRUE(store->CreateUser(org->id, "x@example.com", "").ok());
  auto duplicate = store->CreateUser(org->id, "x@example.com", "Other");
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().reason(), "email_taken");
}

}  // namespace
}  // namespace hoglet::meta
