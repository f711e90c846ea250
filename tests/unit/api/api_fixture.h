// A metadata API under test without a network: a real SQLite metadata store in a temporary
// directory, bootstrapped (tests/support/meta_fixture.h), the real routes and a real worker
// pool. Requests go through Router::Dispatch and the test waits for the response.
//
// The capture and events routes are registered but have no log or store: tests of the metadata
// endpoints must not call them.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "api/api_context.h"
#include "api/routes.h"
#include "base/clock.h"
#include "base/thread_pool.h"
#include "http/message.h"
#include "http/router.h"
#include "tests/support/fake_person_store.h"
#include "tests/support/json_doc.h"
#include "tests/support/meta_fixture.h"

namespace hoglet::api::testing {

using ::hoglet::testing::kStartUs;

using ::hoglet::testing::FakePersonStore;
using ::hoglet::testing::JsonDoc;
using ::hoglet::testing::ParseJson;

class ApiFixture : public ::hoglet::testing::MetaFixture {
 protected:
  void SetUp() override {
    MetaFixture::SetUp();
    if (HasFatalFailure()) return;
    workers_ = std::make_unique<ThreadPool>(2, 64);
    context_.meta = meta_.get();
    context_.clock = &clock_;
    context_.workers = workers_.get();
    RegisterRoutes(context_, &router_);
  }

  void TearDown() override { workers_.reset(); }  // finish queued work before the store goes

  // Sends one request and waits (at most 10 s) for its response. `key` becomes
  // "Authorization: Bearer <key>" unless empty.
  http::Response Call(const std::string& method, const std::string& target, const std::string& key,
                      std::string body = {}) {
    http::Headers headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    return Send(method, target, std::move(headers), std::move(body));
  }

  // Sends one request with the given headers (cookies, CSRF token, origin) and waits for it.
  http::Response Send(const std::string& method, const std::string& target, http::Headers headers,
                      std::string body = {}) {
    http::Request request;
    request.method = method;
    request.target = target;
    size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) request.query = target.substr(question + 1);
    request.headers = std::move(headers);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    request.peer_ip = "127.0.0.1";
    auto promise = std::make_shared<std::promise<http::Response>>();
    std::future<http::Response> future = promise->get_future();
    router_.Dispatch(std::move(request), [promise](http::Response response) {
      promise->set_value(std::move(response));
    });
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ADD_FAILURE() << method << " " << target << " did not answer within 10 s";
      return http::Response{0, "", "", {}};
    }
    return future.get();
  }

  // A user in a new organization of its own, and a personal API key for them.
  std::string SecondOrganizationKey() {
    auto org = meta_->CreateOrganization("Other org");
    EXPECT_TRUE(org.ok()) << org.status().ToString();
    auto user = meta_->CreateUser(org->id, "other@example.com", "Other");
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    auto key = meta_->CreatePersonalApiKey(user->id, "other key", {"*"});
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return key->plain_key;
  }

  ApiContext context_;
  http::Router router_;
  std::unique_ptr<ThreadPool> workers_;
};

}  // namespace hoglet::api::testing
