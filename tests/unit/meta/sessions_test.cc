// MetaStore's browser sessions on the SQLite store: created for a user, found by token until they
// expire or are deleted, revoked per user, kept only as a hash, and surviving a reopen.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "base/clock.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr int64_t kStart = 1'700'000'000'000'000;
constexpr int64_t kHourUs = 3600LL * 1'000'000;

class SqliteMetaStoreSessions : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    auto org = store_->CreateOrganization("Org");
    ASSERT_TRUE(org.ok()) << org.status().ToString();
    auto user = store_->CreateUser(org->id, "ada@example.com", "Ada");
    ASSERT_TRUE(user.ok()) << user.status().ToString();
    user_ = *user;
  }

  std::unique_ptr<MetaStore> Open() {
    auto store = OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  ::hoglet::testing::TempDir dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<MetaStore> store_;
  User user_;
};

TEST_F(SqliteMetaStoreSessions, ASessionIsFoundByItsTokenUntilItExpires) {
  auto session = store_->CreateSession(user_.id, kHourUs);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->token.size(), 43u);
  EXPECT_EQ(session->csrf_token.size(), 32u);
  EXPECT_EQ(session->expires_at_us, kStart + kHourUs);

  auto found = store_->SessionByToken(session->token);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->user_id, user_.id);
  EXPECT_EQ(found->csrf_token, session->csrf_token);

  clock_.Advance(kHourUs - 1);
  EXPECT_TRUE(store_->SessionByToken(session->token).ok());
  clock_.Advance(1);
  EXPECT_EQ(store_->SessionByToken(session->token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(SqliteMetaStoreSessions, UnknownTokensAndUsersAreRefused) {
  EXPECT_EQ(store_->SessionByToken("nope").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->SessionByToken("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->CreateSession(999, kHourUs).status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteMetaStoreSessions, EachLoginIsItsOwnSession) {
  auto first = store_->CreateSession(user_.id, kHourUs);
  auto second = store_->CreateSession(user_.id, kHourUs);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->token, second->token);
  EXPECT_NE(first->csrf_token, second->csrf_token);

  ASSERT_TRUE(store_->DeleteSession(first->token).ok());
  EXPECT_FALSE(store_->SessionByToken(first->token).ok());
  EXPECT_TRUE(store_->SessionByToken(second->token).ok());
  EXPECT_TRUE(store_->DeleteSession(first->token).ok());  // already gone: no error
}

TEST_F(SqliteMetaStoreSessions, RevokingAUserEndsAllTheirSessions) {
  auto other = store_->CreateUser(user_.organization_id, "bob@example.com", "Bob");
  ASSERT_TRUE(other.ok());
  auto a = store_->CreateSession(user_.id, kHourUs);
  auto b = store_->CreateSession(user_.id, kHourUs);
  auto c = store_->CreateSession(other->id, kHourUs);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(store_->DeleteUserSessions(user_.id).ok());
  EXPECT_FALSE(store_->SessionByToken(a->token).ok());
  EXPECT_FALSE(store_->SessionByToken(b->token).ok());
  EXPECT_TRUE(store_->SessionByToken(c->token).ok());
}

TEST_F(SqliteMetaStoreSessions, ANewPasswordEndsTheUsersSessions) {
  ASSERT_TRUE(store_->SetUserPassword(user_.id, "the first password").ok());
  auto session = store_->CreateSession(user_.id, kHourUs);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(store_->SetUserPassword(user_.id, "the second password").ok());
  EXPECT_FALSE(store_->SessionByToken(session->token).ok());
}

TEST_F(SqliteMetaStoreSessions, SessionsSurviveAReopenAndOnlyTheirHashIsStored) {
  auto session = store_->CreateSession(user_.id, kHourUs);
  ASSERT_TRUE(session.ok());
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_TRUE(store_->SessionByToken(session->token).ok());
  store_.reset();
  std::ifstream file(dir_.Join("meta.sqlite"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(session->token), std::string::npos);
}

TEST_F(SqliteMetaStoreSessions, SignupIsOpenUntilSomeUserHasAPassword) {
  auto open = store_->AnyUserHasPassword();
  ASSERT_TRUE(open.ok());
  EXPECT_FALSE(*open);
  ASSERT_TRUE(store_->SetUserPassword(user_.id, "a long password").ok());
  EXPECT_TRUE(*store_->AnyUserHasPassword());
}

}  // namespace
}  // namespace hoglet::meta
