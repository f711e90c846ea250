// Capture decoding throughput: DecodeCaptureRequest on the request shapes SDKs send most.
//   BM_CaptureDecode_Batch50Plain   posthog-node style /batch/ with 50 events, plain JSON
//   BM_CaptureDecode_Batch50Gzip    the same body gzipped (Content-Encoding: gzip)
//   BM_CaptureDecode_JsFormBase64   one posthog-js event, form `data=<base64>` on /e/
// Counters: events/s and payload bytes/s (of the body as received).
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "base/base64.h"
#include "base/gzip.h"
#include "base/url.h"
#include "capture/capture_request.h"

namespace {

using hoglet::capture::CaptureLimits;
using hoglet::capture::CaptureRequest;
using hoglet::capture::DecodeCaptureRequest;

constexpr int64_t kNowUs = 1'700'000'000'000'000;

std::string NodeEvent(int i) {
  std::string n = std::to_string(i);
  return R"({"distinct_id":"user-)" + n +
         R"(","event":"$pageview","timestamp":"2023-11-14T22:13:)" + (i % 60 < 10 ? "0" : "") +
         std::to_string(i % 60) + R"(.123Z","uuid":"018bcfe5-687b-7000-8000-0000000000)" +
         (i < 10 ? "0" : "") + n +
         R"(","properties":{"$lib":"posthog-node","$lib_version":"5.7.0","$is_server":true,)"
         R"("$geoip_disable":true,"$current_url":"https://example.com/pricing?plan=)" +
         n + R"(","plan":"pro","seats":)" + n +
         R"(,"$set":{"email":"user@example.com"},"flags":["a","b","c"]}})";
}

std::string Batch50() {
  std::string body =
      R"({"api_key":"phc_benchmarktoken","sent_at":"2023-11-14T22:13:30.000Z","batch":[)";
  for (int i = 0; i < 50; ++i) {
    if (i > 0) body += ',';
    body += NodeEvent(i);
  }
  return body + "]}";
}

std::string JsEvent() {
  return R"([{"uuid":"018a981f-4b35-7c66-825e-8b0eeae65714","event":"$pageview","properties":)"
         R"({"$os":"Mac OS X","$browser":"Firefox","$device_type":"Desktop",)"
         R"("$current_url":"http://localhost:8000/","$host":"localhost:8000","$pathname":"/",)"
         R"("$browser_version":117,"$screen_height":1052,"$screen_width":1620,"$lib":"web",)"
         R"("$lib_version":"1.78.5","$insert_id":"40pt1ucpk746ilep","$time":1694769302.325,)"
         R"("distinct_id":"pWAkITyQ3CN7332UqQxnH6p3FV8VJd7pY647EdNkxWc",)"
         R"("$device_id":"018a981f-4b2d-78ae-947b-bedbaa02a0f4",)"
         R"("token":"phc_qgUFp5wz2BjC4RsFjMGpQ3PGDrsi6Q0CG0CP4NAac0I",)"
         R"("$session_id":"018a981f-4b2e-7bd3-bb30-6617bf488869"},)"
         R"("timestamp":"2023-09-15T09:15:02.325Z"}])";
}

void Run(benchmark::State& state, const CaptureRequest& request, size_t expected_events) {
  CaptureLimits limits;
  int64_t events = 0;
  for (auto _ : state) {
    auto batch = DecodeCaptureRequest(request, limits);
    if (!batch.ok() || batch->events.size() != expected_events) {
      state.SkipWithError(batch.status().ToString().c_str());
      break;
    }
    events += static_cast<int64_t>(batch->events.size());
    benchmark::DoNotOptimize(batch);
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(request.body.size()));
}

CaptureRequest Request(std::string_view path, std::string_view query, std::string_view content_type,
                       std::string_view content_encoding, std::string_view body) {
  CaptureRequest request;
  request.path = path;
  request.query = query;
  request.content_type = content_type;
  request.content_encoding = content_encoding;
  request.body = body;
  request.ip = "127.0.0.1";
  request.now_us = kNowUs;
  return request;
}

void BM_CaptureDecode_Batch50Plain(benchmark::State& state) {
  std::string body = Batch50();
  Run(state, Request("/batch/", "", "application/json", "", body), 50);
}
BENCHMARK(BM_CaptureDecode_Batch50Plain);

void BM_CaptureDecode_Batch50Gzip(benchmark::State& state) {
  std::string body = hoglet::GzipCompress(Batch50());
  Run(state, Request("/batch/", "", "application/json", "gzip", body), 50);
}
BENCHMARK(BM_CaptureDecode_Batch50Gzip);

void BM_CaptureDecode_JsFormBase64(benchmark::State& state) {
  std::string body = "data=" + hoglet::PercentEncode(hoglet::Base64Encode(JsEvent()));
  Run(state,
      Request("/e/", "ip=1&_=1694769302325&ver=1.78.5", "application/x-www-form-urlencoded", "",
              body),
      1);
}
BENCHMARK(BM_CaptureDecode_JsFormBase64);

}  // namespace
