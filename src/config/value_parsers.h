// Parsers for the textual values of options, shared by every source (file, environment, flag).
// Each returns kInvalidArgument whose message quotes the value and says what is accepted, e.g.
// "'abc' is not HOST:PORT (for example 127.0.0.1:8000 or [::]:0)"; the caller prefixes the
// option's name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/logging.h"
#include "base/status.h"
#include "config/serve_options.h"

namespace hoglet::config {

// A decimal integer in [min, max].
StatusOr<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);

// A byte count in [min, max]: digits, optionally followed by a unit: B, KiB, MiB, GiB
// (powers of 1024) or KB, MB, GB (powers of 1000), e.g. "2097152", "2MiB", "20 MB".
StatusOr<int64_t> ParseBytes(std::string_view text, int64_t min, int64_t max);

// "2MiB" when `bytes` is a whole number of MiB, "16KiB" for KiB, else the plain number.
std::string FormatBytes(int64_t bytes);

// true/false, 1/0, yes/no, on/off, in any case.
StatusOr<bool> ParseBool(std::string_view text);

// HOST:PORT, with an IPv6 host in brackets ("[::1]:8000"); port 0..65535.
StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

// debug, info, warning (or warn), error.
StatusOr<LogLevel> ParseLogLevel(std::string_view text);
std::string_view LogLevelName(LogLevel level);

// Empty, or `prefix` followed by characters from [A-Za-z0-9_], 8 to 64 in total: the shape the
// metadata store accepts for operator-chosen tokens. `what` names the token in the message;
// the value itself is not echoed.
Status CheckTokenShape(std::string_view text, std::string_view prefix, std::string_view what);

}  // namespace hoglet::config
