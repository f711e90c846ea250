#include "persons/sqlite_person_store.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "persons/person_schema.h"
#include "persons/sqlite_person_transaction.h"
#include "sqlite/connection.h"
#include "sqlite/migrations.h"

namespace hoglet::persons {
namespace {

// Rows read per step (and per hold of the reader) when property filters page the persons list.
constexpr size_t kFilteredChunkRows = 1000;

// Persons asked per statement by the reads by uuid (their `IN` list has this many parameters;
// a shorter last batch repeats its final uuid).
constexpr size_t kUuidBatch = 100;

// `SELECT uuid, <column> FROM persons` for one team and a batch of uuids, looked up by the
// (team_id, uuid) unique index. Named, because without statistics SQLite rates a scan of the
// team's rows in persons_team_created (which covers uuid and created_at) as cheaper than the
// lookups, and then every batch of a lifecycle query reads all the team's persons.
std::string ByUuidBatchSql(std::string_view column) {
  std::string sql = "SELECT uuid, " + std::string(column) +
                    " FROM persons INDEXED BY sqlite_autoindex_persons_1"
                    " WHERE team_id = ? AND uuid IN (?";
  for (size_t i = 1; i < kUuidBatch; ++i) sql += ",?";
  return sql + ")";
}

int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SqlitePersonStore final : public PersonStore {
 public:
  SqlitePersonStore(std::unique_ptr<sqlite::Connection> writer,
                    std::unique_ptr<sqlite::Connection> reader,
                    const SqlitePersonStoreOptions& options)
      : writer_(std::move(writer), options.cache_capacity, options.cache_max_bytes,
                options.max_warnings_per_team),
        reader_(std::move(reader)) {}

  StatusOr<std::unique_ptr<Transaction>> Begin() override {
    return BeginSqliteTransaction(writer_);
  }

  StatusOr<std::optional<Person>> PersonByUuid(int64_t team_id, const Uuid& uuid) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached(std::string("SELECT ") + kPersonColumns +
                               " FROM persons p WHERE p.team_id = ? AND p.uuid = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, uuid.ToString()));
    return ReadOnePerson(query);
  }

  StatusOr<std::optional<Person>> PersonByDistinctId(int64_t team_id,
                                                     std::string_view distinct_id) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached(
            std::string("SELECT ") + kPersonColumns +
            " FROM person_distinct_ids d JOIN persons p ON p.team_id = d.team_id AND "
            "p.uuid = d.person_uuid WHERE d.team_id = ? AND d.distinct_id = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, distinct_id));
    return ReadOnePerson(query);
  }

  StatusOr<std::vector<PersonPropertiesRow>> PersonPropertiesByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) override {
    static const std::string sql = ByUuidBatchSql("properties");
    std::vector<PersonPropertiesRow> rows;
    HOGLET_RETURN_IF_ERROR(
        ReadByUuid(sql, team_id, uuids, [&](const Uuid& uuid, const sqlite::Statement& row) {
          rows.push_back({uuid, row.ColumnText(1)});
        }));
    return rows;
  }

  Status ScanPersonProperties(
      int64_t team_id,
      const std::function<Status(const std::vector<PersonPropertiesRow>&)>& visit) override {
    return ScanPersons<PersonPropertiesRow>("properties", team_id, visit,
                                            [](const Uuid& uuid, const sqlite::Statement& row) {
                                              return PersonPropertiesRow{uuid, row.ColumnText(2)};
                                            });
  }

  Status ScanPersonCreatedAt(
      int64_t team_id,
      const std::function<Status(const std::vector<PersonCreatedRow>&)>& visit) override {
    return ScanPersons<PersonCreatedRow>("created_at", team_id, visit,
                                         [](const Uuid& uuid, const sqlite::Statement& row) {
                                           return PersonCreatedRow{uuid, row.ColumnInt64(2)};
                                         });
  }

  StatusOr<size_t> PersonCount(int64_t team_id) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached("SELECT COUNT(*) FROM persons WHERE team_id = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id));
    HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) return InternalError("SELECT COUNT(*) returned no row");
    return static_cast<size_t>(query.ColumnInt64(0));
  }

  StatusOr<std::vector<PersonCreatedRow>> PersonCreatedAtByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) override {
    static const std::string sql = ByUuidBatchSql("created_at");
    std::vector<PersonCreatedRow> rows;
    HOGLET_RETURN_IF_ERROR(
        ReadByUuid(sql, team_id, uuids, [&](const Uuid& uuid, const sqlite::Statement& row) {
          rows.push_back({uuid, row.ColumnInt64(1)});
        }));
    return rows;
  }

  StatusOr<std::vector<Person>> ListPersons(const PersonListQuery& q) override {
    std::vector<Person> persons;
    auto keep = [&](const sqlite::Statement& row) -> StatusOr<bool> {
      HOGLET_ASSIGN_OR_RETURN(Person person, PersonFromRow(row, 0));
      persons.push_back(std::move(person));
      return persons.size() < q.limit;
    };
    if (q.properties.empty()) {
      std::lock_guard<std::mutex> lock(read_mutex_);
      HOGLET_RETURN_IF_ERROR(ScanPersons(q, q.limit, q.offset, nullptr, keep).status());
      for (Person& person : persons) HOGLET_RETURN_IF_ERROR(FillDistinctIds(person));
      return persons;
    }
    // Property filters page here, over chunks of rows read newest first from where the last
    // chunk ended; the reader is released between chunks, so a long scan does not hold up the
    // reads flag evaluation makes.
    size_t skipped = 0;
    size_t scanned = 0;
    std::optional<RowKey> after;
    while (persons.size() < q.limit && scanned < q.max_scanned) {
      const size_t chunk = std::min(kFilteredChunkRows, q.max_scanned - scanned);
      std::lock_guard<std::mutex> lock(read_mutex_);
      HOGLET_ASSIGN_OR_RETURN(size_t read,
                              ScanPersons(q, chunk, 0, after ? &*after : nullptr,
                                          [&](const sqlite::Statement& row) -> StatusOr<bool> {
                                            // kPersonColumns: 1 uuid, 2 properties, 4 created_at.
                                            after = RowKey{row.ColumnInt64(4), row.ColumnText(1)};
                                            if (!MatchesPropertyFilters(q, row.ColumnView(2)))
                                              return true;
                                            if (skipped < q.offset) {
                                              ++skipped;
                                              return true;
                                            }
                                            return keep(row);
                                          }));
      scanned += read;
      if (read < chunk) break;
    }
    std::lock_guard<std::mutex> lock(read_mutex_);
    for (Person& person : persons) HOGLET_RETURN_IF_ERROR(FillDistinctIds(person));
    return persons;
  }

  Status DeletePerson(int64_t team_id, const Uuid& uuid) override {
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, Begin());
    sqlite::Connection& db = *writer_.db;
    std::string uuid_text = uuid.ToString();
    std::vector<std::string> distinct_ids;
    {
      HOGLET_ASSIGN_OR_RETURN(sqlite::Statement ids,
                              db.PrepareCached("SELECT distinct_id FROM person_distinct_ids WHERE "
                                               "team_id = ? AND person_uuid = ?"));
      HOGLET_RETURN_IF_ERROR(ids.BindAll(team_id, uuid_text));
      while (true) {
        HOGLET_ASSIGN_OR_RETURN(bool row, ids.Step());
        if (!row) break;
        distinct_ids.push_back(ids.ColumnText(0));
      }
    }
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement erase,
                            db.PrepareCached("DELETE FROM persons WHERE team_id = ? AND uuid = ?"));
    HOGLET_RETURN_IF_ERROR(erase.BindAll(team_id, uuid_text));
    HOGLET_RETURN_IF_ERROR(erase.Run());
    if (db.Changes() == 0) {
      return NotFoundError("no person " + uuid_text + " in team " + std::to_string(team_id));
    }
    for (const char* sql : {"DELETE FROM person_distinct_ids WHERE team_id = ? AND person_uuid = ?",
                            "DELETE FROM feature_flag_hash_key_overrides WHERE team_id = ? AND "
                            "person_uuid = ?",
                            "DELETE FROM cohort_people WHERE team_id = ? AND person_uuid = ?"}) {
      HOGLET_ASSIGN_OR_RETURN(sqlite::Statement unmap, db.PrepareCached(sql));
      HOGLET_RETURN_IF_ERROR(unmap.BindAll(team_id, uuid_text));
      HOGLET_RETURN_IF_ERROR(unmap.Run());
    }
    // Dropped before commit while the write mutex is held, so no reader of the cache can see
    // the deleted person in between.
    for (const std::string& distinct_id : distinct_ids) {
      writer_.cache.EraseDistinctId(team_id, distinct_id);
    }
    writer_.cache.ErasePerson(team_id, uuid);
    HOGLET_RETURN_IF_ERROR(txn->Commit());
    writer_.BumpDataVersion(team_id);
    writer_.BumpOverridesVersion(team_id);
    return Status::Ok();
  }

  StatusOr<std::vector<GroupType>> GroupTypes(int64_t team_id) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query,
                            reader_->PrepareCached("SELECT group_type, group_type_index FROM "
                                                   "group_type_mapping WHERE team_id = ? ORDER BY "
                                                   "group_type_index"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id));
    std::vector<GroupType> types;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      types.push_back({team_id, query.ColumnText(0), static_cast<int>(query.ColumnInt64(1))});
    }
    return types;
  }

  StatusOr<std::optional<Group>> GroupByKey(int64_t team_id, int group_type_index,
                                            std::string_view group_key) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached("SELECT properties, created_at, version FROM groups "
                               "WHERE team_id = ? AND group_type_index = ? AND "
                               "group_key = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, group_type_index, group_key));
    HOGLET_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return std::optional<Group>();
    return std::optional<Group>(Group{team_id, group_type_index, std::string(group_key),
                                      query.ColumnText(0), query.ColumnInt64(1),
                                      query.ColumnInt64(2)});
  }

  StatusOr<std::vector<Group>> ListGroups(int64_t team_id, int group_type_index, size_t limit,
                                          size_t offset) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached(
            "SELECT group_key, properties, created_at, version FROM groups WHERE "
            "team_id = ? AND group_type_index = ? ORDER BY created_at DESC, "
            "group_key LIMIT ? OFFSET ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, group_type_index, static_cast<int64_t>(limit),
                                         static_cast<int64_t>(offset)));
    std::vector<Group> groups;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      groups.push_back({team_id, group_type_index, query.ColumnText(0), query.ColumnText(1),
                        query.ColumnInt64(2), query.ColumnInt64(3)});
    }
    return groups;
  }

  StatusOr<std::vector<IngestionWarning>> ListWarnings(int64_t team_id, size_t limit) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached("SELECT type, details, timestamp FROM "
                               "ingestion_warnings WHERE team_id = ? ORDER BY id "
                               "DESC LIMIT ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, static_cast<int64_t>(limit)));
    std::vector<IngestionWarning> warnings;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      warnings.push_back({team_id, query.ColumnText(0), query.ColumnText(1), query.ColumnInt64(2)});
    }
    return warnings;
  }

  StatusOr<std::vector<DistinctIdMapping>> DistinctIdMappings(int64_t team_id,
                                                              const Uuid& person_uuid) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    return ReadMappings(team_id, person_uuid);
  }

  StatusOr<std::vector<DistinctIdMapping>> DistinctIdOverrides(int64_t team_id) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query,
                            reader_->PrepareCached("SELECT distinct_id, person_uuid, version FROM "
                                                   "person_distinct_ids WHERE team_id = ? AND "
                                                   "version > 0"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id));
    std::vector<DistinctIdMapping> overrides;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      std::optional<Uuid> person = Uuid::Parse(query.ColumnText(1));
      if (!person) return DataLossError("person_distinct_ids holds a malformed person uuid");
      overrides.push_back({query.ColumnText(0), *person, query.ColumnInt64(2)});
    }
    return overrides;
  }

  StatusOr<std::unordered_map<std::string, std::string>> HashKeyOverrides(
      int64_t team_id, const Uuid& person_uuid) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached("SELECT feature_flag_key, hash_key FROM "
                               "feature_flag_hash_key_overrides WHERE team_id = ? "
                               "AND person_uuid = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, person_uuid.ToString()));
    std::unordered_map<std::string, std::string> overrides;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      overrides.emplace(query.ColumnText(0), query.ColumnText(1));
    }
    return overrides;
  }

  Status AddHashKeyOverrides(int64_t team_id, const Uuid& person_uuid,
                             const std::vector<std::string>& flag_keys,
                             std::string_view hash_key) override {
    if (flag_keys.empty()) return Status::Ok();
    // Begin() takes the write mutex: this write waits for an open batch like any transaction.
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, Begin());
    // A person deleted or merged away since the caller read it gets nothing: its rows would
    // never be cleaned up.
    const std::string uuid_text = person_uuid.ToString();
    for (const std::string& flag_key : flag_keys) {
      // Borrowed once per row: the borrow's end resets the statement for the next one.
      HOGLET_ASSIGN_OR_RETURN(sqlite::Statement insert,
                              writer_.db->PrepareCached(
                                  "INSERT OR IGNORE INTO feature_flag_hash_key_overrides (team_id, "
                                  "person_uuid, feature_flag_key, hash_key) SELECT ?1, ?2, ?3, ?4 "
                                  "WHERE EXISTS (SELECT 1 FROM persons WHERE team_id = ?1 AND "
                                  "uuid = ?2)"));
      HOGLET_RETURN_IF_ERROR(insert.BindAll(team_id, uuid_text, flag_key, hash_key));
      HOGLET_RETURN_IF_ERROR(insert.Run());
    }
    return txn->Commit();
  }

  StatusOr<std::vector<int64_t>> StaticCohortsOf(int64_t team_id,
                                                 const Uuid& person_uuid) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query,
                            reader_->PrepareCached("SELECT cohort_id FROM cohort_people WHERE "
                                                   "team_id = ? AND person_uuid = ? ORDER BY "
                                                   "cohort_id"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, person_uuid.ToString()));
    std::vector<int64_t> cohorts;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      cohorts.push_back(query.ColumnInt64(0));
    }
    return cohorts;
  }

  StatusOr<size_t> AddPersonsToStaticCohort(int64_t team_id, int64_t cohort_id,
                                            const std::vector<Uuid>& person_uuids) override {
    if (person_uuids.empty()) return size_t{0};
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, Begin());
    size_t added = 0;
    for (const Uuid& uuid : person_uuids) {
      HOGLET_ASSIGN_OR_RETURN(
          sqlite::Statement insert,
          writer_.db->PrepareCached("INSERT OR IGNORE INTO cohort_people (team_id, cohort_id, "
                                    "person_uuid) SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM "
                                    "persons WHERE team_id = ?1 AND uuid = ?3)"));
      HOGLET_RETURN_IF_ERROR(insert.BindAll(team_id, cohort_id, uuid.ToString()));
      HOGLET_RETURN_IF_ERROR(insert.Run());
      added += static_cast<size_t>(writer_.db->Changes());
    }
    HOGLET_RETURN_IF_ERROR(txn->Commit());
    if (added > 0) writer_.BumpDataVersion(team_id);
    return added;
  }

  StatusOr<size_t> StaticCohortSize(int64_t team_id, int64_t cohort_id) override {
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query,
                            reader_->PrepareCached("SELECT COUNT(*) FROM cohort_people WHERE "
                                                   "team_id = ? AND cohort_id = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, cohort_id));
    HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) return InternalError("SELECT COUNT(*) returned no row");
    return static_cast<size_t>(query.ColumnInt64(0));
  }

  uint64_t DataVersion(int64_t team_id) const override {
    std::lock_guard<std::mutex> lock(writer_.versions_mutex);
    auto it = writer_.data_versions.find(team_id);
    return it == writer_.data_versions.end() ? 0 : it->second;
  }

  uint64_t OverridesVersion(int64_t team_id) const override {
    std::lock_guard<std::mutex> lock(writer_.versions_mutex);
    auto it = writer_.overrides_versions.find(team_id);
    return it == writer_.overrides_versions.end() ? 0 : it->second;
  }

  PersonStoreStats Stats() const override {
    PersonCacheStats cache = writer_.cache.Stats();
    PersonStoreStats stats;
    stats.cache_entries = cache.distinct_id_entries + cache.person_entries;
    stats.cache_bytes = cache.approximate_bytes;
    stats.cache_hits = cache.hits;
    stats.cache_misses = cache.misses;
    return stats;
  }

 private:
  // Runs `batch_sql` (ByUuidBatchSql) over `uuids`, deduplicated, kUuidBatch at a time, telling
  // `read` each row found with its uuid.
  // The team's persons by rowid, past the last chunk's end, without the (team_id, uuid) index:
  // the table's pages in order, the reader released between chunks. `column` is read as the
  // statement's third column.
  template <typename Row>
  Status ScanPersons(std::string_view column, int64_t team_id,
                     const std::function<Status(const std::vector<Row>&)>& visit,
                     const std::function<Row(const Uuid&, const sqlite::Statement&)>& make) {
    const std::string sql = "SELECT id, uuid, " + std::string(column) +
                            " FROM persons NOT INDEXED WHERE id > ? AND team_id = ? ORDER BY id "
                            "LIMIT ?";
    int64_t after = 0;
    std::vector<Row> rows;
    while (true) {
      rows.clear();
      {
        std::lock_guard<std::mutex> lock(read_mutex_);
        HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query, reader_->PrepareCached(sql));
        HOGLET_RETURN_IF_ERROR(
            query.BindAll(after, team_id, static_cast<int64_t>(kPersonScanChunk)));
        while (true) {
          HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
          if (!row) break;
          after = query.ColumnInt64(0);
          std::optional<Uuid> uuid = Uuid::Parse(query.ColumnView(1));
          if (!uuid) return DataLossError("persons holds a malformed person uuid");
          rows.push_back(make(*uuid, query));
        }
      }
      if (rows.empty()) return Status::Ok();
      HOGLET_RETURN_IF_ERROR(visit(rows));
      if (rows.size() < kPersonScanChunk) return Status::Ok();
    }
  }

  Status ReadByUuid(const std::string& batch_sql, int64_t team_id, const std::vector<Uuid>& uuids,
                    const std::function<void(const Uuid&, const sqlite::Statement&)>& read) {
    std::vector<std::string> keys;
    keys.reserve(uuids.size());
    for (const Uuid& uuid : uuids) keys.push_back(uuid.ToString());
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (keys.empty()) return Status::Ok();
    std::lock_guard<std::mutex> lock(read_mutex_);
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query, reader_->PrepareCached(batch_sql));
    for (size_t begin = 0; begin < keys.size(); begin += kUuidBatch) {
      HOGLET_RETURN_IF_ERROR(query.Reset());
      HOGLET_RETURN_IF_ERROR(query.Bind(1, team_id));
      for (size_t i = 0; i < kUuidBatch; ++i) {
        const std::string& key = keys[std::min(begin + i, keys.size() - 1)];
        HOGLET_RETURN_IF_ERROR(query.Bind(static_cast<int>(i) + 2, key));
      }
      while (true) {
        HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
        if (!row) break;
        std::optional<Uuid> uuid = Uuid::Parse(query.ColumnView(0));
        if (!uuid) return DataLossError("persons holds a malformed person uuid");
        read(*uuid, query);
      }
    }
    return Status::Ok();
  }

  StatusOr<std::optional<Person>> ReadOnePerson(sqlite::Statement& query) {
    HOGLET_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return std::optional<Person>();
    HOGLET_ASSIGN_OR_RETURN(Person person, PersonFromRow(query, 0));
    HOGLET_RETURN_IF_ERROR(FillDistinctIds(person));
    return std::optional<Person>(std::move(person));
  }

  // Where a scan of the persons list stopped: the last row's sort key.
  struct RowKey {
    int64_t created_at_us = 0;
    std::string uuid;
  };

  // Reads the persons of q.team_id matching q.distinct_id and q.search, newest first (created_at,
  // then uuid), skipping `offset`, strictly after `after` when given, at most `rows` of them;
  // calls `visit` with each row until it returns false. Returns the number of rows read. The
  // caller holds read_mutex_.
  StatusOr<size_t> ScanPersons(
      const PersonListQuery& q, size_t rows, size_t offset, const RowKey* after,
      const std::function<StatusOr<bool>(const sqlite::Statement&)>& visit) {
    // Empty filter parameters mean "no filter", so one cached statement serves every query.
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        reader_->PrepareCached(
            std::string("SELECT ") + kPersonColumns +
            " FROM persons p WHERE p.team_id = ?1"
            " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM person_distinct_ids d WHERE d.team_id ="
            " p.team_id AND d.person_uuid = p.uuid AND d.distinct_id = ?2))"
            " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM person_distinct_ids d WHERE d.team_id ="
            " p.team_id AND d.person_uuid = p.uuid AND instr(lower(d.distinct_id), lower(?3)))"
            " OR instr(lower(COALESCE(json_extract(p.properties, '$.email'), '')), lower(?3))"
            " OR instr(lower(COALESCE(json_extract(p.properties, '$.name'), '')), lower(?3)))"
            " AND (?6 IS NULL OR p.created_at < ?6 OR (p.created_at = ?6 AND p.uuid < ?7))"
            " ORDER BY p.created_at DESC, p.uuid DESC LIMIT ?4 OFFSET ?5"));
    HOGLET_RETURN_IF_ERROR(query.Bind(1, q.team_id));
    if (q.distinct_id.has_value()) HOGLET_RETURN_IF_ERROR(query.Bind(2, *q.distinct_id));
    if (q.search.has_value()) HOGLET_RETURN_IF_ERROR(query.Bind(3, *q.search));
    HOGLET_RETURN_IF_ERROR(query.Bind(4, static_cast<int64_t>(rows)));
    HOGLET_RETURN_IF_ERROR(query.Bind(5, static_cast<int64_t>(offset)));
    if (after != nullptr) {
      HOGLET_RETURN_IF_ERROR(query.Bind(6, after->created_at_us));
      HOGLET_RETURN_IF_ERROR(query.Bind(7, after->uuid));
    }
    size_t read = 0;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      ++read;
      HOGLET_ASSIGN_OR_RETURN(bool more, visit(query));
      if (!more) break;
    }
    return read;
  }

  Status FillDistinctIds(Person& person) {
    HOGLET_ASSIGN_OR_RETURN(auto mappings, ReadMappings(person.team_id, person.uuid));
    person.distinct_ids.clear();
    for (DistinctIdMapping& mapping : mappings) {
      person.distinct_ids.push_back(std::move(mapping.distinct_id));
    }
    return Status::Ok();
  }

  StatusOr<std::vector<DistinctIdMapping>> ReadMappings(int64_t team_id, const Uuid& person_uuid) {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        // Without the hint SQLite walks the team's whole primary key to save sorting the
        // person's few ids: a scan of every distinct id of the team per person read.
        reader_->PrepareCached("SELECT distinct_id, version FROM person_distinct_ids "
                               "INDEXED BY person_distinct_ids_person "
                               "WHERE team_id = ? AND person_uuid = ? ORDER BY "
                               "distinct_id"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, person_uuid.ToString()));
    std::vector<DistinctIdMapping> mappings;
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      mappings.push_back({query.ColumnText(0), person_uuid, query.ColumnInt64(1)});
    }
    return mappings;
  }

  SqliteWriterState writer_;
  std::mutex read_mutex_;
  std::unique_ptr<sqlite::Connection> reader_;  // GUARDED_BY(read_mutex_)
};

}  // namespace

StatusOr<std::unique_ptr<PersonStore>> OpenSqlitePersonStore(
    const std::string& path, const SqlitePersonStoreOptions& options) {
  sqlite::OpenOptions reader_options;
  reader_options.name = "persons database";
  reader_options.busy_timeout_ms = options.busy_timeout_ms;
  // The default 2 MB page cache makes cache misses of person processing cost a pread each;
  // the writer gets a larger one and reads through a memory map.
  sqlite::OpenOptions writer_options = reader_options;
  writer_options.page_cache_kib = options.sqlite_page_cache_kib;
  writer_options.mmap_bytes = int64_t{1} << 30;
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Connection> writer,
                          sqlite::Connection::Open(path, writer_options));
  HOGLET_RETURN_IF_ERROR(sqlite::Migrate(*writer, PersonsSchemaMigrations(), WallClockMicros()));
  // The API reads through a second connection: WAL lets it see the last committed state while a
  // batch transaction is open on the writer, instead of waiting for the batch. It reads through a
  // memory map too: a query reading many persons' properties then copies no page through pread.
  reader_options.mmap_bytes = int64_t{1} << 30;
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Connection> reader,
                          sqlite::Connection::Open(path, reader_options));
  return std::unique_ptr<PersonStore>(
      new SqlitePersonStore(std::move(writer), std::move(reader), options));
}

}  // namespace hoglet::persons
