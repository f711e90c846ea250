// The MetaStore contract (meta/meta_store.h), part one: bootstrap, organizations, projects,
// users, personal API keys and passwords. Part two is meta_store_records_contract.h; the fixture
// and how an implementation instantiates both are in meta_store_contract_fixture.h.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "meta/meta_store.h"
#include "tests/contract/meta_store_contract_fixture.h"

namespace hoglet::meta::contract {

class MetaStoreContract : public MetaStoreContractFixture {};

// --- Bootstrap ---

TEST_P(MetaStoreContract, BootstrapOfAnEmptyStoreCreatesProjectOneAndAFullAccessKey) {
  EXPECT_EQ(project_.id, 1);
  EXPECT_EQ(project_.api_token.rfind("phc_", 0), 0u);
  EXPECT_EQ(project_.secret_api_token.rfind("phs_", 0), 0u);
  EXPECT_EQ(bootstrap_key_.rfind("phx_", 0), 0u);
  auto auth = store_->AuthenticatePersonalApiKey(bootstrap_key_);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->scopes, (std::vector<std::string>{"*"}));
  EXPECT_EQ(auth->user.organization_id, project_.organization_id);
  EXPECT_TRUE(store_->OrganizationById(project_.organization_id).ok());
}

TEST_P(MetaStoreContract, BootstrapOfAnEmptyStoreUsesTheGivenTokenKeyAndNames) {
  std::filesystem::create_directories(dir_.Join("fresh"));
  auto fresh = GetParam().open(dir_.Join("fresh"), clock_);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  BootstrapRequest request;
  request.organization_name = "Acme";
  request.project_name = "Shop";
  request.user_email = "ops@acme.io";
  request.project_token = "phc_" + std::string(43, 'T');
  request.personal_api_key = "phx_" + std::string(43, 'K');
  auto boot = (*fresh)->Bootstrap(request);
  ASSERT_TRUE(boot.ok()) << boot.status().ToString();
  EXPECT_TRUE(boot->created);
  EXPECT_EQ(boot->project.id, 1);
  EXPECT_EQ(boot->project.name, "Shop");
  EXPECT_EQ(boot->project.api_token, request.project_token);
  EXPECT_EQ(boot->personal_api_key, request.personal_api_key);
  EXPECT_EQ((*fresh)->OrganizationById(boot->project.organization_id)->name, "Acme");
  auto auth = (*fresh)->AuthenticatePersonalApiKey(request.personal_api_key);
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  EXPECT_EQ(auth->user.email, "ops@acme.io");
  EXPECT_EQ(store_->ProjectByToken(request.project_token).status().code(), StatusCode::kNotFound)
      << "stores over different directories share nothing";
}

TEST_P(MetaStoreContract, BootstrapOfAnExistingStoreCreatesNothing) {
  Reopen();
  auto again = store_->Bootstrap(BootstrapRequest{});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->project, project_);
  EXPECT_TRUE(again->personal_api_key.empty());
  EXPECT_EQ(store_->ProjectsOfOrganization(project_.organization_id)->size(), 1u);
}

TEST_P(MetaStoreContract, BootstrapWithTheTokenOfAProjectReturnsIt) {
  auto second = store_->CreateProject(project_.organization_id, "Second");
  ASSERT_TRUE(second.ok());
  BootstrapRequest request;
  request.project_token = second->api_token;
  auto again = store_->Bootstrap(request);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->project.id, second->id);
}

TEST_P(MetaStoreContract, BootstrapWithAnotherWellFormedTokenIsAlreadyExists) {
  BootstrapRequest request;
  request.project_token = "phc_" + std::string(43, 'Z');
  EXPECT_EQ(store_->Bootstrap(request).status().code(), StatusCode::kAlreadyExists);
}

TEST_P(MetaStoreContract, BootstrapWithAMalformedTokenOrKeyIsInvalidArgument) {
  BootstrapRequest token;
  token.project_token = "not-a-token";
  EXPECT_EQ(store_->Bootstrap(token).status().code(), StatusCode::kInvalidArgument);
  BootstrapRequest key;
  key.personal_api_key = "phx_not-a-key!";
  EXPECT_EQ(store_->Bootstrap(key).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(MetaStoreContract, BootstrapAddsANewGivenKeyOnce) {
  BootstrapRequest request;
  request.personal_api_key = "phx_" + std::string(43, 'k');
  auto added = store_->Bootstrap(request);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(added->personal_api_key_added);
  auto auth = store_->AuthenticatePersonalApiKey(request.personal_api_key);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->user.id, user_.id);
  auto again = store_->Bootstrap(request);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->personal_api_key_added);
  EXPECT_EQ(store_->ListPersonalApiKeys(user_.id)->size(), 2u);
}

TEST_P(MetaStoreContract, AKeyBootstrapCreatedAndThenRevokedStaysRevoked) {
  auto keys = store_->ListPersonalApiKeys(user_.id);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  ASSERT_TRUE(store_->DeletePersonalApiKey(user_.id, (*keys)[0].id).ok());
  Reopen();
  BootstrapRequest request;
  request.personal_api_key = bootstrap_key_;
  auto again = store_->Bootstrap(request);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->personal_api_key_revoked);
  EXPECT_FALSE(again->personal_api_key_added);
  EXPECT_EQ(store_->AuthenticatePersonalApiKey(bootstrap_key_).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_P(MetaStoreContract, BootstrapOfAStoreWithoutProjectsIsNotFound) {
  ASSERT_TRUE(store_->DeleteProject(project_.id).ok());
  EXPECT_EQ(store_->Bootstrap(BootstrapRequest{}).status().code(), StatusCode::kNotFound);
}

// --- Organizations and projects ---

TEST_P(MetaStoreContract, ANewProjectHasFreshTokensDefaultsAndIsFoundEveryWay) {
  auto created = store_->CreateProject(project_.organization_id, "Web");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, project_.id);
  EXPECT_NE(created->api_token, project_.api_token);
  EXPECT_EQ(created->timezone, "UTC");
  EXPECT_EQ(created->test_account_filters, "[]");
  EXPECT_EQ(created->created_at_us, kStartUs);
  EXPECT_EQ(*store_->ProjectByToken(created->api_token), *created);
  EXPECT_EQ(*store_->ProjectBySecretToken(created->secret_api_token), *created);
  EXPECT_EQ(*store_->ProjectById(created->id), *created);
  auto all = store_->ProjectsOfOrganization(project_.organization_id);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, project_.id);
  EXPECT_EQ((*all)[1].id, created->id);
}

TEST_P(MetaStoreContract, UnknownProjectsAndOrganizationsAreNotFound) {
  EXPECT_EQ(store_->ProjectByToken("phc_" + std::string(43, 'q')).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->ProjectBySecretToken("phs_" + std::string(43, 'q')).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->ProjectById(999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->OrganizationById("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateProject("nope", "x").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->ProjectsOfOrganization("nope")->empty());
}

TEST_P(MetaStoreContract, EmptyNamesAreInvalidArgument) {
  EXPECT_EQ(store_->CreateOrganization("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateProject(project_.organization_id, "").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(MetaStoreContract, OrganizationsSeeOnlyTheirOwnProjects) {
  Project theirs = OtherProject();
  auto ours = store_->ProjectsOfOrganization(project_.organization_id);
  ASSERT_TRUE(ours.ok());
  ASSERT_EQ(ours->size(), 1u);
  EXPECT_EQ((*ours)[0].id, project_.id);
  auto other = store_->ProjectsOfOrganization(theirs.organization_id);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].id, theirs.id);
}

TEST_P(MetaStoreContract, UpdateProjectStoresItsSettingsDurably) {
  Project changed = project_;
  changed.name = "Renamed";
  changed.timezone = "Europe/Paris";
  changed.week_start_day = 1;
  changed.anonymize_ips = true;
  changed.person_processing_opt_out = true;
  changed.test_account_filters = R"([{"key":"email","value":"@x.io","operator":"not_icontains"}])";
  auto stored = store_->UpdateProject(changed);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored, changed);
  EXPECT_EQ(*store_->ProjectByToken(project_.api_token), changed);
  Reopen();
  EXPECT_EQ(*store_->ProjectById(project_.id), changed);
}

TEST_P(MetaStoreContract, UpdateProjectRefusesFixedFieldsAndBadSettings) {
  Project unknown = project_;
  unknown.id = 999;
  EXPECT_EQ(store_->UpdateProject(unknown).status().code(), StatusCode::kNotFound);
  std::vector<std::function<void(Project&)>> bad = {
      [](Project& p) { p.api_token = "phc_" + std::string(43, 'b'); },
      [](Project& p) { p.organization_id = "other"; },
      [](Project& p) { p.created_at_us += 1; },
      [](Project& p) { p.name = ""; },
      [](Project& p) { p.timezone = ""; },
      [](Project& p) { p.week_start_day = 2; },
      [](Project& p) { p.test_account_filters = "{}"; },
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    Project changed = project_;
    bad[i](changed);
    EXPECT_EQ(store_->UpdateProject(changed).status().code(), StatusCode::kInvalidArgument)
        << "case " << i;
  }
  EXPECT_EQ(*store_->ProjectById(project_.id), project_);
}

TEST_P(MetaStoreContract, ADeletedProjectStopsResolvingAtOnceAndItsIdIsNeverReused) {
  auto doomed = store_->CreateProject(project_.organization_id, "Doomed");
  ASSERT_TRUE(doomed.ok());
  ASSERT_TRUE(store_->DeleteProject(doomed->id).ok());
  StatusCode seen = StatusCode::kOk;
  std::thread reader([&] { seen = store_->ProjectByToken(doomed->api_token).status().code(); });
  reader.join();
  EXPECT_EQ(seen, StatusCode::kNotFound);
  EXPECT_EQ(store_->ProjectById(doomed->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteProject(doomed->id).code(), StatusCode::kNotFound);
  Reopen();
  EXPECT_EQ(store_->ProjectByToken(doomed->api_token).status().code(), StatusCode::kNotFound);
  auto next = store_->CreateProject(project_.organization_id, "Next");
  ASSERT_TRUE(next.ok());
  EXPECT_GT(next->id, doomed->id);
}

// --- Users ---

TEST_P(MetaStoreContract, ACreatedUserIsFoundById) {
  auto created = store_->CreateUser(project_.organization_id, "ann@x.io", "Ann");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto found = store_->UserById(created->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->email, "ann@x.io");
  EXPECT_EQ(found->first_name, "Ann");
  EXPECT_EQ(found->organization_id, project_.organization_id);
  EXPECT_EQ(store_->UserById(created->id + 100).status().code(), StatusCode::kNotFound);
}

TEST_P(MetaStoreContract, CreateUserReportsEachDocumentedError) {
  ASSERT_TRUE(store_->CreateUser(project_.organization_id, "ann@x.io", "Ann").ok());
  EXPECT_EQ(store_->CreateUser(project_.organization_id, "ann@x.io", "Again").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateUser("nope", "bob@x.io", "Bob").status().code(), StatusCode::kNotFound);
  for (std::string email : {std::string(), std::string("no-at"), std::string(250, 'a') + "@x.io"}) {
    EXPECT_EQ(store_->CreateUser(project_.organization_id, email, "x").status().code(),
              StatusCode::kInvalidArgument)
        << email.size();
  }
}

// --- Personal API keys ---

TEST_P(MetaStoreContract, ANewKeyAuthenticatesAsItsUserWithItsScopes) {
  auto created = store_->CreatePersonalApiKey(user_.id, "ci", {"feature_flag:read"});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->plain_key.rfind("phx_", 0), 0u);
  EXPECT_EQ(created->key.mask_value.find(created->plain_key), std::string::npos);
  auto auth = store_->AuthenticatePersonalApiKey(created->plain_key);
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  EXPECT_EQ(auth->user.id, user_.id);
  EXPECT_EQ(auth->key_id, created->key.id);
  EXPECT_EQ(auth->scopes, (std::vector<std::string>{"feature_flag:read"}));
}

TEST_P(MetaStoreContract, AnUnknownKeyIsUnauthenticated) {
  EXPECT_EQ(store_->AuthenticatePersonalApiKey("phx_" + std::string(43, 'u')).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_P(MetaStoreContract, CreateKeyReportsEachDocumentedError) {
  EXPECT_EQ(store_->CreatePersonalApiKey(999, "x", {"*"}).status().code(), StatusCode::kNotFound);
  auto empty_label = store_->CreatePersonalApiKey(user_.id, "", {"*"});
  EXPECT_EQ(empty_label.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(empty_label.status().reason(), "invalid_label");
  auto long_label = store_->CreatePersonalApiKey(user_.id, std::string(256, 'l'), {"*"});
  EXPECT_EQ(long_label.status().reason(), "invalid_label");
  auto bad_scope = store_->CreatePersonalApiKey(user_.id, "x", {"nonsense:scope"});
  EXPECT_EQ(bad_scope.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_scope.status().reason(), "invalid_scope");
}

TEST_P(MetaStoreContract, KeysAreListedMaskedOldestFirstForTheirUserOnly) {
  clock_.Advance(kSecondUs);
  auto first = store_->CreatePersonalApiKey(user_.id, "first", {"*"});
  clock_.Advance(kSecondUs);
  auto second = store_->CreatePersonalApiKey(user_.id, "second", {"*"});
  ASSERT_TRUE(first.ok() && second.ok());
  auto keys = store_->ListPersonalApiKeys(user_.id);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 3u);  // with the bootstrap key
  EXPECT_EQ((*keys)[1].label, "first");
  EXPECT_EQ((*keys)[2].label, "second");
  for (const PersonalApiKey& key : *keys) {
    EXPECT_EQ(key.mask_value.find(second->plain_key), std::string::npos);
    EXPECT_EQ(key.user_id, user_.id);
  }
  auto other = store_->CreateUser(project_.organization_id, "other@x.io", "O");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(store_->ListPersonalApiKeys(other->id)->empty());
  EXPECT_TRUE(store_->ListPersonalApiKeys(999)->empty());
}

TEST_P(MetaStoreContract, NewScopesApplyToTheNextAuthentication) {
  auto created = store_->CreatePersonalApiKey(user_.id, "ci", {"*"});
  ASSERT_TRUE(created.ok());
  PersonalApiKeyUpdate update;
  update.scopes = std::vector<std::string>{"insight:read"};
  auto updated = store_->UpdatePersonalApiKey(user_.id, created->key.id, update);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->label, "ci");
  EXPECT_EQ(updated->scopes, (std::vector<std::string>{"insight:read"}));
  std::vector<std::string> scopes;
  std::thread reader(
      [&] { scopes = store_->AuthenticatePersonalApiKey(created->plain_key)->scopes; });
  reader.join();
  EXPECT_EQ(scopes, (std::vector<std::string>{"insight:read"}));
}

TEST_P(MetaStoreContract, UpdatingOrDeletingAKeyOfAnotherUserIsNotFound) {
  auto created = store_->CreatePersonalApiKey(user_.id, "mine", {"*"});
  ASSERT_TRUE(created.ok());
  auto other = store_->CreateUser(project_.organization_id, "other@x.io", "O");
  ASSERT_TRUE(other.ok());
  PersonalApiKeyUpdate update;
  update.label = "stolen";
  EXPECT_EQ(store_->UpdatePersonalApiKey(other->id, created->key.id, update).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->DeletePersonalApiKey(other->id, created->key.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeletePersonalApiKey(user_.id, "no-such-key").code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->AuthenticatePersonalApiKey(created->plain_key).ok());
}

TEST_P(MetaStoreContract, ARevokedKeyFailsAtOnceOnEveryThreadAndAfterAReopen) {
  auto created = store_->CreatePersonalApiKey(user_.id, "ci", {"*"});
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(store_->AuthenticatePersonalApiKey(created->plain_key).ok());
  ASSERT_TRUE(store_->DeletePersonalApiKey(user_.id, created->key.id).ok());
  StatusCode seen = StatusCode::kOk;
  std::thread reader(
      [&] { seen = store_->AuthenticatePersonalApiKey(created->plain_key).status().code(); });
  reader.join();
  EXPECT_EQ(seen, StatusCode::kUnauthenticated);
  Reopen();
  EXPECT_EQ(store_->AuthenticatePersonalApiKey(created->plain_key).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(store_->AuthenticatePersonalApiKey(bootstrap_key_).ok());
}

TEST_P(MetaStoreContract, LastUseIsRecordedAtMostOnceAMinute) {
  auto created = store_->CreatePersonalApiKey(user_.id, "ci", {"*"});
  ASSERT_TRUE(created.ok());
  auto last_used = [&]() -> std::optional<int64_t> {
    auto keys = store_->ListPersonalApiKeys(user_.id);
    EXPECT_TRUE(keys.ok());
    for (const PersonalApiKey& key : keys.ok() ? *keys : std::vector<PersonalApiKey>()) {
      if (key.id == created->key.id) return key.last_used_at_us;
    }
    ADD_FAILURE() << "the key is not listed";
    return std::nullopt;
  };
  EXPECT_EQ(last_used(), std::nullopt);
  clock_.Advance(kSecondUs);
  ASSERT_TRUE(store_->AuthenticatePersonalApiKey(created->plain_key).ok());
  EXPECT_EQ(last_used(), std::optional<int64_t>(kStartUs + kSecondUs));
  clock_.Advance(30 * kSecondUs);
  ASSERT_TRUE(store_->AuthenticatePersonalApiKey(created->plain_key).ok());
  EXPECT_EQ(last_used(), std::optional<int64_t>(kStartUs + kSecondUs));
  clock_.Advance(31 * kSecondUs);
  ASSERT_TRUE(store_->AuthenticatePersonalApiKey(created->plain_key).ok());
  EXPECT_EQ(last_used(), std::optional<int64_t>(kStartUs + 62 * kSecondUs));
}

// --- Passwords ---

TEST_P(MetaStoreContract, APasswordAuthenticatesItsUserUntilReplaced) {
  ASSERT_TRUE(store_->SetUserPassword(user_.id, "correct horse").ok());
  auto user = store_->AuthenticatePassword(user_.email, "correct horse");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->id, user_.id);
  ASSERT_TRUE(store_->SetUserPassword(user_.id, "battery staple").ok());
  EXPECT_EQ(store_->AuthenticatePassword(user_.email, "correct horse").status().code(),
            StatusCode::kUnauthenticated);
  Reopen();
  EXPECT_TRUE(store_->AuthenticatePassword(user_.email, "battery staple").ok());
}

TEST_P(MetaStoreContract, WrongPasswordUnknownEmailAndNoPasswordAreAllUnauthenticated) {
  auto other = store_->CreateUser(project_.organization_id, "nopass@x.io", "N");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->SetUserPassword(user_.id, "correct horse").ok());
  EXPECT_EQ(store_->AuthenticatePassword(user_.email, "wrong horse").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->AuthenticatePassword("nobody@x.io", "correct horse").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->AuthenticatePassword("nopass@x.io", "correct horse").status().code(),
            StatusCode::kUnauthenticated);
}

TEST_P(MetaStoreContract, SetUserPasswordReportsEachDocumentedError) {
  EXPECT_EQ(store_->SetUserPassword(999, "long enough").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetUserPassword(user_.id, "short").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetUserPassword(user_.id, std::string(257, 'p')).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace hoglet::meta::contract
