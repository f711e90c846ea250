// Queries that run in the background (PostHog's async refresh modes: the answer is fetched later
// by its id, or cancelled), and the limit on how many queries of one project run at once, counted
// over blocking and background queries alike.
//
// Finished queries are remembered for a while (Options::keep_finished_us) so their answer can be
// fetched; a project sees only its own queries.
//
// Thread-safe. The destructor cancels what is queued or running and waits for it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "base/thread_pool.h"

namespace hoglet::query {

struct QueryStatus {
  std::string id;
  int64_t team_id = 0;
  bool complete = false;
  bool error = false;
  std::string error_message;
  int64_t start_time_us = 0;
  int64_t end_time_us = 0;             // when complete
  std::optional<std::string> results;  // the answer, a JSON object, when complete without error
};

class QueryJobs {
 public:
  struct Options {
    int threads = 2;                         // background queries run on their own threads
    size_t max_queued = 64;                  // background queries waiting, over every project
    size_t max_running_per_team = 3;         // PostHog's concurrent queries per project
    int64_t keep_finished_us = 600'000'000;  // a finished query's answer stays fetchable
  };
  // Computes an answer (a JSON object) and stops early once `cancelled` is set.
  using Task = std::function<StatusOr<std::string>(const std::atomic<bool>& cancelled)>;

  QueryJobs(Options options, const Clock* clock);
  ~QueryJobs();
  QueryJobs(const QueryJobs&) = delete;
  QueryJobs& operator=(const QueryJobs&) = delete;

  // Runs `task` on the calling thread within the project's limit. kResourceExhausted when the
  // project already runs as many queries as it may.
  StatusOr<std::string> RunNow(int64_t team_id, const Task& task);

  // Queues `task` under `id` and answers its status at once. kResourceExhausted when the
  // project already runs as many queries as it may, or the queue is full; kAlreadyExists when
  // the project has a query of this id that has not finished.
  StatusOr<QueryStatus> Start(int64_t team_id, const std::string& id, Task task);

  // kNotFound for an id the project does not have (or no longer remembers).
  StatusOr<QueryStatus> Get(int64_t team_id, const std::string& id) const;

  // A queued query never runs; a running one stops at its next check and ends as an error.
  // kNotFound as Get.
  Status Cancel(int64_t team_id, const std::string& id);

 private:
  struct Job {
    QueryStatus status;
    std::atomic<bool> cancelled{false};
  };
  using JobKey = std::pair<int64_t, std::string>;

  Status Admit(int64_t team_id);  // takes a slot of the project; mu_ held
  void Release(int64_t team_id);
  void Finish(Job* job, StatusOr<std::string> answer);
  void ForgetOldLocked(int64_t now_us);

  const Options options_;
  const Clock* clock_;
  mutable std::mutex mu_;
  std::map<JobKey, std::shared_ptr<Job>> jobs_;  // guarded by mu_
  std::map<int64_t, size_t> running_;            // queries per project; guarded by mu_
  std::unique_ptr<ThreadPool> pool_;             // last: destroyed (joined) first
};

}  // namespace hoglet::query
