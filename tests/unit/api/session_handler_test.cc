// The web app's accounts through the real routes: the first account, login, sessions standing in
// for a personal API key, CSRF on cookie writes, foreign origins, failed-login limits, logout and
// expiry; and the web app's pages and assets beside the API's 404s.
#include "api/session_handler.h"

#include <gtest/gtest.h>

#include <string>

#include "api/login_rate_limiter.h"
#include "api/session_cookies.h"
#include "api/web_assets.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;

constexpr char kSignup[] =
    R"({"email":"owner@example.com","password":"correct horse","first_name":"Ada",)"
    R"("project_name":"Web shop"})";
constexpr char kQuery[] = R"({"query":{"kind":"HogQLQuery","query":"select 1"}})";

// The value a Set-Cookie header of `response` gives `name`; empty when none does.
string SetCookieValue(const http::Response& response, std::string_view name) {
  for (const auto& [header, value] : response.headers) {
    if (header != "Set-Cookie" || !value.starts_with(string(name) + "=")) continue;
    return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
  }
  return "";
}

string SetCookieHeader(const http::Response& response, std::string_view name) {
  for (const auto& [header, value] : response.headers) {
    if (header == "Set-Cookie" && value.starts_with(string(name) + "=")) return value;
  }
  return "";
}

string HeaderOf(const http::Response& response, std::string_view name) {
  for (const auto& [header, value] : response.headers) {
    if (header == name) return value;
  }
  return "";
}

class SessionHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    context_.login_limiter = &limiter_;
    context_.first_organization_id = project_.organization_id;
  }

  // Signs up the first account; the session and CSRF tokens its cookies carry.
  void SignUp() {
    http::Response response = Send("POST", "/api/signup/", {}, kSignup);
    ASSERT_EQ(response.status, 201) << response.body;
    session_ = SetCookieValue(response, kSessionCookie);
    csrf_ = SetCookieValue(response, kCsrfCookie);
    ASSERT_FALSE(session_.empty());
    ASSERT_FALSE(csrf_.empty());
  }

  http::Headers WithSession(bool with_csrf) const {
    http::Headers headers = {
        {"Cookie", "other=1; sessionid=" + session_ + "; posthog_csrftoken=" + csrf_}};
    if (with_csrf) headers.emplace_back("X-CSRFToken", csrf_);
    return headers;
  }

  LoginRateLimiter limiter_{clock_};
  string session_;
  string csrf_;
};

TEST_F(SessionHandler, TheFirstAccountCanBeCreatedOnce) {
  http::Response preflight = Send("GET", "/_preflight", {});
  ASSERT_EQ(preflight.status, 200);
  EXPECT_EQ(bool(ParseJson(preflight.body)->root["can_create_org"]), true);

  SignUp();
  preflight = Send("GET", "/_preflight", {});
  EXPECT_EQ(bool(ParseJson(preflight.body)->root["can_create_org"]), false);
  http::Response again = Send("POST", "/api/signup/", {},
                              R"({"email":"second@example.com","password":"another one"})");
  EXPECT_EQ(again.status, 403);
  EXPECT_NE(again.body.find("signup_closed"), string::npos);

  // The account joined the bootstrapped organization and named its project.
  auto project = meta_->ProjectById(project_.id);
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(project->name, "Web shop");
}

TEST_F(SessionHandler, SignupChecksItsInput) {
  EXPECT_EQ(Send("POST", "/api/signup/", {}, R"({"password":"correct horse"})").status, 400);
  EXPECT_EQ(Send("POST", "/api/signup/", {}, R"({"email":"a@b.c","password":"short"})").status,
            400);
  EXPECT_EQ(Send("POST", "/api/signup/", {}, R"({"email":"nope","password":"long enough"})").status,
            400);
  EXPECT_EQ(Send("POST", "/api/signup/", {}, "not json").status, 400);
  EXPECT_EQ(Send("POST", "/api/signup/", {{"Origin", "http://evil.example"}}, kSignup).status, 403);
  EXPECT_TRUE(bool(ParseJson(Send("GET", "/_preflight", {}).body)->root["can_create_org"]));
}

TEST_F(SessionHandler, CookiesAreHttpOnlyLaxAndSecureBehindTls) {
  http::Response response = Send("POST", "/api/signup/", {{"X-Forwarded-Proto", "https"}}, kSignup);
  ASSERT_EQ(response.status, 201) << response.body;
  string session = SetCookieHeader(response, kSessionCookie);
  EXPECT_NE(session.find("; HttpOnly"), string::npos) << session;
  EXPECT_NE(session.find("; SameSite=Lax"), string::npos) << session;
  EXPECT_NE(session.find("; Secure"), string::npos) << session;
  EXPECT_NE(session.find("; Path=/"), string::npos) << session;
  string csrf = SetCookieHeader(response, kCsrfCookie);
  EXPECT_EQ(csrf.find("HttpOnly"), string::npos) << csrf;  // the app reads it

  http::Response plain = Send("POST", "/api/login/", {},
                              R"({"email":"owner@example.com","password":"correct horse"})");
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(SetCookieHeader(plain, kSessionCookie).find("Secure"), string::npos);
}

TEST_F(SessionHandler, ASessionAuthorizesTheApiOfItsOrganization) {
  SignUp();
  http::Response me = Send("GET", "/api/users/@me/", WithSession(false));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(std::string_view(ParseJson(me.body)->root["email"]), "owner@example.com");
  EXPECT_EQ(
      Send("GET", "/api/projects/" + std::to_string(project_.id) + "/", WithSession(false)).status,
      200);

  // Another organization's project is not found.
  SecondOrganizationKey();
  auto other = meta_->CreateOrganization("Elsewhere");
  ASSERT_TRUE(other.ok());
  auto elsewhere = meta_->CreateProject(other->id, "Theirs");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(Send("GET", "/api/projects/" + std::to_string(elsewhere->id) + "/", WithSession(false))
                .status,
            404);

  // Personal API keys work as before, and a key wins over a cookie.
  EXPECT_EQ(Call("GET", "/api/users/@me/", key_).status, 200);
  http::Headers both = WithSession(false);
  both.emplace_back("Authorization", "Bearer phx_unknown_key_1234");
  EXPECT_EQ(Send("GET", "/api/users/@me/", both).status, 401);
}

TEST_F(SessionHandler, CookieWritesNeedTheCsrfToken) {
  SignUp();
  const string flags = "/api/projects/" + std::to_string(project_.id) + "/feature_flags/";
  const string flag = R"({"key":"beta","filters":{"groups":[{"rollout_percentage":100}]}})";
  http::Response refused = Send("POST", flags, WithSession(false), flag);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("csrf_failed"), string::npos) << refused.body;
  http::Headers wrong = WithSession(false);
  wrong.emplace_back("X-CSRFToken", csrf_ + "x");
  EXPECT_EQ(Send("POST", flags, wrong, flag).status, 403);
  EXPECT_EQ(Send("POST", flags, WithSession(true), flag).status, 201);
  // Reads need none.
  EXPECT_EQ(Send("GET", flags, WithSession(false)).status, 200);
}

TEST_F(SessionHandler, ASessionIsRefusedFromAnotherOrigin) {
  SignUp();
  http::Headers foreign = WithSession(true);
  foreign.emplace_back("Host", "127.0.0.1:8000");
  foreign.emplace_back("Origin", "http://localhost:3000");
  EXPECT_EQ(Send("GET", "/api/users/@me/", foreign).status, 403);
  http::Headers own = WithSession(true);
  own.emplace_back("Host", "127.0.0.1:8000");
  own.emplace_back("Origin", "http://127.0.0.1:8000");
  EXPECT_EQ(Send("GET", "/api/users/@me/", own).status, 200);
}

TEST_F(SessionHandler, WrongPasswordsAreRefusedThenLimited) {
  SignUp();
  const string wrong = R"({"email":"owner@example.com","password":"wrong password"})";
  for (int i = 0; i < LoginRateLimits{}.max_failures; ++i) {
    http::Response response = Send("POST", "/api/login/", {}, wrong);
    ASSERT_EQ(response.status, 401) << i << response.body;
    EXPECT_EQ(SetCookieValue(response, kSessionCookie), "");
  }
  http::Response limited = Send("POST", "/api/login/", {},
                                R"({"email":"owner@example.com","password":"correct horse"})");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(HeaderOf(limited, "Retry-After"), "300");
  EXPECT_EQ(SetCookieValue(limited, kSessionCookie), "");

  clock_.Advance(LoginRateLimits{}.window_us);
  EXPECT_EQ(
      Send("POST", "/api/login/", {}, R"({"email":"owner@example.com","password":"correct horse"})")
          .status,
      200);
}

TEST_F(SessionHandler, LogoutEndsTheSession) {
  SignUp();
  EXPECT_EQ(Send("POST", "/api/logout/", WithSession(false)).status, 403);  // CSRF-checked
  http::Response out = Send("POST", "/api/logout/", WithSession(true));
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(SetCookieHeader(out, kSessionCookie).find("Max-Age=0"), string::npos);
  EXPECT_EQ(Send("GET", "/api/users/@me/", WithSession(false)).status, 401);
  // Logging out without a session still clears the cookies.
  EXPECT_EQ(Send("POST", "/api/logout/", {}).status, 200);
}

TEST_F(SessionHandler, SessionsExpire) {
  SignUp();
  clock_.Advance(meta::kSessionLifetimeUs);
  EXPECT_EQ(Send("GET", "/api/users/@me/", WithSession(false)).status, 401);
}

TEST_F(SessionHandler, PagesAndAssetsAreServedBesideTheApi) {
  http::Response index = Send("GET", "/", {});
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_NE(HeaderOf(index, "Content-Security-Policy").find("script-src 'self'"), string::npos);
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  string etag = HeaderOf(index, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(Send("GET", "/", {{"If-None-Match", etag}}).status, 304);
  // A page of the app is index.html (client-side routing).
  http::Response page = Send("GET", "/insights/trends?x=1", {});
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, index.body);
  // Every embedded /static/ file is cached for good.
  for (const WebAsset& asset : WebAssets()) {
    if (!asset.path.starts_with("/static/")) continue;
    http::Response file = Send("GET", string(asset.path), {});
    EXPECT_EQ(file.status, 200) << asset.path;
    EXPECT_EQ(HeaderOf(file, "Cache-Control"), "public, max-age=31536000, immutable");
  }
  // The API's and the SDKs' paths keep their JSON 404s; other methods are not pages.
  for (const char* path : {"/api/nope", "/api/projects/1/nope", "/e/x/y", "/flags/x/y", "/_x",
                           "/static/app-missing.js"}) {
    http::Response response = Send("GET", path, {});
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/json") << path;
  }
  EXPECT_EQ(Send("POST", "/insights", {}).status, 404);
}

}  // namespace
}  // namespace hoglet::api::testing
