// Runs a LifecycleQuery on the embedded engine (analytics §3.7, §6.17): the series is scanned as
// a trends series counting persons, or the groups of aggregation_group_type_index
// (query/trends_runner.h: the same filters, actions, persons at query time and buckets in the
// project's zone) over the range and the period before it, and every counted event marks its
// actor active in its period. Each actor's periods are then classified as PostHog's lifecycle
// query does: a period is `new` when it is the period the actor was created in (the person's or
// group's created_at, from `created`; not the first event in range), `returning` when the actor
// was active in the period before (except for its first active period), `resurrecting`
// otherwise; the period after an active one without activity is `dormant`. Actors are counted
// per period and status; dormant counts are negative. Personless events are left out (by the
// parser's filter, and persons without a record have no creation time and are skipped).
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(LifecycleAnswer answer,
//                           AnswerLifecycle(query, context, created, source, team_id));
//   WriteLifecycleResults(query, answer, &writer);
//
// Thread-safe: pure over its arguments; the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "query/date_range.h"
#include "query/lifecycle_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

// When actors were created (their created_at): persons, or groups by their GroupActor, as the
// caller reads them from the person store.
class PersonCreation {
 public:
  virtual ~PersonCreation() = default;
  // Reads the creation times of `actors` ahead, in as few reads as the source allows; the
  // lifecycle query asks for every active actor, so CreatedAtUs then answers from memory.
  virtual Status Load(const std::vector<Uuid>& actors) {
    (void)actors;
    return Status::Ok();
  }
  // The instant `person` was created; nullopt for an actor left out (a person without a record).
  virtual StatusOr<std::optional<int64_t>> CreatedAtUs(const Uuid& person) = 0;
  // CreatedAtUs for each of `actors`, into (*out)[i] (replaced); by default one after another.
  virtual Status CreatedAtMany(const std::vector<Uuid>& actors,
                               std::vector<std::optional<int64_t>>* out) {
    out->clear();
    out->reserve(actors.size());
    for (const Uuid& actor : actors) {
      HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> created, CreatedAtUs(actor));
      out->push_back(created);
    }
    return Status::Ok();
  }
};

struct LifecycleLine {
  LifecycleStatus status = LifecycleStatus::kNew;
  std::vector<int64_t> data;  // per bucket of the range; negative for dormant
  int64_t count = 0;          // sum of data
};

struct LifecycleAnswer {
  DateRange range;
  std::vector<LifecycleLine> lines;  // new, returning, resurrecting, dormant
  std::string series_name;
};

// kInvalidArgument for a date range that cannot be resolved; errors of the store and of
// `created` otherwise.
StatusOr<LifecycleAnswer> AnswerLifecycle(const LifecycleQuery& query, const TrendsContext& context,
                                          PersonCreation& created, const store::ScanSource& source,
                                          int64_t team_id);

// The actors of one bar: those with `status` in the bucket starting at local time
// `day_local_us` (any time within the bucket), sorted. kInvalidArgument naming query.source.day
// for a day outside the range.
StatusOr<std::vector<Uuid>> LifecycleActors(const LifecycleQuery& query, LifecycleStatus status,
                                            int64_t day_local_us, const TrendsContext& context,
                                            PersonCreation& created,
                                            const store::ScanSource& source, int64_t team_id);

}  // namespace hoglet::query
