// The REST edge of a project's resources kept in the metadata store (actions, cohorts, feature
// flags), as PostHog's model viewsets shape it:
//
//   GET    …/          ListRecords       200 page of the live records (api/pagination.h)
//   POST   …/          CreateRecord      201 the new record
//   GET    …/{id}/     GetRecord         200 the record, soft-deleted or not
//   PATCH  …/{id}/     UpdateRecord      200 the changed record
//   DELETE …/{id}/     SoftDeleteRecord  204; the record is kept, marked deleted
//
// A handler file describes its resource once (StoredResource: how records are read, stored and
// shown) and supplies only what differs: which list items a request keeps, and how a body changes
// a record (ApplyChange). Each function returns the handler's answer for RespondInProject
// (api/handler_result.h); the project is the one the caller was authorized for.
//
// Errors: an `{id}` that names no record of the project is kNotFound ("no <what> with id …");
// a body that is not a JSON object is JsonBody::Parse's kInvalidArgument; an ApplyChange error is
// answered naming its field; a store error on create or update goes through `write_error`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/handler_result.h"
#include "api/id_param.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "base/status.h"
#include "http/error_response.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// The page size of a list without `limit`, and the largest `limit` accepted.
inline constexpr size_t kResourceDefaultLimit = 100;
inline constexpr size_t kResourceMaxLimit = 10'000;

// How one kind of record is read, stored and shown. `Record` has `id`, `team_id` and `deleted`.
template <typename Record>
struct StoredResource {
  // Names the resource in messages: "feature flag" → "no feature flag with id 7 in this project".
  std::string_view what;
  // Record `id` of project `team_id`, soft-deleted or not; kNotFound when there is none.
  std::function<StatusOr<Record>(int64_t team_id, int64_t id)> read;
  // The project's live records in the order a list shows them.
  std::function<StatusOr<std::vector<Record>>(int64_t team_id)> list;
  // Stores a new record, or a changed one; the record as stored.
  std::function<StatusOr<Record>(const Record&)> create;
  std::function<StatusOr<Record>(const Record&)> update;
  // A response with the record's JSON.
  std::function<http::Response(int status, const Record&)> response;
  // The answer to a store error from create or update.
  std::function<http::Response(const Status&)> write_error = [](const Status& status) {
    return http::ErrorResponse(status);
  };
};

// The metadata store's methods that keep one kind of record (e.g. &meta::MetaStore::ActionById).
template <typename Record>
struct MetaStoreMethods {
  StatusOr<Record> (meta::MetaStore::*read)(int64_t team_id, int64_t id) const;
  StatusOr<std::vector<Record>> (meta::MetaStore::*list)(int64_t team_id,
                                                         bool include_deleted) const;
  StatusOr<Record> (meta::MetaStore::*create)(const Record& record);
  StatusOr<Record> (meta::MetaStore::*update)(const Record& record);
};

// How records are listed: in the store's order (by id), or newest first (NewestFirst).
enum class ListOrder { kById, kNewestFirst };

// A resource kept in `store` (which outlives it) through `methods`, each record shown by
// `response`.
template <typename Record>
StoredResource<Record> MetaStoreResource(
    std::string_view what, meta::MetaStore& store, const MetaStoreMethods<Record>& methods,
    ListOrder order, std::function<http::Response(int status, const Record&)> response);

// Applies a request body to `*record`: the stored record's copy for PATCH, the defaults of a new
// one for POST (then `stored` is null). An error is the answer; `*attr` names the body field at
// fault, left empty when the error is not about one field.
template <typename Record>
using ApplyChange = std::function<Status(const JsonBody& body, const Record* stored, Record* record,
                                         std::string* attr)>;

// `records` ordered newest first (created_at_us, then id, both descending), as PostHog lists
// cohorts and flags.
template <typename Record>
StatusOr<std::vector<Record>> NewestFirst(StatusOr<std::vector<Record>> records) {
  if (records.ok()) {
    std::sort(records->begin(), records->end(), [](const Record& a, const Record& b) {
      return a.created_at_us != b.created_at_us ? a.created_at_us > b.created_at_us : a.id > b.id;
    });
  }
  return records;
}

template <typename Record>
StoredResource<Record> MetaStoreResource(
    std::string_view what, meta::MetaStore& store, const MetaStoreMethods<Record>& methods,
    ListOrder order, std::function<http::Response(int status, const Record&)> response) {
  StoredResource<Record> resource;
  resource.what = what;
  resource.read = [&store, read = methods.read](int64_t team_id, int64_t id) {
    return (store.*read)(team_id, id);
  };
  resource.list = [&store, list = methods.list, order](int64_t team_id) {
    StatusOr<std::vector<Record>> records = (store.*list)(team_id, false);
    if (order == ListOrder::kNewestFirst) return NewestFirst(std::move(records));
    return records;
  };
  resource.create = [&store, create = methods.create](const Record& record) {
    return (store.*create)(record);
  };
  resource.update = [&store, update = methods.update](const Record& record) {
    return (store.*update)(record);
  };
  resource.response = std::move(response);
  return resource;
}

// The record the `{id}` path parameter names in `project`.
template <typename Record>
StatusOr<Record> ResourceFromPath(const StoredResource<Record>& resource,
                                  const meta::Project& project, const http::Request& request) {
  return RecordFromPath(request, resource.what,
                        [&](int64_t id) { return resource.read(project.id, id); });
}

// A `limit`/`offset` page of the live records for which `keep(record, params)` holds, each
// written by `write_item(record, JsonWriter*)`.
template <typename Record, typename Keep, typename WriteItem>
StatusOr<http::Response> ListRecords(const StoredResource<Record>& resource,
                                     const meta::Project& project, const http::Request& request,
                                     Keep&& keep, WriteItem&& write_item) {
  const QueryParams params = request.Params();
  HOGLET_ASSIGN_OR_RETURN(PageRequest page,
                          ParsePageRequest(params, kResourceDefaultLimit, kResourceMaxLimit));
  HOGLET_ASSIGN_OR_RETURN(std::vector<Record> records, resource.list(project.id));
  std::erase_if(records, [&](const Record& record) { return !keep(record, params); });
  return PageOfListResponse(request, params, page, records, write_item);
}

// A new record: `defaults` with the body applied, stored.
template <typename Record>
StatusOr<http::Response> CreateRecord(const StoredResource<Record>& resource,
                                      const http::Request& request, Record defaults,
                                      const ApplyChange<Record>& apply) {
  HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
  std::string attr;
  if (auto refused = FieldErrorOf(apply(body, nullptr, &defaults, &attr), attr)) return *refused;
  StatusOr<Record> created = resource.create(defaults);
  if (!created.ok()) return resource.write_error(created.status());
  return resource.response(201, *created);
}

template <typename Record>
StatusOr<http::Response> GetRecord(const StoredResource<Record>& resource,
                                   const meta::Project& project, const http::Request& request) {
  HOGLET_ASSIGN_OR_RETURN(Record record, ResourceFromPath(resource, project, request));
  return resource.response(200, record);
}

// The `{id}` record with the body applied, stored.
template <typename Record>
StatusOr<http::Response> UpdateRecord(const StoredResource<Record>& resource,
                                      const meta::Project& project, const http::Request& request,
                                      const ApplyChange<Record>& apply) {
  HOGLET_ASSIGN_OR_RETURN(Record stored, ResourceFromPath(resource, project, request));
  HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
  Record changed = stored;
  std::string attr;
  if (auto refused = FieldErrorOf(apply(body, &stored, &changed, &attr), attr)) return *refused;
  StatusOr<Record> updated = resource.update(changed);
  if (!updated.ok()) return resource.write_error(updated.status());
  return resource.response(200, *updated);
}

// Marks the `{id}` record deleted, unless it already is, once `check(stored, changed)` allows it
// (its error is the answer). PostHog deletes these resources softly through PATCH; DELETE is
// that soft delete here, so a record's id and history stay.
template <typename Record, typename Check>
StatusOr<http::Response> SoftDeleteRecord(const StoredResource<Record>& resource,
                                          const meta::Project& project,
                                          const http::Request& request, Check&& check) {
  HOGLET_ASSIGN_OR_RETURN(Record stored, ResourceFromPath(resource, project, request));
  if (!stored.deleted) {
    Record changed = stored;
    changed.deleted = true;
    HOGLET_RETURN_IF_ERROR(check(stored, changed));
    StatusOr<Record> updated = resource.update(changed);
    if (!updated.ok()) return resource.write_error(updated.status());
  }
  return NoContentResponse();
}

}  // namespace hoglet::api
