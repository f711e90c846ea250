// Process logging: one line per message to stderr, "2026-01-02T03:04:05.123Z LEVEL message".
// Thread-safe. Messages are for the operator: say what happened and what to do about it.
#pragma once

#include <string_view>

namespace hoglet {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void SetMinLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view message);

inline void LogInfo(std::string_view message) { Log(LogLevel::kInfo, message); }
inline void LogWarning(std::string_view message) { Log(LogLevel::kWarning, message); }
inline void LogError(std::string_view message) { Log(LogLevel::kError, message); }

}  // namespace hoglet
