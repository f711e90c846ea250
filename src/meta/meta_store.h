// The metadata store: organizations, projects (teams), users and personal API keys (the role
// Postgres plays in PostHog). Later: flags, cohorts, actions, insights, dashboards.
//
// Secrets: personal API keys are stored only as SHA-256 hashes; the plain key is returned once,
// when it is created. Project tokens (phc_) are public by design and stored as they are.
//
// Thread safety: every method may be called from any thread. Reads of projects by token are on
// the capture hot path and must not touch disk (implementations cache them).
//
// Implementations: meta/sqlite_meta_store.h (embedded); a Postgres adapter implements the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::meta {

struct Organization {
  std::string id;  // UUID
  std::string name;
  int64_t created_at_us = 0;
};

struct Project {
  int64_t id = 0;  // the team id every event carries
  std::string organization_id;
  std::string name;
  std::string api_token;         // phc_…
  std::string secret_api_token;  // phs_…
  std::string timezone = "UTC";
  int week_start_day = 0;  // 0 Sunday, 1 Monday
  bool anonymize_ips = false;
  int64_t created_at_us = 0;
};

struct User {
  int64_t id = 0;
  std::string uuid;
  std::string email;
  std::string first_name;
  std::string organization_id;
  int64_t created_at_us = 0;
};

struct PersonalApiKey {
  std::string id;  // UUID
  int64_t user_id = 0;
  std::string label;
  std::string mask_value;  // "phx_…abcd": enough to recognise, not to use
  int64_t created_at_us = 0;
  std::optional<int64_t> last_used_at_us;
};

// What the first start of a data directory creates.
struct BootstrapRequest {
  std::string organization_name = "Hoglet";
  std::string project_name = "Default project";
  std::string user_email = "admin@localhost";
  std::string project_token;     // empty: generate a phc_ token
  std::string personal_api_key;  // empty: generate a phx_ key
};

struct BootstrapResult {
  bool created = false;  // false: the store already had an organization; nothing was changed
  Project project;
  std::string personal_api_key;  // the plain key, only when created (empty otherwise)
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Creates organization, user, project (id 1) and personal API key when the store is empty.
  // kInvalidArgument when a given token or key has the wrong prefix or shape.
  virtual StatusOr<BootstrapResult> Bootstrap(const BootstrapRequest& request) = 0;

  // The project with this api_token (phc_), from memory. kNotFound when none.
  virtual StatusOr<Project> ProjectByToken(std::string_view api_token) const = 0;
  virtual StatusOr<Project> ProjectById(int64_t id) const = 0;
  virtual StatusOr<std::vector<Project>> ProjectsOfOrganization(
      std::string_view organization_id) const = 0;

  // The user a personal API key (plain phx_ value) belongs to. kUnauthenticated when unknown.
  // Records the key's last use.
  virtual StatusOr<User> AuthenticatePersonalApiKey(std::string_view key) = 0;
};

}  // namespace hoglet::meta
