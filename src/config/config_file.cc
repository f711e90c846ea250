#include "config/config_file.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hoglet::config {

StatusOr<std::vector<FileEntry>> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidArgumentError("cannot read config file '" + path + "': " + std::strerror(errno));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  std::string text = contents.str();

  // toml++ reports syntax errors by throwing; this is the only place it is called, so the
  // exception stops here and becomes a Status.
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& error) {
    const toml::source_position& begin = error.source().begin;
    return InvalidArgumentError(
        "config file '" + path + "' is not valid TOML: line " + std::to_string(begin.line) +
        ", column " + std::to_string(begin.column) + ": " + std::string(error.description()));
  }

  std::vector<FileEntry> entries;
  for (const auto& [key, node] : table) {
    FileEntry entry;
    entry.key = std::string(key.str());
    entry.line = static_cast<int>(node.source().begin.line);
    if (const auto* value = node.as_string()) {
      entry.type = TomlType::kString;
      entry.text = value->get();
    } else if (const auto* value = node.as_integer()) {
      entry.type = TomlType::kInteger;
      entry.text = std::to_string(value->get());
    } else if (const auto* value = node.as_boolean()) {
      entry.type = TomlType::kBoolean;
      entry.text = value->get() ? "true" : "false";
    } else if (node.is_floating_point()) {
      entry.type = TomlType::kFloat;
    }
    entries.push_back(std::move(entry));
  }
  // toml::table iterates in key order; report in file order so errors point at the first
  // offending line.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const FileEntry& a, const FileEntry& b) { return a.line < b.line; });
  return entries;
}

std::string_view TomlTypeName(TomlType type) {
  switch (type) {
    case TomlType::kString:
      return "a string";
    case TomlType::kInteger:
      return "an integer";
    case TomlType::kFloat:
      return "a float";
    case TomlType::kBoolean:
      return "a boolean";
    case TomlType::kOther:
      return "a table, array or date";
  }
  return "a value";
}

}  // namespace hoglet::config
