// A JSON body parsed for assertions: `doc->root["flags"]["beta"]["enabled"]`.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>

namespace hoglet::testing {

// A parsed body; `root` lives as long as this object.
struct JsonDoc {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};

// Parses `body`, failing the test (and leaving `root` null-like) when it is not JSON.
inline std::unique_ptr<JsonDoc> ParseJson(const std::string& body) {
  auto doc = std::make_unique<JsonDoc>();
  auto error = doc->parser.parse(body).get(doc->root);
  EXPECT_EQ(error, simdjson::SUCCESS) << "not JSON: " << body;
  return doc;
}

}  // namespace hoglet::testing
