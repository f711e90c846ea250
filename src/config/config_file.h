// Reading a TOML configuration file into flat key/value pairs. The file's meaning (which keys
// exist, which types they take) belongs to the option registry; this only parses.
//
// Only top-level keys are returned; a key holding a table or array is returned with type
// kOther so the caller can reject it by name.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace hoglet::config {

enum class TomlType { kString, kInteger, kFloat, kBoolean, kOther };

struct FileEntry {
  std::string key;
  TomlType type = TomlType::kOther;
  std::string text;  // the value as text: a string's contents, "123", "true"; empty for kOther
  int line = 0;      // 1-based line of the value in the file
};

// The top-level entries of the file, in file order. kInvalidArgument when the file cannot be
// read or is not valid TOML, naming the path and, for syntax errors, line and column.
StatusOr<std::vector<FileEntry>> ReadConfigFile(const std::string& path);

// "a string", "an integer", ... for messages.
std::string_view TomlTypeName(TomlType type);

}  // namespace hoglet::config
