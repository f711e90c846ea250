#include "meta/api_key_scopes.h"

#include <algorithm>
#include <array>

namespace hoglet::meta {
namespace {

// PostHog's public scope objects (APIScopeObject without the internal, server-minted ones),
// sorted so lookups can bisect. Hoglet serves a few of them (api/scope_permission.h); the others
// are accepted so keys made for PostHog keep their meaning.
constexpr std::array<std::string_view, 108> kScopeObjects = {
    "access_control",
    "account",
    "action",
    "activity_log",
    "ai_observability_clusters",
    "alert",
    "annotation",
    "approvals",
    "batch_export",
    "batch_import",
    "batch_import_support",
    "billing",
    "business_knowledge",
    "canvas",
    "cohort",
    "comment",
    "conversation",
    "customer_analytics",
    "customer_journey",
    "customer_profile_config",
    "customer_task",
    "dashboard",
    "dashboard_template",
    "data_catalog",
    "data_catalog_approval",
    "dataset",
    "early_access_feature",
    "element",
    "endpoint",
    "engineering_analytics",
    "error_tracking",
    "evaluation",
    "event_definition",
    "event_filter",
    "experiment",
    "experiment_holdout",
    "experiment_saved_metric",
    "export",
    "external_data_schema",
    "external_data_source",
    "feature_flag",
    "field_note",
    "file_system",
    "file_system_shortcut",
    "group",
    "health_issue",
    "heatmap",
    "hog_flow",
    "hog_function",
    "ingestion_warning",
    "insight",
    "insight_variable",
    "integration",
    "legal_document",
    "link",
    "live_debugger",
    "llm_analytics",
    "llm_gateway",
    "llm_playground",
    "llm_prompt",
    "llm_provider_key",
    "llm_skill",
    "logs",
    "loop",
    "marketing_analytics",
    "mcp_analytics",
    "metrics",
    "notebook",
    "organization",
    "organization_integration",
    "organization_member",
    "person",
    "plugin",
    "product_enablement",
    "product_tour",
    "project",
    "property_definition",
    "query",
    "query_performance",
    "replay_scanner",
    "revenue_analytics",
    "review_hog",
    "session_recording",
    "session_recording_playlist",
    "sharing_configuration",
    "signal_scout",
    "stamphog",
    "streamlit_app",
    "subscription",
    "survey",
    "tagger",
    "task",
    "ticket",
    "toolbar",
    "tracing",
    "uploaded_media",
    "usage_metric",
    "user",
    "user_interview",
    "vision_action",
    "vision_alert",
    "visual_review",
    "warehouse_objects",
    "warehouse_table",
    "warehouse_view",
    "web_analytics",
    "webhook",
    "wizard_session",
};
static_assert(std::is_sorted(kScopeObjects.begin(), kScopeObjects.end()));
static_assert(std::adjacent_find(kScopeObjects.begin(), kScopeObjects.end()) ==
              kScopeObjects.end());

// Long enough for every real scope; anything longer is refused before it is echoed back.
constexpr size_t kMaxScopeBytes = 64;

Status InvalidScope(std::string message) {
  return InvalidArgumentError(std::move(message), "invalid_scope");
}

}  // namespace

std::string_view ScopeActionName(ScopeAction action) {
  return action == ScopeAction::kRead ? "read" : "write";
}

bool IsScopeObject(std::string_view object) {
  return std::binary_search(kScopeObjects.begin(), kScopeObjects.end(), object);
}

Status ValidateScope(std::string_view scope) {
  if (scope == kFullAccessScope) return Status::Ok();
  if (scope.size() > kMaxScopeBytes) {
    return InvalidScope("invalid scope '" + std::string(scope.substr(0, kMaxScopeBytes)) +
                        "…': a scope is at most " + std::to_string(kMaxScopeBytes) + " bytes");
  }
  const std::string quoted = "'" + std::string(scope) + "'";
  size_t colon = scope.find(':');
  if (colon == std::string_view::npos || scope.find(':', colon + 1) != std::string_view::npos) {
    return InvalidScope("invalid scope " + quoted +
                        ": a scope is '*' or '<object>:<action>', e.g. 'feature_flag:read'");
  }
  std::string_view object = scope.substr(0, colon);
  std::string_view action = scope.substr(colon + 1);
  if (!IsScopeObject(object)) {
    return InvalidScope("invalid scope " + quoted + ": '" + std::string(object) +
                        "' is not a scope object (e.g. feature_flag, query, person, cohort)");
  }
  if (action != "read" && action != "write") {
    return InvalidScope("invalid scope " + quoted +
                        ": the action must be 'read' or 'write', not '" + std::string(action) +
                        "'");
  }
  return Status::Ok();
}

StatusOr<std::vector<std::string>> NormalizeScopes(std::vector<std::string> scopes) {
  if (scopes.empty()) {
    return InvalidScope(
        "a personal API key needs at least one scope; [\"*\"] gives it full access");
  }
  if (scopes.size() > kMaxScopesPerKey) {
    return InvalidScope("a personal API key has at most " + std::to_string(kMaxScopesPerKey) +
                        " scopes, not " + std::to_string(scopes.size()));
  }
  std::vector<std::string> normalized;
  normalized.reserve(scopes.size());
  for (std::string& scope : scopes) {
    HOGLET_RETURN_IF_ERROR(ValidateScope(scope));
    if (std::find(normalized.begin(), normalized.end(), scope) != normalized.end()) continue;
    normalized.push_back(std::move(scope));
  }
  return normalized;
}

bool ScopesAllow(std::span<const std::string> scopes, std::string_view object, ScopeAction action) {
  for (const std::string& scope : scopes) {
    if (scope == kFullAccessScope) return true;
    std::string_view text = scope;
    if (text.size() <= object.size() || !text.starts_with(object) || text[object.size()] != ':') {
      continue;
    }
    std::string_view granted = text.substr(object.size() + 1);
    if (granted == "write" || granted == ScopeActionName(action)) return true;
  }
  return false;
}

std::string ScopeName(std::string_view object, ScopeAction action) {
  std::string name(object);
  name += ':';
  name += ScopeActionName(action);
  return name;
}

std::string JoinScopes(std::span<const std::string> scopes) {
  std::string joined;
  for (const std::string& scope : scopes) {
    if (!joined.empty()) joined += ' ';
    joined += scope;
  }
  return joined;
}

std::vector<std::string> ParseStoredScopes(std::string_view stored) {
  std::vector<std::string> scopes;
  size_t start = 0;
  while (start < stored.size()) {
    size_t space = stored.find(' ', start);
    if (space == std::string_view::npos) space = stored.size();
    if (space > start) scopes.emplace_back(stored.substr(start, space - start));
    start = space + 1;
  }
  return scopes;
}

}  // namespace hoglet::meta
