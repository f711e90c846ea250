#include "config/value_parsers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>

#include "base/ascii.h"

namespace hoglet::config {
namespace {

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string Range(int64_t min, int64_t max) {
  return "between " + std::to_string(min) + " and " + std::to_string(max);
}

// Only digits, so "+5", "0x10", "1e3" and "5 " are rejected rather than half-read.
std::optional<uint64_t> ParseDigits(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct Unit {
  std::string_view name;
  int64_t factor;
};
constexpr std::array<Unit, 7> kUnits = {{{"B", 1},
                                         {"KiB", int64_t{1} << 10},
                                         {"MiB", int64_t{1} << 20},
                                         {"GiB", int64_t{1} << 30},
                                         {"KB", 1000},
                                         {"MB", 1000 * 1000},
                                         {"GB", 1000 * 1000 * 1000}}};

bool IsHostChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
         c == '-' || c == '_';
}

bool IsIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

}  // namespace

StatusOr<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  std::optional<uint64_t> value = ParseDigits(TrimBlanks(text));
  if (!value) {
    return InvalidArgumentError(Quote(text) + " is not a whole number (expected one " +
                                Range(min, max) + ")");
  }
  if (*value < static_cast<uint64_t>(std::max<int64_t>(min, 0)) ||
      *value > static_cast<uint64_t>(max)) {
    return InvalidArgumentError(Quote(text) + " is out of range (expected " + Range(min, max) +
                                ")");
  }
  return static_cast<int64_t>(*value);
}

StatusOr<int64_t> ParseBytes(std::string_view text, int64_t min, int64_t max) {
  std::string_view trimmed = TrimBlanks(text);
  size_t digits = 0;
  while (digits < trimmed.size() && trimmed[digits] >= '0' && trimmed[digits] <= '9') ++digits;
  std::optional<uint64_t> number = ParseDigits(trimmed.substr(0, digits));
  std::string_view unit_text = TrimBlanks(trimmed.substr(digits));
  int64_t factor = unit_text.empty() ? 1 : 0;
  for (const Unit& unit : kUnits) {
    if (unit_text == unit.name) factor = unit.factor;
  }
  if (!number || factor == 0) {
    return InvalidArgumentError(Quote(text) +
                                " is not a size (expected a number of bytes, optionally with a "
                                "unit: B, KiB, MiB, GiB, KB, MB, GB; e.g. 2MiB)");
  }
  if (*number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / factor) ||
      static_cast<int64_t>(*number) * factor < min ||
      static_cast<int64_t>(*number) * factor > max) {
    return InvalidArgumentError(Quote(text) + " is out of range (expected " + FormatBytes(min) +
                                " to " + FormatBytes(max) + ")");
  }
  return static_cast<int64_t>(*number) * factor;
}

std::string FormatBytes(int64_t bytes) {
  if (bytes > 0 && bytes % (int64_t{1} << 30) == 0) return std::to_string(bytes >> 30) + "GiB";
  if (bytes > 0 && bytes % (int64_t{1} << 20) == 0) return std::to_string(bytes >> 20) + "MiB";
  if (bytes > 0 && bytes % (int64_t{1} << 10) == 0) return std::to_string(bytes >> 10) + "KiB";
  return std::to_string(bytes);
}

StatusOr<bool> ParseBool(std::string_view text) {
  std::string_view trimmed = TrimBlanks(text);
  for (std::string_view yes : {"true", "1", "yes", "on"}) {
    if (EqualsIgnoreAsciiCase(trimmed, yes)) return true;
  }
  for (std::string_view no : {"false", "0", "no", "off"}) {
    if (EqualsIgnoreAsciiCase(trimmed, no)) return false;
  }
  return InvalidArgumentError(Quote(text) + " is not a boolean (expected true or false)");
}

StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  Status bad = InvalidArgumentError(Quote(text) +
                                    " is not HOST:PORT (for example 127.0.0.1:8000, "
                                    "0.0.0.0:8000 or [::]:0)");
  ListenAddress address;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad;
    }
    std::string_view host = text.substr(1, close - 1);
    if (host.empty()) return bad;
    for (char c : host) {
      if (!IsIpv6Char(c)) return bad;
    }
    address.host = std::string(host);
    port_text = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return bad;
    std::string_view host = text.substr(0, colon);
    for (char c : host) {
      if (!IsHostChar(c)) return bad;  // also rejects an unbracketed IPv6 address
    }
    address.host = std::string(host);
    port_text = text.substr(colon + 1);
  }
  std::optional<uint64_t> port = ParseDigits(port_text);
  if (!port) return bad;
  if (*port > 65535) {
    return InvalidArgumentError(Quote(text) + " has port " + std::string(port_text) +
                                ", above 65535 (0 lets the system choose a free port)");
  }
  address.port = static_cast<uint16_t>(*port);
  return address;
}

StatusOr<LogLevel> ParseLogLevel(std::string_view text) {
  std::string_view trimmed = TrimBlanks(text);
  if (EqualsIgnoreAsciiCase(trimmed, "debug")) return LogLevel::kDebug;
  if (EqualsIgnoreAsciiCase(trimmed, "info")) return LogLevel::kInfo;
  if (EqualsIgnoreAsciiCase(trimmed, "warning") || EqualsIgnoreAsciiCase(trimmed, "warn")) {
    return LogLevel::kWarning;
  }
  if (EqualsIgnoreAsciiCase(trimmed, "error")) return LogLevel::kError;
  return InvalidArgumentError(Quote(text) +
                              " is not a log level (expected debug, info, warning or error)");
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

Status CheckTokenShape(std::string_view text, std::string_view prefix, std::string_view what) {
  if (text.empty()) return Status::Ok();
  bool ok = text.starts_with(prefix) && text.size() >= 8 && text.size() <= 64;
  for (char c : text) {
    ok = ok &&
         ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_');
  }
  if (ok) return Status::Ok();
  return InvalidArgumentError("the given " + std::string(what) + " is not valid (expected '" +
                              std::string(prefix) +
                              "' followed by letters, digits or '_', 8 to 64 characters in all)");
}

}  // namespace hoglet::config
