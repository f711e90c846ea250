#include "api/cohort_csv.h"

#include <unordered_set>

#include "base/ascii.h"

namespace hoglet::api {
namespace {

Status Invalid(std::string message) {
  return InvalidArgumentError("csv: " + std::move(message), "invalid_input");
}

// Whether `text` is well-formed UTF-8 (lead and continuation bytes; overlong forms are not
// looked for).
bool IsUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
    } else if ((c >> 4) == 0xE) {
      extra = 2;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0x80) {
      return false;
    }
    if (text.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Splits `csv` into rows of fields. kInvalidArgument for an unterminated quoted field.
StatusOr<std::vector<std::vector<std::string>>> ParseRows(std::string_view csv) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool row_has_content = false;
  size_t i = 0;
  auto end_row = [&] {
    if (row_has_content || !field.empty()) row.push_back(std::move(field));
    if (!row.empty()) rows.push_back(std::move(row));
    row.clear();
    field.clear();
    row_has_content = false;
  };
  while (i < csv.size()) {
    char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        field.push_back('"');
        i += 2;
        continue;
      }
      if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
      ++i;
      continue;
    }
    if (c == '"') {
      quoted = true;
      row_has_content = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      row_has_content = true;
    } else if (c == '\n' || c == '\r') {
      end_row();
      if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') ++i;
    } else {
      field.push_back(c);
    }
    ++i;
  }
  if (quoted) return Invalid("a quoted field is not closed");
  end_row();
  return rows;
}

}  // namespace

StatusOr<std::vector<std::string>> DistinctIdsFromCsv(std::string_view csv) {
  if (csv.size() > kMaxCohortCsvBytes) {
    return Invalid("the file is larger than " + std::to_string(kMaxCohortCsvBytes >> 20) + " MiB");
  }
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);  // a byte order mark
  if (!IsUtf8(csv)) return Invalid("the file is not UTF-8 text");
  HOGLET_ASSIGN_OR_RETURN(auto rows, ParseRows(csv));
  size_t column = 0;
  size_t first_row = 0;
  if (!rows.empty()) {
    for (size_t i = 0; i < rows[0].size(); ++i) {
      if (EqualsIgnoreAsciiCase(TrimBlanks(rows[0][i]), "distinct_id")) {
        column = i;
        first_row = 1;
        break;
      }
    }
  }
  std::vector<std::string> ids;
  std::unordered_set<std::string> seen;
  for (size_t r = first_row; r < rows.size(); ++r) {
    if (column >= rows[r].size()) continue;
    std::string id(TrimBlanks(rows[r][column]));
    if (id.empty() || !seen.insert(id).second) continue;
    if (ids.size() == kMaxCohortCsvDistinctIds) {
      return Invalid("more than " + std::to_string(kMaxCohortCsvDistinctIds) + " distinct ids");
    }
    ids.push_back(std::move(id));
  }
  if (ids.empty()) return Invalid("the file has no distinct ids");
  return ids;
}

}  // namespace hoglet::api
