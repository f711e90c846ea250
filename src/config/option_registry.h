// The one list of `hoglet serve` options. Each entry names the option, says which TOML types
// it accepts, documents it and knows how to parse, validate and print its value. The loader,
// --help and docs/configuration.md are all generated from this list, so adding an option means
// adding one entry in option_registry.cc (and a field to ServeOptions).
//
// Thread safety: the registry is built on first use and immutable afterwards.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/serve_options.h"

namespace hoglet::config {

// What a value looks like; decides which TOML types a file may use for it.
enum class OptionKind {
  kString,   // TOML string
  kInteger,  // TOML integer
  kBytes,    // TOML integer (bytes) or string with a unit ("2MiB")
  kBool,     // TOML boolean; on the command line --name, --name=false or --no-name
};

struct OptionSpec {
  std::string name;  // snake_case: the TOML key
  OptionKind kind = OptionKind::kString;
  std::string value_name;  // placeholder in help: PATH, HOST:PORT, N, BYTES, LEVEL, TOKEN
  std::string help;        // one or two sentences for the operator
  // The default as documented, when it depends on the machine (e.g. "number of CPUs");
  // empty: the formatted value of a default-constructed ServeOptions.
  std::string default_doc;
  bool secret = false;  // never echo the value in messages
  // Parses and validates `text` into the field. On failure the message says what was given and
  // what is accepted, without the option's name (the caller prefixes how it was spelled).
  std::function<Status(std::string_view text, ServeOptions& options)> apply;
  std::function<std::string(const ServeOptions& options)> format;

  std::string FlagName() const;     // --kebab-case
  std::string EnvName() const;      // HOGLET_UPPER_SNAKE
  std::string DefaultText() const;  // default_doc, or the default value printed
};

// Every option, in the order --help lists them.
const std::vector<OptionSpec>& ServeOptionSpecs();

// The entry with this TOML name / flag name (without the leading "--"), or null.
const OptionSpec* FindOptionByName(std::string_view name);
const OptionSpec* FindOptionByFlag(std::string_view flag);

// Checks between options, after every source is applied; kInvalidArgument naming both options.
Status ValidateOptionCombination(const ServeOptions& options);

}  // namespace hoglet::config
