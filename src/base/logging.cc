#include "base/logging.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include "base/clock.h"
#include "base/time_format.h"

namespace hoglet {
namespace {

std::atomic<LogLevel> min_level{LogLevel::kInfo};

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

void SetMinLogLevel(LogLevel level) { min_level.store(level); }

void Log(LogLevel level, std::string_view message) {
  if (level < min_level.load(std::memory_order_relaxed)) return;
  std::string line = FormatIsoMillis(SystemClock::Get().NowMicros());
  line.push_back(' ');
  line.append(LevelName(level));
  line.push_back(' ');
  line.append(message);
  line.push_back('\n');
  // One write(2) per line keeps lines from different threads whole.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace hoglet
