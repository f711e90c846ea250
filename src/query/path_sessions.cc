#include "query/path_sessions.h"

#include <algorithm>
#include <optional>

namespace hoglet::query {
namespace {

// indexOf: the 1-based position of the first `item` in `path`, 0 when absent.
size_t IndexOf(const SessionPath& path, std::string_view item) {
  auto found = std::find(path.items.begin(), path.items.end(), item);
  return found == path.items.end() ? 0 : static_cast<size_t>(found - path.items.begin()) + 1;
}

// Items [from, to) of `path`.
SessionPath Slice(const SessionPath& path, size_t from, size_t to) {
  to = std::min(to, path.items.size());
  from = std::min(from, to);
  SessionPath out;
  out.items.assign(path.items.begin() + from, path.items.begin() + to);
  out.times_us.assign(path.times_us.begin() + from, path.times_us.begin() + to);
  return out;
}

void Append(const SessionPath& part, SessionPath* path) {
  path->items.insert(path->items.end(), part.items.begin(), part.items.end());
  path->times_us.insert(path->times_us.end(), part.times_us.begin(), part.times_us.end());
}

// The path of one session cut to the query's points and limited to its steps; nullopt when the
// session lacks a point.
std::optional<SessionPath> Limited(const PathsQuery& query, const SessionPath& compact) {
  const size_t limit = static_cast<size_t>(query.step_limit);
  if (query.start_point && query.end_point) {
    const size_t start = IndexOf(compact, *query.start_point);
    if (start == 0) return std::nullopt;
    SessionPath from_start = Slice(compact, start - 1, compact.items.size());
    const size_t end = IndexOf(from_start, *query.end_point);
    if (end == 0) return std::nullopt;
    SessionPath between = Slice(from_start, 0, end);
    if (between.items.size() <= limit) return between;
    const size_t half = limit / 2;
    SessionPath out = Slice(between, 0, half);
    out.items.emplace_back(kPathElision);
    out.times_us.push_back(between.times_us[half]);
    if (half > 0) Append(Slice(between, between.items.size() - half, between.items.size()), &out);
    return out;
  }
  const std::optional<std::string>& point = query.end_point ? query.end_point : query.start_point;
  if (!point) return Slice(compact, 0, limit);
  // PostHog drops one trailing '/' of a single point (not of a pair), as its URLs have none.
  std::string target = *point;
  if (target.size() > 1 && target.back() == '/') target.pop_back();
  const size_t index = IndexOf(compact, target);
  if (index == 0) return std::nullopt;
  if (query.end_point) {
    const size_t from = index > limit ? index - limit : 0;
    return Slice(compact, from, index);
  }
  return Slice(compact, index - 1, index - 1 + limit);
}

// One session: events [begin, end).
void AddSession(const PathsQuery& query, const std::vector<PathEvent>& events, size_t begin,
                size_t end, std::vector<SessionPath>* out) {
  SessionPath compact;
  for (size_t i = begin; i < end; ++i) {
    // An item is kept when the next differs; the last is compared with "", as PostHog pads it.
    const std::string_view next = i + 1 < end ? events[i + 1].item : std::string_view();
    if (events[i].item == next) continue;
    compact.items.push_back(events[i].item);
    compact.times_us.push_back(events[i].timestamp_us);
  }
  std::optional<SessionPath> limited = Limited(query, compact);
  if (limited && !limited->items.empty()) out->push_back(std::move(*limited));
}

}  // namespace

void SessionPathsOf(const PathsQuery& query, const std::vector<PathEvent>& events,
                    std::vector<SessionPath>* out, int64_t session_gap_us) {
  size_t begin = 0;
  for (size_t i = 1; i <= events.size(); ++i) {
    if (i == events.size() ||
        events[i].timestamp_us - events[i - 1].timestamp_us >= session_gap_us) {
      if (i > begin) AddSession(query, events, begin, i, out);
      begin = i;
    }
  }
}

std::string PathNode(size_t index, std::string_view item) {
  std::string node = std::to_string(index + 1);
  node += '_';
  node += item;
  return node;
}

}  // namespace hoglet::query
