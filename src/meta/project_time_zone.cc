#include "meta/project_time_zone.h"

#include <mutex>
#include <string>
#include <unordered_set>

#include "base/logging.h"

namespace hoglet::meta {

// TimeZone::Load is a lookup in the already-loaded zone index after its first call (each zone's
// rules are read from disk once, on its first use), so it needs no cache here.
TimeZone ProjectTimeZone(const Project& project) {
  StatusOr<TimeZone> zone = TimeZone::Load(project.timezone);
  if (zone.ok()) return *zone;
  static std::mutex mutex;
  static auto* const warned = new std::unordered_set<std::string>();
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(mutex);
    first = warned->insert(project.timezone).second;
  }
  if (first) {
    LogWarning("project " + std::to_string(project.id) + " has time zone '" + project.timezone +
               "', which the system tz database does not know; its date filters read naive " +
               "dates as UTC. Set a valid IANA name in the project settings.");
  }
  return TimeZone::Utc();
}

}  // namespace hoglet::meta
