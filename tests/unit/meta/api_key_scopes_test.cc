// PostHog's scope vocabulary: what is a valid scope, how a list is normalised, and what a list
// grants (write implies read, "*" grants everything).
#include "meta/api_key_scopes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hoglet::meta {
namespace {

using Scopes = std::vector<std::string>;

TEST(ApiKeyScopes, AcceptsFullAccessAndKnownObjectsWithReadOrWrite) {
  for (const char* scope :
       {"*", "feature_flag:read", "feature_flag:write", "query:read", "person:write", "cohort:read",
        "project:write", "user:read", "event_definition:read", "property_definition:write",
        "group:read", "ingestion_warning:read", "insight:read", "dashboard:write"}) {
    EXPECT_TRUE(ValidateScope(scope).ok()) << scope;
  }
}

TEST(ApiKeyScopes, RefusesUnknownObjectsActionsAndShapesNamingTheScope) {
  for (const char* scope :
       {"feature_flag:delete", "flags:read", "feature_flag", "feature_flag:", ":read",
        "feature_flag:read:write", "FEATURE_FLAG:READ", "**", " feature_flag:read",
        "feature_flag:read ", "", "internal_run:read", "personal_api_key:read"}) {
    Status status = ValidateScope(scope);
    ASSERT_FALSE(status.ok()) << "'" << scope << "'";
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << scope;
    EXPECT_EQ(status.reason(), "invalid_scope") << scope;
    EXPECT_NE(status.message().find("'" + std::string(scope) + "'"), std::string::npos)
        << status.message();
  }
  EXPECT_NE(ValidateScope("feature_flag:delete").message().find("'read' or 'write'"),
            std::string::npos);
  EXPECT_NE(ValidateScope("flags:read").message().find("'flags' is not a scope object"),
            std::string::npos);
}

TEST(ApiKeyScopes, RefusesOverlongScopesWithoutEchoingThemWhole) {
  std::string scope(10'000, 'x');
  Status status = ValidateScope(scope);
  ASSERT_FALSE(status.ok());
  EXPECT_LT(status.message().size(), 200u);
}

TEST(ApiKeyScopes, NormalizeDropsDuplicatesKeepsOrderAndBoundsTheList) {
  auto normalized = NormalizeScopes({"query:read", "feature_flag:write", "query:read"});
  ASSERT_TRUE(normalized.ok());
  EXPECT_EQ(*normalized, (Scopes{"query:read", "feature_flag:write"}));

  auto empty = NormalizeScopes({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().reason(), "invalid_scope");

  Scopes many(kMaxScopesPerKey + 1, "query:read");
  EXPECT_EQ(NormalizeScopes(many).status().reason(), "invalid_scope");
  many.pop_back();
  EXPECT_TRUE(NormalizeScopes(many).ok());

  auto bad = NormalizeScopes({"query:read", "query:drop"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'query:drop'"), std::string::npos);
}

TEST(ApiKeyScopes, WriteImpliesReadAndStarGrantsEverything) {
  const Scopes flag_read = {"feature_flag:read"};
  EXPECT_TRUE(ScopesAllow(flag_read, "feature_flag", ScopeAction::kRead));
  EXPECT_FALSE(ScopesAllow(flag_read, "feature_flag", ScopeAction::kWrite));
  EXPECT_FALSE(ScopesAllow(flag_read, "person", ScopeAction::kRead));

  const Scopes flag_write = {"feature_flag:write"};
  EXPECT_TRUE(ScopesAllow(flag_write, "feature_flag", ScopeAction::kRead));
  EXPECT_TRUE(ScopesAllow(flag_write, "feature_flag", ScopeAction::kWrite));

  const Scopes all = {"*"};
  for (const char* object : {"feature_flag", "person", "query", "project", "cohort", "user"}) {
    EXPECT_TRUE(ScopesAllow(all, object, ScopeAction::kRead)) << object;
    EXPECT_TRUE(ScopesAllow(all, object, ScopeAction::kWrite)) << object;
  }
  EXPECT_FALSE(ScopesAllow(Scopes{}, "query", ScopeAction::kRead));
}

TEST(ApiKeyScopes, AnObjectIsMatchedWholeNotByPrefix) {
  // "event_definition" must not be granted by a scope on "event", nor "group" by "group_x".
  EXPECT_FALSE(ScopesAllow(Scopes{"event_definition:write"}, "event", ScopeAction::kRead));
  EXPECT_FALSE(ScopesAllow(Scopes{"query_performance:read"}, "query", ScopeAction::kRead));
  EXPECT_FALSE(ScopesAllow(Scopes{"query:read"}, "query_performance", ScopeAction::kRead));
  EXPECT_EQ(ScopeName("feature_flag", ScopeAction::kWrite), "feature_flag:write");
}

TEST(ApiKeyScopes, StoredFormRoundTrips) {
  const Scopes scopes = {"feature_flag:read", "query:read", "person:write"};
  EXPECT_EQ(JoinScopes(scopes), "feature_flag:read query:read person:write");
  EXPECT_EQ(ParseStoredScopes(JoinScopes(scopes)), scopes);
  EXPECT_EQ(ParseStoredScopes("*"), Scopes{"*"});
  EXPECT_TRUE(ParseStoredScopes("").empty());
}

}  // namespace
}  // namespace hoglet::meta
