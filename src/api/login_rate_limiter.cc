#include "api/login_rate_limiter.h"

#include <algorithm>

#include "base/ascii.h"

namespace hoglet::api {
namespace {

std::string IpKey(std::string_view ip) { return "ip:" + std::string(ip); }

// Emails are matched without regard to case here, so changing case does not reset the count.
std::string EmailKey(std::string_view email) { return "email:" + AsciiLower(email); }

}  // namespace

void LoginRateLimiter::Prune(Failures& failures, int64_t now_us) const {
  while (!failures.empty() && failures.front() <= now_us - limits_.window_us) {
    failures.pop_front();
  }
}

int64_t LoginRateLimiter::WaitUs(const std::string& key, int64_t now_us) {
  auto found = failures_.find(key);
  if (found == failures_.end()) return 0;
  Prune(found->second, now_us);
  if (found->second.size() < static_cast<size_t>(limits_.max_failures)) return 0;
  // Allowed again once enough failures have left the window to drop below the limit.
  size_t over = found->second.size() - static_cast<size_t>(limits_.max_failures);
  return found->second[over] + limits_.window_us - now_us;
}

Status LoginRateLimiter::Admit(std::string_view client_ip, std::string_view email,
                               int64_t* retry_after_s) {
  const int64_t now_us = clock_.NowMicros();
  std::lock_guard lock(mu_);
  int64_t wait_us = std::max(WaitUs(IpKey(client_ip), now_us), WaitUs(EmailKey(email), now_us));
  if (wait_us <= 0) return Status::Ok();
  if (retry_after_s != nullptr)
    *retry_after_s = std::max<int64_t>(1, (wait_us + 999'999) / 1'000'000);
  return ResourceExhaustedError("too many failed login attempts: try again later",
                                "too_many_login_attempts");
}

void LoginRateLimiter::MakeRoom(int64_t now_us) {
  if (failures_.size() < limits_.max_keys) return;
  for (auto it = failures_.begin(); it != failures_.end();) {
    Prune(it->second, now_us);
    it = it->second.empty() ? failures_.erase(it) : std::next(it);
  }
  while (failures_.size() >= limits_.max_keys) {
    auto oldest = std::min_element(failures_.begin(), failures_.end(), [](auto& a, auto& b) {
      return a.second.back() < b.second.back();
    });
    failures_.erase(oldest);
  }
}

void LoginRateLimiter::RecordFailure(std::string_view client_ip, std::string_view email) {
  const int64_t now_us = clock_.NowMicros();
  std::lock_guard lock(mu_);
  for (const std::string& key : {IpKey(client_ip), EmailKey(email)}) {
    if (!failures_.contains(key)) MakeRoom(now_us);
    Failures& failures = failures_[key];
    Prune(failures, now_us);
    failures.push_back(now_us);
  }
}

void LoginRateLimiter::RecordSuccess(std::string_view client_ip, std::string_view email) {
  std::lock_guard lock(mu_);
  failures_.erase(IpKey(client_ip));
  failures_.erase(EmailKey(email));
}

}  // namespace hoglet::api
