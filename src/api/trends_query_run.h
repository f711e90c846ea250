// A TrendsQuery run for a project against the stores: the person identities, person, group and
// cohort data, actions and test-account filters it reads are gathered from the person and
// metadata stores, the query runs on the embedded engine within its budget (query/query_budget.h),
// and the answer's fields come back as a JSON object: `results`, `hasMore`,
// `resolved_date_range`, `timezone`, `timings`, `hogql`, `modifiers`, `error` (the caller adds
// the cache fields).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api_context.h"
#include "api/query_persons.h"
#include "api/query_sources.h"
#include "base/json_writer.h"
#include "base/status.h"
#include "base/time_zone.h"
#include "hogql/executor/executor.h"
#include "hogql/executor/row_expression_compiler.h"
#include "meta/meta_store.h"
#include "query/date_range.h"
#include "query/hogql_filters.h"
#include "query/query_budget.h"
#include "query/trends_query.h"
#include "query/trends_runner.h"

namespace hoglet::api {

// What a TrendsQuery reads from the stores, gathered for one run: the project's clock, persons'
// identities and properties, groups, cohorts, actions and test-account filters, and the budget.
// Not thread-safe; used by the thread running the query.
class TrendsRun {
 public:
  TrendsRun(const ApiContext& context, const meta::Project& project,
            const std::atomic<bool>& cancelled);
  TrendsRun(const TrendsRun&) = delete;
  TrendsRun& operator=(const TrendsRun&) = delete;

  // kInvalidArgument for an action or a breakdown's cohort the project does not have, or
  // test-account filters queries cannot apply; kUnavailable when the store cannot be queried; the
  // stores' errors otherwise.
  Status Prepare(const query::TrendsQuery& trends);

  // The same for any insight query: its date range (date_from "all" reads the first event),
  // whether it applies the test-account filters, and the actions it names, each with the field
  // that names it ("query.series[1].id") for the error when the project has no such action.
  Status Prepare(const query::DateRangeSpec& date_range, bool filter_test_accounts,
                 const std::vector<std::pair<int64_t, std::string>>& actions);

  // After Prepare.
  query::TrendsContext& context() { return run_; }
  const store::ScanSource* source() const { return source_; }

 private:
  const ApiContext& api_;
  const meta::Project project_;
  query::QueryBudget budget_;
  SharedOverrides overrides_;
  StoredPersonProperties person_properties_;
  StoredGroupProperties group_properties_;
  StoredCohorts stored_cohorts_;
  query::CohortMembership cohorts_;
  std::unique_ptr<query::ScannedBehavior> behavior_;  // what cohorts' behavioural criteria read
  // HogQL breakdowns and filters read persons as the rest of the run does.
  hogql::HogQLRunContext hogql_context_;
  std::unique_ptr<hogql::RowExpressionCompiler> hogql_;
  std::unique_ptr<query::HogQLFilters> hogql_filters_;
  query::TrendsContext run_;
  const store::ScanSource* source_ = nullptr;
};

// The fields every insight answer ends with: `resolved_date_range`, `timezone`, `hogql` (the
// text given, else null: api/trends_hogql.h), `timings`, `modifiers` and `error`, written into
// the open response object, which they close.
void WriteInsightResponseFields(const query::DateRange& range, const TimeZone& zone, JsonWriter* w,
                                const std::optional<std::string>& hogql = std::nullopt);

// `spec_json` is the TrendsQuery object. kInvalidArgument naming the field for a malformed query
// or what this server does not compute yet; kDeadlineExceeded past the time limit; kUnavailable
// (reason "cancelled") once `cancelled` is set, or when the store cannot be queried.
StatusOr<std::string> RunTrendsQuery(const ApiContext& context, const meta::Project& project,
                                     std::string_view spec_json,
                                     const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
