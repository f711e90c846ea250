#include "meta/sqlite_json_check.h"

#include <string>

namespace hoglet::meta {
namespace {

std::string_view ShapeName(JsonShape shape) {
  switch (shape) {
    case JsonShape::kObject:
      return "a JSON object";
    case JsonShape::kArray:
      return "a JSON array";
    case JsonShape::kArrayOfStrings:
      return "a JSON array of strings";
  }
  return "JSON";
}

}  // namespace

Status CheckJsonShape(sqlite::Connection& db, std::string_view json, JsonShape shape,
                      std::string_view field, std::string_view reason) {
  // json_each over invalid JSON is an error, so validity is decided first by the CASE.
  std::string_view sql;
  switch (shape) {
    case JsonShape::kObject:
      sql = "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' ELSE 0 END";
      break;
    case JsonShape::kArray:
      sql = "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'array' ELSE 0 END";
      break;
    case JsonShape::kArrayOfStrings:
      sql =
          "SELECT CASE WHEN json_valid(?1) AND json_type(?1) = 'array' THEN "
          "NOT EXISTS (SELECT 1 FROM json_each(?1) WHERE type <> 'text') ELSE 0 END";
      break;
  }
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement check, db.Prepare(sql));
  HOGLET_RETURN_IF_ERROR(check.BindAll(json));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, check.Step());
  const bool matches = has_row && check.ColumnBool(0);
  if (!matches) {
    return InvalidArgumentError(std::string(field) + " must be " + std::string(ShapeName(shape)),
                                std::string(reason));
  }
  return Status::Ok();
}

}  // namespace hoglet::meta
