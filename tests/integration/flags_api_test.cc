// /flags, /decide, local evaluation and remote config over real HTTP against the real binary:
// flags are created through the feature flags API, persons and groups through capture, and the
// answers are read the way the SDKs read them.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <zlib.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

using std::string;
using std::string_view;
using Headers = std::vector<std::pair<string, string>>;

const string kToken = kTestProjectToken;
const string kAuth = string("Bearer ") + kTestPersonalApiKey;

string Gzip(const string& text) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

string Base64(const string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(n >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

// Percent-encodes what a form value must not carry raw.
string FormEncode(const string& text) {
  string out;
  for (char c : text) {
    if (c == '+' || c == '/' || c == '=') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += {'%', kHex[uint8_t(c) >> 4], kHex[uint8_t(c) & 15]};
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// A parsed response body; `root` lives as long as this object.
struct Json {
  explicit Json(const string& body) : text(body) {
    ok = parser.parse(text).get(root) == simdjson::SUCCESS;
  }
  string text;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool ok = false;
};

bool Has(simdjson::dom::element object, string_view key) {
  return object.at_key(key).error() == simdjson::SUCCESS;
}

class FlagsApiTest : public ::testing::Test {
 protected:
  // POST /api/projects/@current/feature_flags/; returns the new flag's id.
  int64_t CreateFlag(const string& key, const string& filters, const string& extra = "") {
    string body =
        R"({"key":")" + key + R"(","name":"test flag","filters":)" + filters + extra + "}";
    auto response =
        server_.Post("/api/projects/@current/feature_flags/", body, {{"Authorization", kAuth}});
    EXPECT_EQ(response.status, 201) << key << ": " << response.body;
    Json json(response.body);
    int64_t id = 0;
    if (json.ok && json.root["id"].get(id) != simdjson::SUCCESS) id = 0;
    return id;
  }

  HttpResponse Patch(const string& target, const string& body) {
    return HttpRequest(server_.port(), "PATCH", target, body,
                       {{"Authorization", kAuth}, {"Content-Type", "application/json"}});
  }

  HttpResponse Flags(const string& target, const string& body, Headers headers = {}) {
    return server_.Post(target, body, std::move(headers));
  }

  string Body(const string& distinct_id, const string& extra = "") {
    return R"({"token":")" + kToken + R"(","distinct_id":")" + distinct_id + "\"" + extra + "}";
  }

  // Polls until `check` holds for a /flags?v=2 answer or 10 s pass; returns the last body.
  string WaitForFlags(const string& body,
                      const std::function<bool(simdjson::dom::element)>& check) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    string last;
    while (std::chrono::steady_clock::now() < deadline) {
      auto response = Flags("/flags/?v=2", body);
      last = response.body;
      Json json(last);
      if (response.status == 200 && json.ok && check(json.root)) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return last;
  }

  void Capture(const string& event_json) {
    auto response = server_.Post("/capture/", event_json);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  // Three flags: `beta` on for everyone with a payload, `mv` always variant "test", `nobody`
  // rolled out to 0 %.
  void CreateStandardFlags() {
    CreateFlag("beta", R"({"groups":[{"properties":[],"rollout_percentage":100}],)"
                       R"("payloads":{"true":"{\"color\":\"blue\"}"}})");
    CreateFlag("mv", R"({"groups":[{"properties":[],"rollout_percentage":100}],)"
                     R"("multivariate":{"variants":[{"key":"test","rollout_percentage":100}]}})");
    CreateFlag("nobody", R"({"groups":[{"properties":[],"rollout_percentage":0}]})");
  }

  TempDir dir_;
  TestServer server_{dir_.path()};
};

TEST_F(FlagsApiTest, EveryEndpointVersionHasItsShape) {
  CreateStandardFlags();
  string body = Body("user-1");

  for (const char* target : {"/flags/?v=2", "/flags?v=2", "/flags", "/decide/?v=4"}) {
    auto response = Flags(target, body);
    ASSERT_EQ(response.status, 200) << target << ": " << response.body;
    EXPECT_EQ(response.Header("Content-Type"), "application/json") << target;
    Json json(response.body);
    ASSERT_TRUE(json.ok) << response.body;
    auto flags = json.root["flags"];
    EXPECT_TRUE(bool(flags["beta"]["enabled"])) << target;
    EXPECT_EQ(string_view(flags["beta"]["metadata"]["payload"]), R"({"color":"blue"})") << target;
    EXPECT_EQ(string_view(flags["beta"]["reason"]["code"]), "condition_match");
    EXPECT_EQ(string_view(flags["mv"]["variant"]), "test") << target;
    EXPECT_FALSE(bool(flags["nobody"]["enabled"])) << target;
    EXPECT_EQ(string_view(flags["nobody"]["reason"]["code"]), "out_of_rollout_bound");
    EXPECT_FALSE(bool(json.root["errorsWhileComputingFlags"]));
    EXPECT_EQ(string_view(json.root["requestId"]).size(), 36u);
    EXPECT_GT(int64_t(json.root["evaluatedAt"]), 1'700'000'000'000);
  }

  for (const char* target : {"/flags/?v=1", "/flags?config=true", "/decide/?v=3"}) {
    auto response = Flags(target, body);
    ASSERT_EQ(response.status, 200) << target << ": " << response.body;
    Json json(response.body);
    auto flags = json.root["featureFlags"];
    EXPECT_TRUE(bool(flags["beta"])) << target;
    EXPECT_EQ(string_view(flags["mv"]), "test") << target;
    EXPECT_FALSE(bool(flags["nobody"])) << target;  // legacy lists false flags too
    EXPECT_EQ(string_view(json.root["featureFlagPayloads"]["beta"]), R"({"color":"blue"})");
    EXPECT_FALSE(Has(json.root["featureFlagPayloads"], "nobody"));
    EXPECT_FALSE(Has(json.root, "flags")) << target;
  }

  for (const char* target : {"/decide/", "/decide", "/decide/?v=1"}) {
    auto response = Flags(target, body);
    ASSERT_EQ(response.status, 200) << target << ": " << response.body;
    Json json(response.body);
    std::vector<string> keys;
    for (simdjson::dom::element key : simdjson::dom::array(json.root["featureFlags"])) {
      keys.emplace_back(string_view(key));
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<string>{"beta", "mv"})) << target;
  }

  auto v2 = Flags("/decide/?v=2", body);
  ASSERT_EQ(v2.status, 200) << v2.body;
  Json decide_v2(v2.body);
  simdjson::dom::object map = decide_v2.root["featureFlags"];
  EXPECT_EQ(map.size(), 2u) << v2.body;  // enabled flags only
  EXPECT_TRUE(bool(map["beta"]));
  EXPECT_EQ(string_view(map["mv"]), "test");
}

TEST_F(FlagsApiTest, ConfigFieldsFollowTheDefaults) {
  CreateStandardFlags();
  string body = Body("user-1");
  auto has_config = [&](const string& target) {
    auto response = Flags(target, body);
    EXPECT_EQ(response.status, 200) << target << ": " << response.body;
    Json json(response.body);
    return Has(json.root, "supportedCompression");
  };
  EXPECT_TRUE(has_config("/flags"));  // neither v nor config: v=2 with config
  EXPECT_FALSE(has_config("/flags/?v=2"));
  EXPECT_TRUE(has_config("/flags/?v=2&config=true"));
  EXPECT_TRUE(has_config("/flags/?config"));
  EXPECT_FALSE(has_config("/flags/?v=2&config=false"));
  EXPECT_TRUE(has_config("/decide/?v=3"));  // decide has config unless told otherwise
  EXPECT_FALSE(has_config("/decide/?v=3&config=0"));

  Json full(Flags("/flags", body).body);
  EXPECT_EQ(string_view(full.root["token"]), kToken);
  EXPECT_TRUE(bool(full.root["hasFeatureFlags"]));
  EXPECT_FALSE(bool(full.root["sessionRecording"]));
  EXPECT_EQ(string_view(full.root["supportedCompression"].at(0)), "gzip");
}

TEST_F(FlagsApiTest, GetHeadAndOptions) {
  CreateStandardFlags();
  auto get = HttpRequest(server_.port(), "GET", "/flags/");
  ASSERT_EQ(get.status, 200) << get.body;
  Json legacy(get.body);
  EXPECT_EQ(simdjson::dom::object(legacy.root["featureFlags"]).size(), 0u) << get.body;
  EXPECT_EQ(simdjson::dom::array(legacy.root["supportedCompression"]).size(), 2u);
  EXPECT_FALSE(Has(legacy.root, "sessionRecording"));

  auto get_v2 = HttpRequest(server_.port(), "GET", "/decide/?v=2");
  ASSERT_EQ(get_v2.status, 200);
  Json detailed(get_v2.body);
  EXPECT_EQ(simdjson::dom::object(detailed.root["flags"]).size(), 0u) << get_v2.body;

  auto head = HttpRequest(server_.port(), "HEAD", "/flags/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());

  auto options = HttpRequest(server_.port(), "OPTIONS", "/flags/?v=2", {},
                             {{"Origin", "https://shop.example"},
                              {"Access-Control-Request-Method", "POST"},
                              {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(options.status, 200);
  EXPECT_EQ(options.Header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(options.Header("Access-Control-Allow-Credentials"), "true");

  auto put = HttpRequest(server_.port(), "PUT", "/flags/", Body("u"));
  EXPECT_EQ(put.status, 405);
}

TEST_F(FlagsApiTest, EveryBodyEncodingIsUnderstood) {
  CreateStandardFlags();
  string body = Body("user-enc");
  auto beta_on = [](const HttpResponse& response) {
    Json json(response.body);
    return response.status == 200 && json.ok && bool(json.root["flags"]["beta"]["enabled"]);
  };
  // posthog-js: gzip sent as text/plain with no hint at all.
  EXPECT_TRUE(beta_on(Flags("/flags/?v=2", Gzip(body), {{"Content-Type", "text/plain"}})));
  // posthog-go: the hint in the query and the header.
  EXPECT_TRUE(
      beta_on(Flags("/flags/?v=2&compression=gzip", Gzip(body), {{"Content-Encoding", "gzip"}})));
  // Old posthog-js: base64 in a form.
  EXPECT_TRUE(beta_on(Flags("/flags/?v=2&compression=base64", "data=" + FormEncode(Base64(body)),
                            {{"Content-Type", "application/x-www-form-urlencoded"}})));
  // Base64 of JSON posted as JSON.
  EXPECT_TRUE(beta_on(Flags("/flags/?v=2", Base64(body))));
  // JSON5 numbers from posthog-js.
  EXPECT_TRUE(beta_on(Flags("/flags/?v=2", Body("user-enc", R"(,"person_properties":{"x":NaN})"))));
  // A distinct_id that is a number.
  EXPECT_TRUE(beta_on(Flags("/flags/?v=2", R"({"token":")" + kToken + R"(","distinct_id":42})")));
}

TEST_F(FlagsApiTest, TokenAndDistinctIdErrors) {
  CreateStandardFlags();
  auto missing = Flags("/flags/?v=2", R"({"distinct_id":"u"})");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.body,
            "No API token provided. Please include a valid API token in your request.");
  EXPECT_EQ(missing.Header("Content-Type").rfind("text/plain", 0), 0u);

  auto unknown = Flags("/flags/?v=2", R"({"token":"phc_nosuchproject","distinct_id":"u"})");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(unknown.body.find("invalid or has expired"), string::npos) << unknown.body;

  auto no_id = Flags("/flags/?v=2", R"({"token":")" + kToken + R"("})");
  EXPECT_EQ(no_id.status, 400);
  EXPECT_NE(no_id.body.find("distinct_id field is missing"), string::npos) << no_id.body;

  auto bad_json = Flags("/flags/?v=2", "{nope");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_NE(bad_json.body.find("Failed to decode request"), string::npos) << bad_json.body;

  // The token is only read from the body.
  auto query_token = Flags("/flags/?v=2&token=" + kToken, R"({"distinct_id":"u"})");
  EXPECT_EQ(query_token.status, 401);
}

TEST_F(FlagsApiTest, DisableFlagsAndFlagKeys) {
  CreateStandardFlags();
  // disable_flags needs no distinct_id and answers config only.
  auto disabled = Flags("/flags", R"({"token":")" + kToken + R"(","disable_flags":true})");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  Json off(disabled.body);
  EXPECT_EQ(simdjson::dom::object(off.root["flags"]).size(), 0u);
  EXPECT_TRUE(bool(off.root["hasFeatureFlags"]));

  auto some = Flags("/flags/?v=2", Body("u", R"(,"flag_keys":["mv","no-such-flag"])"));
  ASSERT_EQ(some.status, 200) << some.body;
  Json json(some.body);
  simdjson::dom::object flags = json.root["flags"];
  EXPECT_EQ(flags.size(), 1u) << some.body;
  EXPECT_EQ(string_view(flags["mv"]["variant"]), "test");

  auto node = Flags("/flags/?v=2", Body("u", R"(,"flag_keys_to_evaluate":["beta"])"));
  Json node_json(node.body);
  EXPECT_EQ(simdjson::dom::object(node_json.root["flags"]).size(), 1u) << node.body;
}

TEST_F(FlagsApiTest, StoredPersonPropertiesAreUsed) {
  CreateFlag("pro-only",
             R"({"groups":[{"properties":[{"key":"plan","value":["pro"],"operator":"exact",)"
             R"("type":"person"}],"rollout_percentage":100}]})");
  // Before the person exists, only what the request sends counts.
  Json before(Flags("/flags/?v=2", Body("user-7")).body);
  EXPECT_FALSE(bool(before.root["flags"]["pro-only"]["enabled"])) << before.text;

  Capture(R"({"api_key":")" + kToken +
          R"(","event":"$identify","distinct_id":"user-7","properties":{"$set":{"plan":"pro"}}})");
  string body = WaitForFlags(Body("user-7"), [](simdjson::dom::element root) {
    return bool(root["flags"]["pro-only"]["enabled"]);
  });
  Json after(body);
  ASSERT_TRUE(bool(after.root["flags"]["pro-only"]["enabled"])) << body;
  EXPECT_EQ(string_view(after.root["flags"]["pro-only"]["reason"]["code"]), "condition_match");

  // The request's own properties win over the stored ones.
  Json overridden(
      Flags("/flags/?v=2", Body("user-7", R"(,"person_properties":{"plan":"free"})")).body);
  EXPECT_FALSE(bool(overridden.root["flags"]["pro-only"]["enabled"])) << overridden.text;
  // Another person does not match.
  Json other(Flags("/flags/?v=2", Body("user-8")).body);
  EXPECT_FALSE(bool(other.root["flags"]["pro-only"]["enabled"])) << other.text;
}

TEST_F(FlagsApiTest, GroupFlagsUseStoredGroupsAndLateGroupTypes) {
  CreateFlag("big-companies",
             R"({"aggregation_group_type_index":0,"groups":[{"properties":[{"key":"size",)"
             R"("value":"10","operator":"gt","type":"group","group_type_index":0}],)"
             R"("rollout_percentage":100}]})");
  // Build the snapshot before the group type exists.
  Json no_type(Flags("/flags/?v=2", Body("u", R"(,"groups":{"company":"acme"})")).body);
  EXPECT_FALSE(bool(no_type.root["flags"]["big-companies"]["enabled"])) << no_type.text;

  for (auto [key, size] : {std::pair{"acme", 50}, std::pair{"tiny", 2}}) {
    Capture(R"({"api_key":")" + kToken +
            R"(","event":"$groupidentify","distinct_id":"admin","properties":{)"
            R"("$group_type":"company","$group_key":")" +
            key + R"(","$group_set":{"size":)" + std::to_string(size) + "}}}");
  }
  string body = WaitForFlags(
      Body("u", R"(,"groups":{"company":"acme"})"),
      [](simdjson::dom::element root) { return bool(root["flags"]["big-companies"]["enabled"]); });
  Json acme(body);
  EXPECT_TRUE(bool(acme.root["flags"]["big-companies"]["enabled"])) << body;

  Json tiny(
      WaitForFlags(Body("u", R"(,"groups":{"company":"tiny"})"), [](simdjson::dom::element root) {
        return string_view(root["flags"]["big-companies"]["reason"]["code"]) ==
               "no_condition_match";
      }));
  EXPECT_FALSE(bool(tiny.root["flags"]["big-companies"]["enabled"])) << tiny.text;

  Json missing(Flags("/flags/?v=2", Body("u")).body);
  EXPECT_FALSE(bool(missing.root["flags"]["big-companies"]["enabled"]));
  EXPECT_EQ(string_view(missing.root["flags"]["big-companies"]["reason"]["code"]), "no_group_type")
      << missing.text;
  // Request group properties override stored ones.
  Json overridden(Flags("/flags/?v=2", Body("u", R"(,"groups":{"company":"tiny"},)"
                                                 R"("group_properties":{"company":{"size":99}})"))
                      .body);
  EXPECT_TRUE(bool(overridden.root["flags"]["big-companies"]["enabled"])) << overridden.text;
}

TEST_F(FlagsApiTest, LocalEvaluationWithETag) {
  CreateStandardFlags();
  Headers auth = {{"Authorization", kAuth}};
  for (const string& target :
       {"/flags/definitions?token=" + kToken + "&send_cohorts",
        "/flags/definitions/?token=" + kToken,
        "/api/feature_flag/local_evaluation/?token=" + kToken + "&send_cohorts",
        "/api/feature_flag/local_evaluation?token=" + kToken + "&send_cohorts=true"}) {
    auto response = HttpRequest(server_.port(), "GET", target, {}, auth);
    ASSERT_EQ(response.status, 200) << target << ": " << response.body;
    Json json(response.body);
    ASSERT_TRUE(json.ok) << response.body;
    std::vector<string> keys;
    for (simdjson::dom::element flag : simdjson::dom::array(json.root["flags"])) {
      keys.emplace_back(string_view(flag["key"]));
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<string>{"beta", "mv", "nobody"})) << target;
    EXPECT_TRUE(Has(json.root, "group_type_mapping"));
    EXPECT_TRUE(Has(json.root, "cohorts"));
    EXPECT_FALSE(response.Header("ETag").empty());
  }

  string target = "/flags/definitions?token=" + kToken;
  auto first = HttpRequest(server_.port(), "GET", target, {}, auth);
  string etag = first.Header("ETag");
  ASSERT_EQ(etag.front(), '"');
  Headers conditional = auth;
  conditional.emplace_back("If-None-Match", etag);
  auto unchanged = HttpRequest(server_.port(), "GET", target, {}, conditional);
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_EQ(unchanged.Header("ETag"), etag);
  EXPECT_TRUE(unchanged.body.empty());

  // A change to a flag changes the body and its ETag.
  Json list(server_.Get("/api/projects/@current/feature_flags/?search=nobody").body);
  int64_t id = int64_t(list.root["results"].at(0)["id"]);
  auto patched = Patch("/api/projects/@current/feature_flags/" + std::to_string(id) + "/",
                       R"({"active":false})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto changed = HttpRequest(server_.port(), "GET", target, {}, conditional);
  EXPECT_EQ(changed.status, 200);
  EXPECT_NE(changed.Header("ETag"), etag);
  EXPECT_NE(changed.body, first.body);

  // The project's secret key works as well.
  Json project(server_.Get("/api/projects/@current/").body);
  string secret(string_view(project.root["secret_api_token"]));
  ASSERT_EQ(secret.rfind("phs_", 0), 0u);
  auto with_secret =
      HttpRequest(server_.port(), "GET", target, {}, {{"Authorization", "Bearer " + secret}});
  EXPECT_EQ(with_secret.status, 200) << with_secret.body;
}

TEST_F(FlagsApiTest, LocalEvaluationAuthFailures) {
  string target = "/flags/definitions?token=" + kToken;
  auto none = HttpRequest(server_.port(), "GET", target);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, R"({"type":"authentication_error","code":"not_authenticated",)"
                       R"("detail":"Authentication credentials were not provided.","attr":null})");

  auto bad_key = HttpRequest(server_.port(), "GET", target, {},
                             {{"Authorization", "Bearer phx_not_a_real_key"}});
  EXPECT_EQ(bad_key.status, 401);
  Json bad(bad_key.body);
  EXPECT_EQ(string_view(bad.root["code"]), "authentication_failed") << bad_key.body;

  auto bad_secret = HttpRequest(server_.port(), "GET", target, {},
                                {{"Authorization", "Bearer phs_not_the_projects"}});
  EXPECT_EQ(bad_secret.status, 401);
  Json secret(bad_secret.body);
  EXPECT_EQ(string_view(secret.root["detail"]), "Secret API token is invalid.");

  auto unknown = HttpRequest(server_.port(), "GET", "/flags/definitions?token=phc_nope", {},
                             {{"Authorization", kAuth}});
  EXPECT_EQ(unknown.status, 401);
  auto no_token =
      HttpRequest(server_.port(), "GET", "/flags/definitions", {}, {{"Authorization", kAuth}});
  EXPECT_EQ(no_token.status, 400);
}

TEST_F(FlagsApiTest, RemoteConfigSaysWhetherFlagsExist) {
  auto read = [&](const string& target) { return HttpRequest(server_.port(), "GET", target); };
  Json before(read("/array/" + kToken + "/config").body);
  EXPECT_FALSE(bool(before.root["hasFeatureFlags"])) << before.text;
  EXPECT_NE(read("/array/" + kToken + "/config.js").body.find("\"hasFeatureFlags\":false"),
            string::npos);

  int64_t id = CreateFlag("beta", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  Json after(read("/array/" + kToken + "/config").body);
  EXPECT_TRUE(bool(after.root["hasFeatureFlags"])) << after.text;
  EXPECT_NE(read("/array/" + kToken + "/config.js").body.find("\"hasFeatureFlags\":true"),
            string::npos);

  auto patched = Patch("/api/projects/@current/feature_flags/" + std::to_string(id) + "/",
                       R"({"active":false})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  Json inactive(read("/array/" + kToken + "/config").body);
  EXPECT_FALSE(bool(inactive.root["hasFeatureFlags"])) << inactive.text;
}

// ensure_experience_continuity: a user keeps the bucket of their anonymous id across identify —
// from the first /flags request that names the anonymous id, through the merge, and after.
TEST_F(FlagsApiTest, ExperienceContinuityKeepsTheAnonymousBucket) {
  CreateFlag("sticky", R"({"groups":[{"properties":[],"rollout_percentage":50}]})",
             R"(,"ensure_experience_continuity":true)");
  auto enabled = [&](const string& body) {
    Json json(Flags("/flags/?v=2", body).body);
    EXPECT_TRUE(json.ok) << json.text;
    return bool(json.root["flags"]["sticky"]["enabled"]);
  };
  // An anonymous id in the bucket and a user id outside it (the hash decides; search for them).
  string anon, user;
  for (int i = 0; i < 200 && (anon.empty() || user.empty()); ++i) {
    string id = "id-" + std::to_string(i);
    bool on = enabled(Body(id));
    if (on && anon.empty()) anon = id;
    if (!on && user.empty()) user = id;
  }
  ASSERT_FALSE(anon.empty());
  ASSERT_FALSE(user.empty());

  // The anonymous visitor exists as a person before identifying.
  Capture(R"({"api_key":")" + kToken + R"(","event":"$pageview","distinct_id":")" + anon + R"("})");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline &&
         server_.Get("/api/projects/@current/persons/?distinct_id=" + anon).body.find(anon) ==
             string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // posthog-js right after identify(): the new id, with the anonymous one alongside.
  EXPECT_TRUE(enabled(Body(user, R"(,"$anon_distinct_id":")" + anon + "\"")));
  // Later requests without the anonymous id keep the bucket once the merge is ingested.
  Capture(R"({"api_key":")" + kToken + R"(","event":"$identify","distinct_id":")" + user +
          R"(","properties":{"$anon_distinct_id":")" + anon + R"("}})");
  string body = WaitForFlags(Body(user), [](simdjson::dom::element root) {
    return bool(root["flags"]["sticky"]["enabled"]);
  });
  Json merged(body);
  EXPECT_TRUE(bool(merged.root["flags"]["sticky"]["enabled"])) << body;
}

// A static cohort is its listed persons: members match `in`, others do not.
TEST_F(FlagsApiTest, StaticCohortMembersMatch) {
  Capture(R"({"api_key":")" + kToken + R"(","event":"$pageview","distinct_id":"member"})");
  string person_id;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline && person_id.empty()) {
    Json persons(server_.Get("/api/projects/@current/persons/?distinct_id=member").body);
    simdjson::dom::array results;
    if (persons.ok && persons.root["results"].get(results) == simdjson::SUCCESS &&
        results.size() > 0) {
      person_id = string(string_view(results.at(0)["uuid"]));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_FALSE(person_id.empty());

  auto created =
      server_.Post("/api/projects/@current/cohorts/", R"({"name":"beta testers","is_static":true})",
                   {{"Authorization", kAuth}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json cohort(created.body);
  int64_t cohort_id = int64_t(cohort.root["id"]);
  auto added = Patch("/api/projects/@current/cohorts/" + std::to_string(cohort_id) +
                         "/add_persons_to_static_cohort/",
                     R"({"person_ids":[")" + person_id + R"("]})");
  ASSERT_EQ(added.status, 200) << added.body;

  CreateFlag("testers", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":)" +
                            std::to_string(cohort_id) + R"(}],"rollout_percentage":100}]})");
  Json member(Flags("/flags/?v=2", Body("member")).body);
  EXPECT_TRUE(bool(member.root["flags"]["testers"]["enabled"])) << member.text;
  Json stranger(Flags("/flags/?v=2", Body("stranger")).body);
  EXPECT_FALSE(bool(stranger.root["flags"]["testers"]["enabled"])) << stranger.text;
}

}  // namespace
}  // namespace hoglet::testing
