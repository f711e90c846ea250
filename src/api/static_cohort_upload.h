// A static cohort made from, or grown by, a CSV file of distinct ids: the multipart/form-data
// body PostHog's app sends to POST …/cohorts/ (fields `name`, `description`, `is_static`
// ("true") and the file `csv`) or PATCH …/cohorts/{id}/ (the file `csv`, other fields as in a
// JSON body). The distinct ids are read by api/cohort_csv.h and turned into persons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "http/message.h"
#include "persons/person_store.h"

namespace hoglet::api {

struct StaticCohortForm {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> is_static;
  std::vector<std::string> distinct_ids;  // from the csv file, when one was sent
};

// The form of a multipart request. kInvalidArgument with `*attr` naming the field at fault: a
// body that is not multipart/form-data, no csv file, a bad CSV (cohort_csv.h), an is_static other
// than true/false, a blank name.
StatusOr<StaticCohortForm> ReadStaticCohortForm(const http::Request& request, std::string* attr);

// The persons the distinct ids name, each once, in the order of the ids; unknown ids are skipped.
StatusOr<std::vector<Uuid>> PersonsOfDistinctIds(persons::PersonStore& store, int64_t team_id,
                                                 const std::vector<std::string>& distinct_ids);

}  // namespace hoglet::api
