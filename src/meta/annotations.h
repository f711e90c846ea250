// Annotations as the metadata store keeps them (PostHog's posthog_annotation table): a note at an
// instant (a release, an incident) that charts mark. An annotation belongs to the project it was
// made in; scope says where it shows: on one insight (dashboard_item), one dashboard, its project,
// or every project of its organization.
//
// Annotations are soft-deleted (deleted = true) as in PostHog. Instants are microseconds since
// the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoglet::meta {

// PostHog's scope values.
inline constexpr std::string_view kAnnotationScopeInsight = "dashboard_item";
inline constexpr std::string_view kAnnotationScopeDashboard = "dashboard";
inline constexpr std::string_view kAnnotationScopeProject = "project";
inline constexpr std::string_view kAnnotationScopeOrganization = "organization";

struct AnnotationRecord {
  int64_t id = 0;  // assigned by CreateAnnotation
  int64_t team_id = 0;
  std::string organization_id;         // the project's organization, set by CreateAnnotation
  std::optional<std::string> content;  // at most kMaxAnnotationContentBytes bytes
  std::optional<int64_t> date_marker_us;
  std::string creation_type = "USR";  // "USR" (a person) or "GIT" (a deployment bot)
  std::string scope = std::string(kAnnotationScopeProject);
  std::optional<int64_t> insight_id;  // PostHog's dashboard_item
  std::optional<int64_t> dashboard_id;
  std::optional<std::string> emoji;  // at most kMaxAnnotationEmojiBytes bytes
  std::optional<bool> hidden_in_user_interface;
  bool deleted = false;
  std::optional<int64_t> created_by;  // user id
  int64_t created_at_us = 0;
  int64_t updated_at_us = 0;
};

inline constexpr size_t kMaxAnnotationContentBytes = 8192;
inline constexpr size_t kMaxAnnotationEmojiBytes = 16 * 4;  // 16 characters of UTF-8

}  // namespace hoglet::meta
