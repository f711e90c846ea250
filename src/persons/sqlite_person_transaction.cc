#include "persons/sqlite_person_transaction.h"

#include <set>
#include <utility>
#include <vector>

#include "persons/person_uuid.h"
#include "sqlite/transaction.h"

namespace hoglet::persons {

StatusOr<Person> PersonFromRow(const sqlite::Statement& row, int first) {
  Person person;
  person.team_id = row.ColumnInt64(first);
  std::optional<Uuid> uuid = Uuid::Parse(row.ColumnView(first + 1));
  if (!uuid.has_value()) {
    return DataLossError("persons row has an unparsable uuid '" + row.ColumnText(first + 1) + "'");
  }
  person.uuid = *uuid;
  person.properties = row.ColumnText(first + 2);
  person.is_identified = row.ColumnInt64(first + 3) != 0;
  person.created_at_us = row.ColumnInt64(first + 4);
  person.version = row.ColumnInt64(first + 5);
  return person;
}

namespace {

constexpr int kMaxGroupTypes = 5;

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteWriterState& state, std::unique_lock<std::mutex> lock,
                    sqlite::Transaction txn)
      : state_(state), db_(*state.db), lock_(std::move(lock)), txn_(std::move(txn)) {}

  ~SqliteTransaction() override {
    if (!committed_) Abandon();
  }

  StatusOr<std::optional<Person>> PersonByDistinctId(int64_t team_id,
                                                     std::string_view distinct_id) override {
    if (const DistinctIdEntry* entry = state_.cache.FindDistinctId(team_id, distinct_id)) {
      if (!entry->person.has_value()) return std::optional<Person>();
      Uuid uuid = *entry->person;
      if (const Person* person = state_.cache.FindPerson(team_id, uuid)) {
        return std::optional<Person>(*person);
      }
      return PersonByUuid(team_id, uuid);
    }
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        db_.PrepareCached(std::string("SELECT ") + kPersonColumns +
                          " FROM person_distinct_ids d JOIN persons p ON p.team_id = d.team_id AND "
                          "p.uuid = d.person_uuid WHERE d.team_id = ? AND d.distinct_id = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, distinct_id));
    HOGLET_ASSIGN_OR_RETURN(bool found, query.Step());
    DistinctIdEntry entry;
    if (const DistinctIdEntry* old = state_.cache.FindDistinctId(team_id, distinct_id)) {
      entry.personless = old->personless;
    }
    if (!found) {
      state_.cache.PutDistinctId(team_id, distinct_id, entry);
      return std::optional<Person>();
    }
    HOGLET_ASSIGN_OR_RETURN(Person person, PersonFromRow(query, 0));
    entry.person = person.uuid;
    state_.cache.PutDistinctId(team_id, distinct_id, entry);
    state_.cache.PutPerson(person);
    return std::optional<Person>(std::move(person));
  }

  Status CreatePerson(const Person& person) override {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        db_.PrepareCached(
            "INSERT INTO persons (team_id, uuid, properties, is_identified, created_at, "
            "version) VALUES (?, ?, ?, ?, ?, ?)"));
    HOGLET_RETURN_IF_ERROR(insert.BindAll(person.team_id, person.uuid.ToString(), person.properties,
                                          person.is_identified, person.created_at_us,
                                          person.version));
    TouchPerson(person.team_id, person.uuid);
    HOGLET_RETURN_IF_ERROR(insert.Run());
    state_.cache.PutPerson(person);
    for (const std::string& distinct_id : person.distinct_ids) {
      HOGLET_RETURN_IF_ERROR(InsertDistinctId(person.team_id, distinct_id, person.uuid));
    }
    return Status::Ok();
  }

  Status UpdatePerson(const Person& person) override {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement update,
        db_.PrepareCached("UPDATE persons SET properties = ?, is_identified = ?, created_at = ?, "
                          "version = ? WHERE team_id = ? AND uuid = ?"));
    HOGLET_RETURN_IF_ERROR(update.BindAll(person.properties, person.is_identified,
                                          person.created_at_us, person.version, person.team_id,
                                          person.uuid.ToString()));
    TouchPerson(person.team_id, person.uuid);
    HOGLET_RETURN_IF_ERROR(update.Run());
    if (db_.Changes() == 0) {
      return NotFoundError("no person " + person.uuid.ToString() + " in team " +
                           std::to_string(person.team_id));
    }
    state_.cache.PutPerson(person);
    return Status::Ok();
  }

  Status SetDistinctId(int64_t team_id, std::string_view distinct_id,
                       const Uuid& person_uuid) override {
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement move,
                            db_.PrepareCached("UPDATE person_distinct_ids SET person_uuid = ?1, "
                                              "version = version + 1 WHERE team_id = ?2 AND "
                                              "distinct_id = ?3 AND person_uuid != ?1"));
    HOGLET_RETURN_IF_ERROR(move.BindAll(person_uuid.ToString(), team_id, distinct_id));
    TouchDistinctId(team_id, distinct_id);
    HOGLET_RETURN_IF_ERROR(move.Run());
    if (db_.Changes() > 0) {
      CacheMapping(team_id, distinct_id, person_uuid);
      overrides_moved_.insert(team_id);
      return Status::Ok();
    }
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement exists,
        db_.PrepareCached("SELECT 1 FROM person_distinct_ids WHERE team_id = ? AND "
                          "distinct_id = ?"));
    HOGLET_RETURN_IF_ERROR(exists.BindAll(team_id, distinct_id));
    HOGLET_ASSIGN_OR_RETURN(bool mapped, exists.Step());
    if (mapped) return Status::Ok();  // already points at person_uuid
    return InsertDistinctId(team_id, distinct_id, person_uuid);
  }

  Status MergePersonInto(int64_t team_id, const Uuid& from, const Uuid& to) override {
    std::string from_text = from.ToString();
    std::vector<std::string> moved;
    {
      HOGLET_ASSIGN_OR_RETURN(sqlite::Statement ids,
                              db_.PrepareCached("SELECT distinct_id FROM person_distinct_ids WHERE "
                                                "team_id = ? AND person_uuid = ?"));
      HOGLET_RETURN_IF_ERROR(ids.BindAll(team_id, from_text));
      while (true) {
        HOGLET_ASSIGN_OR_RETURN(bool row, ids.Step());
        if (!row) break;
        moved.push_back(ids.ColumnText(0));
      }
    }
    for (const std::string& distinct_id : moved) TouchDistinctId(team_id, distinct_id);
    if (!moved.empty()) overrides_moved_.insert(team_id);
    TouchPerson(team_id, from);
    TouchPerson(team_id, to);
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement move,
                            db_.PrepareCached("UPDATE person_distinct_ids SET person_uuid = ?, "
                                              "version = version + 1 WHERE team_id = ? AND "
                                              "person_uuid = ?"));
    HOGLET_RETURN_IF_ERROR(move.BindAll(to.ToString(), team_id, from_text));
    HOGLET_RETURN_IF_ERROR(move.Run());
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement erase,
        db_.PrepareCached("DELETE FROM persons WHERE team_id = ? AND uuid = ?"));
    HOGLET_RETURN_IF_ERROR(erase.BindAll(team_id, from_text));
    HOGLET_RETURN_IF_ERROR(erase.Run());
    if (db_.Changes() == 0) {
      return NotFoundError("cannot merge: no person " + from_text + " in team " +
                           std::to_string(team_id));
    }
    HOGLET_RETURN_IF_ERROR(MoveFlagState(team_id, from_text, to.ToString()));
    for (const std::string& distinct_id : moved) CacheMapping(team_id, distinct_id, to);
    state_.cache.ErasePerson(team_id, from);
    return Status::Ok();
  }

  StatusOr<bool> IsPersonlessDistinctId(int64_t team_id, std::string_view distinct_id) override {
    const DistinctIdEntry* cached = state_.cache.FindDistinctId(team_id, distinct_id);
    if (cached != nullptr && cached->personless.has_value()) return *cached->personless;
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        db_.PrepareCached("SELECT 1 FROM personless_distinct_ids WHERE team_id = ? "
                          "AND distinct_id = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, distinct_id));
    HOGLET_ASSIGN_OR_RETURN(bool personless, query.Step());
    if (cached != nullptr) {
      DistinctIdEntry entry = *cached;
      entry.personless = personless;
      state_.cache.PutDistinctId(team_id, distinct_id, entry);
    }
    return personless;
  }

  Status MarkPersonlessDistinctId(int64_t team_id, std::string_view distinct_id) override {
    const DistinctIdEntry* cached = state_.cache.FindDistinctId(team_id, distinct_id);
    if (cached != nullptr && cached->personless == true) return Status::Ok();
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        db_.PrepareCached("INSERT OR IGNORE INTO personless_distinct_ids (team_id, "
                          "distinct_id, is_merged, created_at) VALUES (?, ?, 0, "
                          "CAST((julianday('now') - 2440587.5) * 86400000000 AS "
                          "INTEGER))"));
    HOGLET_RETURN_IF_ERROR(insert.BindAll(team_id, distinct_id));
    TouchDistinctId(team_id, distinct_id);
    HOGLET_RETURN_IF_ERROR(insert.Run());
    if (cached != nullptr) {
      DistinctIdEntry entry = *cached;
      entry.personless = true;
      state_.cache.PutDistinctId(team_id, distinct_id, entry);
    }
    return Status::Ok();
  }

  StatusOr<std::optional<int>> GroupTypeIndex(int64_t team_id,
                                              std::string_view group_type) override {
    HOGLET_ASSIGN_OR_RETURN(auto* types, GroupTypesOf(team_id));
    auto it = types->find(group_type);
    if (it != types->end()) return std::optional<int>(it->second);
    if (types->size() >= kMaxGroupTypes) return std::optional<int>();
    std::set<int> used;
    for (const auto& [name, index] : *types) used.insert(index);
    int index = 0;
    while (used.count(index) > 0) ++index;
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        db_.PrepareCached("INSERT INTO group_type_mapping (team_id, group_type, "
                          "group_type_index) VALUES (?, ?, ?)"));
    HOGLET_RETURN_IF_ERROR(insert.BindAll(team_id, group_type, index));
    touched_teams_.insert(team_id);
    HOGLET_RETURN_IF_ERROR(insert.Run());
    types->emplace(std::string(group_type), index);
    return std::optional<int>(index);
  }

  StatusOr<std::optional<Group>> GroupByKey(int64_t team_id, int group_type_index,
                                            std::string_view group_key) override {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        db_.PrepareCached("SELECT properties, created_at, version FROM groups WHERE "
                          "team_id = ? AND group_type_index = ? AND group_key = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, group_type_index, group_key));
    HOGLET_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return std::optional<Group>();
    Group group;
    group.team_id = team_id;
    group.group_type_index = group_type_index;
    group.group_key = std::string(group_key);
    group.properties = query.ColumnText(0);
    group.created_at_us = query.ColumnInt64(1);
    group.version = query.ColumnInt64(2);
    return std::optional<Group>(std::move(group));
  }

  Status UpsertGroup(const Group& group) override {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement upsert,
        db_.PrepareCached(
            "INSERT INTO groups (team_id, group_type_index, group_key, properties, "
            "created_at, version) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, "
            "group_type_index, group_key) DO UPDATE SET properties = excluded.properties, "
            "created_at = excluded.created_at, version = excluded.version"));
    HOGLET_RETURN_IF_ERROR(upsert.BindAll(group.team_id, group.group_type_index, group.group_key,
                                          group.properties, group.created_at_us, group.version));
    changed_teams_.insert(group.team_id);
    return upsert.Run();
  }

  Status AddWarning(const IngestionWarning& warning) override {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        db_.PrepareCached("INSERT INTO ingestion_warnings (team_id, type, details, "
                          "timestamp) VALUES (?, ?, ?, ?)"));
    HOGLET_RETURN_IF_ERROR(
        insert.BindAll(warning.team_id, warning.type, warning.details, warning.timestamp_us));
    HOGLET_RETURN_IF_ERROR(insert.Run());
    warned_teams_.insert(warning.team_id);
    return Status::Ok();
  }

  Status Commit() override {
    if (committed_) return InternalError("transaction committed twice");
    for (int64_t team_id : warned_teams_) HOGLET_RETURN_IF_ERROR(PruneWarnings(team_id));
    Status status = txn_.Commit();
    if (!status.ok()) return status;  // the destructor rolls back and drops the cache keys
    committed_ = true;
    std::set<int64_t> changed = changed_teams_;
    for (const auto& entry : touched_persons_) changed.insert(entry.first);
    for (const auto& entry : touched_distinct_ids_) changed.insert(entry.first);
    for (int64_t team_id : changed) state_.BumpDataVersion(team_id);
    for (int64_t team_id : overrides_moved_) state_.BumpOverridesVersion(team_id);
    return Status::Ok();
  }

 private:
  // Rollback: the database forgets the writes, the cache forgets every key they touched.
  void Abandon() {
    txn_.Rollback();
    for (const auto& [team_id, distinct_id] : touched_distinct_ids_) {
      state_.cache.EraseDistinctId(team_id, distinct_id);
    }
    for (const auto& [team_id, uuid] : touched_persons_) state_.cache.ErasePerson(team_id, uuid);
    for (int64_t team_id : touched_teams_) state_.group_types.erase(team_id);
  }

  void TouchDistinctId(int64_t team_id, std::string_view distinct_id) {
    touched_distinct_ids_.emplace(team_id, std::string(distinct_id));
  }
  void TouchPerson(int64_t team_id, const Uuid& uuid) { touched_persons_.emplace(team_id, uuid); }

  void CacheMapping(int64_t team_id, std::string_view distinct_id, const Uuid& person_uuid) {
    DistinctIdEntry entry;
    if (const DistinctIdEntry* old = state_.cache.FindDistinctId(team_id, distinct_id)) {
      entry.personless = old->personless;
    }
    entry.person = person_uuid;
    state_.cache.PutDistinctId(team_id, distinct_id, entry);
  }

  StatusOr<std::optional<Person>> PersonByUuid(int64_t team_id, const Uuid& uuid) {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement query,
        db_.PrepareCached(std::string("SELECT ") + kPersonColumns +
                          " FROM persons p WHERE p.team_id = ? AND p.uuid = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id, uuid.ToString()));
    HOGLET_ASSIGN_OR_RETURN(bool found, query.Step());
    if (!found) return std::optional<Person>();
    HOGLET_ASSIGN_OR_RETURN(Person person, PersonFromRow(query, 0));
    state_.cache.PutPerson(person);
    return std::optional<Person>(std::move(person));
  }

  // Hash key overrides and static cohort memberships of `from` go to `to`; where `to` already
  // has a row for the same flag key or cohort, its own row stays and `from`'s is dropped.
  Status MoveFlagState(int64_t team_id, const std::string& from, const std::string& to) {
    struct Move {
      std::string_view copy;   // ?1 team, ?2 from, ?3 to
      std::string_view erase;  // ?1 team, ?2 from
    };
    constexpr Move kMoves[] = {
        {"INSERT OR IGNORE INTO feature_flag_hash_key_overrides (team_id, person_uuid, "
         "feature_flag_key, hash_key) SELECT team_id, ?3, feature_flag_key, hash_key FROM "
         "feature_flag_hash_key_overrides WHERE team_id = ?1 AND person_uuid = ?2",
         "DELETE FROM feature_flag_hash_key_overrides WHERE team_id = ?1 AND person_uuid = ?2"},
        {"INSERT OR IGNORE INTO cohort_people (team_id, cohort_id, person_uuid) SELECT team_id, "
         "cohort_id, ?3 FROM cohort_people WHERE team_id = ?1 AND person_uuid = ?2",
         "DELETE FROM cohort_people WHERE team_id = ?1 AND person_uuid = ?2"},
    };
    for (const Move& move : kMoves) {
      {
        HOGLET_ASSIGN_OR_RETURN(sqlite::Statement copy, db_.PrepareCached(move.copy));
        HOGLET_RETURN_IF_ERROR(copy.BindAll(team_id, from, to));
        HOGLET_RETURN_IF_ERROR(copy.Run());
      }
      HOGLET_ASSIGN_OR_RETURN(sqlite::Statement erase, db_.PrepareCached(move.erase));
      HOGLET_RETURN_IF_ERROR(erase.BindAll(team_id, from));
      HOGLET_RETURN_IF_ERROR(erase.Run());
    }
    return Status::Ok();
  }

  // A new mapping. Version 1 instead of 0 when the id was used personless and the person's
  // uuid is not the id's deterministic one: its past events carry another person_id, and a
  // version above 0 is what makes the mapping an override that moves them (analytics §2.7).
  Status InsertDistinctId(int64_t team_id, std::string_view distinct_id, const Uuid& person_uuid) {
    HOGLET_ASSIGN_OR_RETURN(bool personless, IsPersonlessDistinctId(team_id, distinct_id));
    int64_t version =
        personless && !(DeterministicPersonId(team_id, distinct_id) == person_uuid) ? 1 : 0;
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement insert,
        db_.PrepareCached("INSERT INTO person_distinct_ids (team_id, distinct_id, "
                          "person_uuid, version) VALUES (?, ?, ?, ?)"));
    HOGLET_RETURN_IF_ERROR(insert.BindAll(team_id, distinct_id, person_uuid.ToString(), version));
    TouchDistinctId(team_id, distinct_id);
    if (version > 0) overrides_moved_.insert(team_id);
    HOGLET_RETURN_IF_ERROR(insert.Run());
    if (personless) {
      HOGLET_ASSIGN_OR_RETURN(sqlite::Statement merged,
                              db_.PrepareCached("UPDATE personless_distinct_ids SET is_merged = 1 "
                                                "WHERE team_id = ? AND distinct_id = ?"));
      HOGLET_RETURN_IF_ERROR(merged.BindAll(team_id, distinct_id));
      HOGLET_RETURN_IF_ERROR(merged.Run());
    }
    DistinctIdEntry entry;
    entry.person = person_uuid;
    entry.personless = personless;
    state_.cache.PutDistinctId(team_id, distinct_id, entry);
    return Status::Ok();
  }

  using GroupTypeMap = std::map<std::string, int, std::less<>>;
  StatusOr<GroupTypeMap*> GroupTypesOf(int64_t team_id) {
    auto it = state_.group_types.find(team_id);
    if (it != state_.group_types.end()) return &it->second;
    GroupTypeMap types;
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query,
                            db_.PrepareCached("SELECT group_type, group_type_index FROM "
                                              "group_type_mapping WHERE team_id = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(team_id));
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      types.emplace(query.ColumnText(0), static_cast<int>(query.ColumnInt64(1)));
    }
    return &state_.group_types.emplace(team_id, std::move(types)).first->second;
  }

  Status PruneWarnings(int64_t team_id) {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement prune,
        db_.PrepareCached(
            "DELETE FROM ingestion_warnings WHERE team_id = ?1 AND id <= (SELECT id FROM "
            "ingestion_warnings WHERE team_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)"));
    HOGLET_RETURN_IF_ERROR(
        prune.BindAll(team_id, static_cast<int64_t>(state_.max_warnings_per_team)));
    return prune.Run();
  }

  SqliteWriterState& state_;
  sqlite::Connection& db_;
  std::unique_lock<std::mutex> lock_;
  sqlite::Transaction txn_;  // ends before lock_ is released
  bool committed_ = false;
  std::set<std::pair<int64_t, std::string>> touched_distinct_ids_;
  std::set<int64_t> overrides_moved_;  // teams an id of which became or stopped being an override
  std::set<std::pair<int64_t, Uuid>> touched_persons_;
  std::set<int64_t> touched_teams_;
  std::set<int64_t> warned_teams_;
  std::set<int64_t> changed_teams_;  // teams whose groups changed
};

}  // namespace

StatusOr<std::unique_ptr<Transaction>> BeginSqliteTransaction(SqliteWriterState& state) {
  std::unique_lock<std::mutex> lock(state.write_mutex);
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*state.db));
  return std::unique_ptr<Transaction>(
      new SqliteTransaction(state, std::move(lock), std::move(txn)));
}

}  // namespace hoglet::persons
