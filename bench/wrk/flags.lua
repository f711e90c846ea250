-- POSTs posthog-node style /flags/?v=2 bodies, each with the next distinct id of a 100 000-id
-- cycle and person properties that the benchmark's person-property flags read. TOKEN is the
-- project token. With PARTIAL=1 the bodies leave `country` out, so the server must read the
-- stored person to decide the flags that filter on it.
local token = assert(os.getenv("TOKEN"), "set TOKEN")
local partial = os.getenv("PARTIAL") == "1"
local plans = { "free", "pro", "team", "enterprise" }
local countries = { "NZ", "DE", "US", "BR", "JP" }
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "posthog-node/5.70.0"

function request()
  counter = counter + 1
  local n = counter % 100000
  local domain = (n % 7 == 0) and "hoglet.dev" or "example.com"
  local country = partial and "" or string.format(',"country":"%s"', countries[n % 5 + 1])
  local body = string.format(
    '{"token":"%s","distinct_id":"user-%d","groups":{},"person_properties":{"distinct_id":' ..
    '"user-%d","email":"user%d@%s","plan":"%s","age":%d%s},' ..
    '"group_properties":{},"geoip_disable":true,"evaluation_runtime":"server"}',
    token, n, n, n, domain, plans[n % 4 + 1], 18 + n % 60, country)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests_per_s=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
