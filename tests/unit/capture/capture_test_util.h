// Helpers shared by the capture unit tests: test data, request construction, JSON comparison.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "base/time_format.h"
#include "capture/capture_request.h"

namespace hoglet::capture::testing {

inline std::string ReadTestData(std::string_view name) {
  std::string path = std::string(HOGLET_TESTDATA_DIR) + "/capture/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline int64_t Instant(std::string_view iso) {
  std::optional<int64_t> t = ParseIsoMicros(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

// Owns the strings a CaptureRequest views.
struct RequestBuilder {
  std::string path = "/batch/";
  std::string query;
  std::string content_type = "application/json";
  std::string content_encoding;
  std::string body;
  std::string ip = "203.0.113.7";
  int64_t now_us = 1'700'000'000'000'000;

  CaptureRequest Build() const {
    CaptureRequest r;
    r.path = path;
    r.query = query;
    r.content_type = content_type;
    r.content_encoding = content_encoding;
    r.body = body;
    r.ip = ip;
    r.now_us = now_us;
    return r;
  }
  StatusOr<CaptureBatch> Decode(const CaptureLimits& limits = {}) const {
    return DecodeCaptureRequest(Build(), limits);
  }
};

// Structural JSON equality: objects compare as key sets regardless of order, numbers by value.
inline bool JsonEqual(simdjson::dom::element a, simdjson::dom::element b) {
  using T = simdjson::dom::element_type;
  auto numeric = [](T t) { return t == T::INT64 || t == T::UINT64 || t == T::DOUBLE; };
  if (numeric(a.type()) && numeric(b.type())) {
    if (a.type() != T::DOUBLE && b.type() != T::DOUBLE)
      return simdjson::minify(a) == simdjson::minify(b);
    double x = 0, y = 0;
    return a.get(x) == simdjson::SUCCESS && b.get(y) == simdjson::SUCCESS && x == y;
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case T::OBJECT: {
      simdjson::dom::object oa, ob;
      if (a.get(oa) || b.get(ob) || oa.size() != ob.size()) return false;
      for (simdjson::dom::key_value_pair field : oa) {
        simdjson::dom::element other;
        if (ob[field.key].get(other) || !JsonEqual(field.value, other)) return false;
      }
      return true;
    }
    case T::ARRAY: {
      simdjson::dom::array xa, xb;
      if (a.get(xa) || b.get(xb) || xa.size() != xb.size()) return false;
      auto ib = xb.begin();
      for (simdjson::dom::element item : xa) {
        if (!JsonEqual(item, *ib)) return false;
        ++ib;
      }
      return true;
    }
    default:
      return simdjson::minify(a) == simdjson::minify(b);
  }
}

inline bool JsonTextEqual(std::string_view a, std::string_view b) {
  simdjson::dom::parser pa, pb;
  simdjson::dom::element ea, eb;
  if (pa.parse(a.data(), a.size()).get(ea) || pb.parse(b.data(), b.size()).get(eb)) return false;
  return JsonEqual(ea, eb);
}

}  // namespace hoglet::capture::testing
