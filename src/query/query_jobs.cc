#include "query/query_jobs.h"

#include <utility>

namespace hoglet::query {

QueryJobs::QueryJobs(Options options, const Clock* clock)
    : options_(options),
      clock_(clock),
      pool_(std::make_unique<ThreadPool>(options.threads, options.max_queued)) {}

QueryJobs::~QueryJobs() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [key, job] : jobs_) job->cancelled = true;
  }
  pool_.reset();  // runs what is queued (each stops at once) and joins
}

Status QueryJobs::Admit(int64_t team_id) {
  size_t& running = running_[team_id];
  if (running >= options_.max_running_per_team) {
    return ResourceExhaustedError(
        "this project already runs " + std::to_string(running) +
            " queries at once, the most it may; retry when one has finished",
        "concurrency_limit");
  }
  ++running;
  return Status::Ok();
}

void QueryJobs::Release(int64_t team_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = running_.find(team_id);
  if (found != running_.end() && --found->second == 0) running_.erase(found);
}

StatusOr<std::string> QueryJobs::RunNow(int64_t team_id, const Task& task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    HOGLET_RETURN_IF_ERROR(Admit(team_id));
  }
  const std::atomic<bool> never_cancelled{false};
  StatusOr<std::string> answer = task(never_cancelled);
  Release(team_id);
  return answer;
}

StatusOr<QueryStatus> QueryJobs::Start(int64_t team_id, const std::string& id, Task task) {
  auto job = std::make_shared<Job>();
  job->status.id = id;
  job->status.team_id = team_id;
  job->status.start_time_us = clock_->NowMicros();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ForgetOldLocked(job->status.start_time_us);
    JobKey key{team_id, id};
    if (auto found = jobs_.find(key); found != jobs_.end() && !found->second->status.complete) {
      return AlreadyExistsError("query " + id + " is still running", "already_running");
    }
    HOGLET_RETURN_IF_ERROR(Admit(team_id));
    jobs_[key] = job;
  }
  bool queued = pool_->TrySubmit([this, job, task = std::move(task)] {
    StatusOr<std::string> answer =
        job->cancelled
            ? StatusOr<std::string>(UnavailableError("the query was cancelled", "cancelled"))
            : task(job->cancelled);
    Release(job->status.team_id);  // first: a client that sees the answer may start another
    Finish(job.get(), std::move(answer));
  });
  if (!queued) {
    Release(team_id);
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.erase({team_id, id});
    return ResourceExhaustedError("too many queries are waiting to run; retry shortly",
                                  "queue_full");
  }
  std::lock_guard<std::mutex> lock(mu_);
  return job->status;
}

void QueryJobs::Finish(Job* job, StatusOr<std::string> answer) {
  std::lock_guard<std::mutex> lock(mu_);
  job->status.complete = true;
  job->status.end_time_us = clock_->NowMicros();
  if (answer.ok()) {
    job->status.results = *std::move(answer);
  } else {
    job->status.error = true;
    job->status.error_message = answer.status().message();
  }
}

StatusOr<QueryStatus> QueryJobs::Get(int64_t team_id, const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = jobs_.find({team_id, id});
  if (found == jobs_.end()) return NotFoundError("no query " + id + " in this project");
  return found->second->status;
}

Status QueryJobs::Cancel(int64_t team_id, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = jobs_.find({team_id, id});
  if (found == jobs_.end()) return NotFoundError("no query " + id + " in this project");
  found->second->cancelled = true;
  return Status::Ok();
}

void QueryJobs::ForgetOldLocked(int64_t now_us) {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    const QueryStatus& status = it->second->status;
    if (status.complete && now_us - status.end_time_us > options_.keep_finished_us) {
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace hoglet::query
