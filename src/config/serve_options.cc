#include "config/serve_options.h"

#include <sched.h>

#include <optional>
#include <thread>
#include <vector>

#include "config/config_file.h"
#include "config/option_registry.h"

namespace hoglet::config {
namespace {

constexpr std::string_view kConfigFlag = "config";
constexpr std::string_view kConfigEnv = "HOGLET_CONFIG";

// One value for one option, and how the operator spelled it (for messages).
struct Setting {
  const OptionSpec* spec;
  std::string text;
  std::string source;  // "--listen", "HOGLET_LISTEN", "hoglet.toml:3: listen"
};

struct ParsedArgs {
  std::vector<Setting> flags;
  std::optional<std::string> config_path;
};

bool IsHelp(std::string_view arg) { return arg == "--help" || arg == "-h"; }

std::string SeeHelp() { return "; `hoglet serve --help` lists every option"; }

StatusOr<ParsedArgs> ParseArgs(int argc, char** argv) {
  ParsedArgs parsed;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (IsHelp(arg)) continue;
    if (!arg.starts_with("--") || arg.size() == 2) {
      return InvalidArgumentError("unexpected argument '" + std::string(arg) +
                                  "': options are written --name=value" + SeeHelp());
    }
    std::string_view body = arg.substr(2);
    std::optional<std::string> value;
    size_t equals = body.find('=');
    std::string_view name = body.substr(0, equals);
    if (equals != std::string_view::npos) value = std::string(body.substr(equals + 1));

    const OptionSpec* spec = FindOptionByFlag(name);
    if (spec == nullptr && name.starts_with("no-") && !value) {
      const OptionSpec* negated = FindOptionByFlag(name.substr(3));
      if (negated != nullptr && negated->kind == OptionKind::kBool) {
        spec = negated;
        value = "false";
      }
    }
    if (spec == nullptr && name != kConfigFlag) {
      std::string message = "unknown flag '--" + std::string(name) + "'";
      std::string kebab(name);
      for (char& c : kebab) {
        if (c == '_') c = '-';
      }
      if (kebab != name && FindOptionByFlag(kebab) != nullptr) {
        message += " (did you mean '--" + kebab + "'? flags use dashes)";
      }
      return InvalidArgumentError(message + SeeHelp());
    }
    if (!value && spec != nullptr && spec->kind == OptionKind::kBool) value = "true";
    if (!value) {
      if (i + 1 >= argc || std::string_view(argv[i + 1]).starts_with("--")) {
        return InvalidArgumentError(
            "--" + std::string(name) + ": missing value (" +
            (spec != nullptr ? spec->value_name : std::string("path of a TOML file")) + ")");
      }
      value = std::string(argv[++i]);
    }
    if (spec == nullptr) {
      parsed.config_path = *value;
    } else {
      parsed.flags.push_back(Setting{spec, *value, spec->FlagName()});
    }
  }
  return parsed;
}

// Whether a TOML value of `type` may be given to an option of `kind`.
bool TypeFits(OptionKind kind, TomlType type) {
  switch (kind) {
    case OptionKind::kString:
      return type == TomlType::kString;
    case OptionKind::kInteger:
      return type == TomlType::kInteger;
    case OptionKind::kBytes:
      return type == TomlType::kInteger || type == TomlType::kString;
    case OptionKind::kBool:
      return type == TomlType::kBoolean;
  }
  return false;
}

std::string_view KindDescription(OptionKind kind) {
  switch (kind) {
    case OptionKind::kString:
      return "a string";
    case OptionKind::kInteger:
      return "an integer";
    case OptionKind::kBytes:
      return "an integer number of bytes or a string such as \"2MiB\"";
    case OptionKind::kBool:
      return "true or false";
  }
  return "a value";
}

StatusOr<std::vector<Setting>> FileSettings(const std::string& path) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<FileEntry> entries, ReadConfigFile(path));
  std::vector<Setting> settings;
  for (FileEntry& entry : entries) {
    std::string where = path + ":" + std::to_string(entry.line) + ": ";
    const OptionSpec* spec = FindOptionByName(entry.key);
    if (spec == nullptr) {
      std::string message = where + "unknown key '" + entry.key + "'";
      std::string snake = entry.key;
      for (char& c : snake) {
        if (c == '-') c = '_';
      }
      if (snake != entry.key && FindOptionByName(snake) != nullptr) {
        message += " (did you mean '" + snake + "'? keys use underscores)";
      }
      return InvalidArgumentError(message + SeeHelp());
    }
    if (!TypeFits(spec->kind, entry.type)) {
      return InvalidArgumentError(where + entry.key + ": expected " +
                                  std::string(KindDescription(spec->kind)) + ", got " +
                                  std::string(TomlTypeName(entry.type)));
    }
    settings.push_back(Setting{spec, std::move(entry.text), where + entry.key});
  }
  return settings;
}

Status Apply(const Setting& setting, ServeOptions& options) {
  Status status = setting.spec->apply(setting.text, options);
  if (status.ok()) return status;
  return InvalidArgumentError(setting.source + ": " + status.message());
}

}  // namespace

std::string ListenAddress::ToString() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

int DefaultHttpThreads() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

StatusOr<ServeOptions> LoadServeOptions(int argc, char** argv, const Environment& env) {
  HOGLET_ASSIGN_OR_RETURN(ParsedArgs args, ParseArgs(argc, argv));
  ServeOptions options;
  if (!args.config_path) {
    auto from_env = env.find(kConfigEnv);
    if (from_env != env.end() && !from_env->second.empty()) args.config_path = from_env->second;
  }
  if (args.config_path) {
    if (args.config_path->empty()) return InvalidArgumentError("--config: the path is empty");
    options.config_file = *args.config_path;
    HOGLET_ASSIGN_OR_RETURN(std::vector<Setting> file, FileSettings(*args.config_path));
    for (const Setting& setting : file) HOGLET_RETURN_IF_ERROR(Apply(setting, options));
  }
  // An empty variable counts as unset, as `HOGLET_X=` in a compose file usually means "no
  // value" rather than "the empty string".
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    std::string name = spec.EnvName();
    auto found = env.find(name);
    if (found == env.end() || found->second.empty()) continue;
    HOGLET_RETURN_IF_ERROR(Apply(Setting{&spec, found->second, name}, options));
  }
  for (const Setting& setting : args.flags) HOGLET_RETURN_IF_ERROR(Apply(setting, options));
  HOGLET_RETURN_IF_ERROR(ValidateOptionCombination(options));
  return options;
}

bool HelpRequested(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (IsHelp(argv[i])) return true;
  }
  return false;
}

std::string ServeHelp() {
  std::string help =
      "Usage: hoglet serve [--config FILE] [--option=VALUE | --option VALUE]...\n"
      "\n"
      "Runs every role of Hoglet in one process, with all state under --data-dir.\n"
      "\n"
      "Each option is read, in rising precedence, from its default, the TOML file named by\n"
      "--config (or HOGLET_CONFIG) as a top-level key, the environment variable, and the\n"
      "flag. Booleans: --fsync, --fsync=false, --no-fsync. Sizes take B, KiB, MiB, GiB, KB,\n"
      "MB or GB (e.g. 2MiB).\n"
      "\n"
      "  --config FILE\n"
      "      TOML file of options (env HOGLET_CONFIG). Unknown keys are an error.\n";
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    help += "  " + spec.FlagName() + "=" + spec.value_name + "\n";
    help += "      " + spec.help + "\n";
    help += "      default " + spec.DefaultText() + "; env " + spec.EnvName() + "; file key " +
            spec.name + "\n";
  }
  return help;
}

std::string ServeOptionsMarkdown() {
  std::string table =
      "| file key | environment variable | flag | default | description |\n"
      "|---|---|---|---|---|\n";
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    table += "| `" + spec.name + "` | `" + spec.EnvName() + "` | `" + spec.FlagName() + "=" +
             spec.value_name + "` | `" + spec.DefaultText() + "` | " + spec.help + " |\n";
  }
  return table;
}

}  // namespace hoglet::config
