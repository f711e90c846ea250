#include "api/static_cohort_upload.h"

#include <set>

#include "api/cohort_csv.h"
#include "api/multipart_form.h"
#include "base/ascii.h"

namespace hoglet::api {
namespace {

Status Invalid(std::string message) {
  return InvalidArgumentError(std::move(message), "invalid_input");
}

}  // namespace

StatusOr<StaticCohortForm> ReadStaticCohortForm(const http::Request& request, std::string* attr) {
  attr->clear();
  HOGLET_ASSIGN_OR_RETURN(std::vector<FormPart> parts,
                          ParseMultipartForm(request.Header("Content-Type"), request.body));
  StaticCohortForm form;
  if (const FormPart* name = FindPart(parts, "name")) {
    *attr = "name";
    if (TrimBlanks(name->data).empty()) return Invalid("This field may not be blank.");
    form.name = std::string(name->data);
  }
  if (const FormPart* description = FindPart(parts, "description")) {
    form.description = std::string(description->data);
  }
  if (const FormPart* is_static = FindPart(parts, "is_static")) {
    *attr = "is_static";
    std::string value = AsciiLower(TrimBlanks(is_static->data));
    if (value == "true" || value == "1") {
      form.is_static = true;
    } else if (value == "false" || value == "0") {
      form.is_static = false;
    } else {
      return Invalid("Must be a valid boolean.");
    }
  }
  *attr = "csv";
  const FormPart* csv = FindPart(parts, "csv");
  if (csv == nullptr) return Invalid("csv: a CSV file of distinct ids is required");
  HOGLET_ASSIGN_OR_RETURN(form.distinct_ids, DistinctIdsFromCsv(csv->data));
  attr->clear();
  return form;
}

StatusOr<std::vector<Uuid>> PersonsOfDistinctIds(persons::PersonStore& store, int64_t team_id,
                                                 const std::vector<std::string>& distinct_ids) {
  std::vector<Uuid> found;
  std::set<Uuid> seen;
  for (const std::string& distinct_id : distinct_ids) {
    HOGLET_ASSIGN_OR_RETURN(auto person, store.PersonByDistinctId(team_id, distinct_id));
    if (person && seen.insert(person->uuid).second) found.push_back(person->uuid);
  }
  return found;
}

}  // namespace hoglet::api
