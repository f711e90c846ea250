// Bounds password guessing: failed logins are counted per client address and per email over a
// sliding window; once either count reaches the limit, further attempts for that address or
// email are refused (429 with Retry-After) until the oldest failure leaves the window, whether
// the password would be right or not. A successful login clears its email's and address's
// failures. Two keys because the address alone can be varied by a client behind a proxy that
// forwards X-Forwarded-For, and the email alone would let one client try many accounts.
//
// Memory is bounded: at most `max_keys` keys are tracked; past that, keys whose failures are all
// outside the window are dropped, then the oldest.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace hoglet::api {

struct LoginRateLimits {
  int max_failures = 5;                      // per key within the window
  int64_t window_us = 5 * 60 * 1'000'000LL;  // five minutes
  size_t max_keys = 100'000;
};

class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(const Clock& clock, LoginRateLimits limits = {})
      : clock_(clock), limits_(limits) {}

  // OK when an attempt for `email` from `client_ip` may be checked now. kResourceExhausted
  // ("too_many_login_attempts") otherwise; *retry_after_s (when not null) is then set to the
  // whole seconds until an attempt is allowed again (at least 1).
  Status Admit(std::string_view client_ip, std::string_view email, int64_t* retry_after_s);

  // Records a wrong password (or unknown email) for both keys.
  void RecordFailure(std::string_view client_ip, std::string_view email);

  // Forgets the failures of both keys after a successful login.
  void RecordSuccess(std::string_view client_ip, std::string_view email);

 private:
  // Failure times of one key, oldest first, all within the window after Prune.
  using Failures = std::deque<int64_t>;

  void Prune(Failures& failures, int64_t now_us) const;
  // Microseconds until `key` may try again; 0 when it may now. Caller holds mu_.
  int64_t WaitUs(const std::string& key, int64_t now_us);
  void MakeRoom(int64_t now_us);

  const Clock& clock_;
  const LoginRateLimits limits_;
  std::mutex mu_;
  std::map<std::string, Failures> failures_;  // guarded by mu_; "ip:…" and "email:…" keys
};

}  // namespace hoglet::api
