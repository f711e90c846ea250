#include "http/message.h"

#include <strings.h>

namespace hoglet::http {

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

std::string Request::ClientIp() const {
  std::string_view forwarded = Header("X-Forwarded-For");
  if (!forwarded.empty()) {
    std::string_view first = forwarded.substr(0, forwarded.find(','));
    while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
    while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
    if (!first.empty()) return std::string(first);
  }
  return peer_ip;
}

}  // namespace hoglet::http
