#include "config/serve_options.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "config/option_registry.h"
#include "tests/support/temp_dir.h"

namespace hoglet::config {
namespace {

// Owns argv storage for LoadServeOptions.
class Args {
 public:
  Args(std::initializer_list<std::string> args) : storage_(args) {
    for (std::string& arg : storage_) pointers_.push_back(arg.data());
  }
  int argc() const { return static_cast<int>(pointers_.size()); }
  char** argv() { return pointers_.data(); }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> pointers_;
};

StatusOr<ServeOptions> Load(std::initializer_list<std::string> flags, const Environment& env = {}) {
  Args args(flags);
  return LoadServeOptions(args.argc(), args.argv(), env);
}

std::string WriteFile(const testing::TempDir& dir, const std::string& text) {
  std::string path = dir.Join("hoglet.toml");
  std::ofstream(path) << text;
  return path;
}

std::string ErrorOf(const StatusOr<ServeOptions>& options) {
  EXPECT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
  return options.status().message();
}

TEST(LoadServeOptions, DefaultsWithoutAnySource) {
  auto options = Load({});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->data_dir, "./data");
  EXPECT_EQ(options->listen.host, "127.0.0.1");
  EXPECT_EQ(options->listen.port, 8000);
  EXPECT_GE(options->http_threads, 1);
  EXPECT_EQ(options->http_threads, DefaultHttpThreads());
  EXPECT_EQ(options->log_partitions, 4);
  EXPECT_TRUE(options->fsync);
  EXPECT_EQ(options->max_body_bytes_events, 2 * 1024 * 1024);
  EXPECT_EQ(options->max_body_bytes_batch, 20 * 1024 * 1024);
  EXPECT_EQ(options->max_decompressed_bytes, 20 * 1024 * 1024);
  EXPECT_EQ(options->max_events_per_request, 10000);
  EXPECT_EQ(options->max_json_depth, 64);
  EXPECT_EQ(options->max_properties_per_event, 10000);
  EXPECT_EQ(options->max_event_bytes, 1000000);
  EXPECT_EQ(options->request_timeout_ms, 10000);
  EXPECT_EQ(options->keep_alive_timeout_ms, 75000);
  EXPECT_EQ(options->ingest_batch_events, 10000);
  EXPECT_EQ(options->max_new_definitions_per_batch, 1000);
  EXPECT_EQ(options->max_event_definitions_per_project, 10000);
  EXPECT_EQ(options->max_property_definitions_per_project, 10000);
  EXPECT_EQ(options->max_person_property_definitions_per_project, 10000);
  EXPECT_EQ(options->max_group_property_definitions_per_project, 10000);
  EXPECT_EQ(options->max_new_event_properties_per_batch, 5000);
  EXPECT_EQ(options->max_event_properties_per_project, 50000);
  EXPECT_EQ(options->init_project_token, "");
  EXPECT_EQ(options->init_personal_api_key, "");
  EXPECT_EQ(options->log_level, LogLevel::kInfo);
  EXPECT_EQ(options->merge_threads, 1);
  EXPECT_EQ(options->query_threads, DefaultHttpThreads());
  EXPECT_EQ(options->block_cache_bytes, int64_t{512} << 20);
  EXPECT_EQ(options->config_file, "");
}

TEST(LoadServeOptions, TheBlockCacheMayBeSizedOrTurnedOff) {
  EXPECT_EQ(Load({"--block-cache-bytes=2GiB"})->block_cache_bytes, int64_t{2} << 30);
  EXPECT_EQ(Load({"--block-cache-bytes=0"})->block_cache_bytes, 0);
  EXPECT_FALSE(Load({"--block-cache-bytes=-1"}).ok());
}

TEST(LoadServeOptions, FlagsInBothSpellings) {
  auto options = Load({"--listen=0.0.0.0:0", "--data-dir", "/var/lib/hoglet", "--fsync=false",
                       "--max-body-bytes-batch", "32MiB", "--max-decompressed-bytes=64MiB",
                       "--log-level=debug"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->listen.host, "0.0.0.0");
  EXPECT_EQ(options->listen.port, 0);
  EXPECT_EQ(options->data_dir, "/var/lib/hoglet");
  EXPECT_FALSE(options->fsync);
  EXPECT_EQ(options->max_body_bytes_batch, 32 * 1024 * 1024);
  EXPECT_EQ(options->log_level, LogLevel::kDebug);
}

TEST(LoadServeOptions, BooleanFlagForms) {
  EXPECT_FALSE(Load({"--no-fsync"})->fsync);
  EXPECT_TRUE(Load({"--no-fsync", "--fsync"})->fsync);
  EXPECT_FALSE(Load({"--fsync=0"})->fsync);
}

TEST(LoadServeOptions, PrecedenceFlagsOverEnvOverFile) {
  testing::TempDir dir;
  std::string path = WriteFile(dir,
                               "listen = \"10.0.0.1:1000\"\n"
                               "log_partitions = 8\n"
                               "merge_threads = 3\n"
                               "fsync = false\n");
  Environment env = {
      {"HOGLET_CONFIG", path}, {"HOGLET_LOG_PARTITIONS", "16"}, {"HOGLET_LISTEN", "10.0.0.2:2000"}};
  auto options = Load({"--listen=10.0.0.3:3000"}, env);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->listen.ToString(), "10.0.0.3:3000");  // flag beats env and file
  EXPECT_EQ(options->log_partitions, 16);                  // env beats file
  EXPECT_EQ(options->merge_threads, 3);                    // file beats default
  EXPECT_FALSE(options->fsync);
  EXPECT_EQ(options->config_file, path);
  EXPECT_EQ(options->request_timeout_ms, 10000);  // default when nobody sets it
}

TEST(LoadServeOptions, ConfigFlagBeatsConfigEnv) {
  testing::TempDir dir;
  std::string path = WriteFile(dir, "merge_threads = 5\n");
  auto options = Load({"--config", path}, {{"HOGLET_CONFIG", dir.Join("missing.toml")}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->merge_threads, 5);
}

TEST(LoadServeOptions, FileAcceptsSizesAsIntegersOrStrings) {
  testing::TempDir dir;
  std::string path = WriteFile(dir,
                               "max_body_bytes_events = 1048576\n"
                               "max_body_bytes_batch = \"10MiB\"\n");
  auto options = Load({"--config=" + path});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->max_body_bytes_events, 1048576);
  EXPECT_EQ(options->max_body_bytes_batch, 10 * 1024 * 1024);
}

TEST(LoadServeOptions, EmptyEnvironmentVariableIsUnset) {
  auto options = Load({}, {{"HOGLET_LISTEN", ""}, {"HOGLET_UNRELATED", "x"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->listen.port, 8000);
}

TEST(LoadServeOptions, ErrorsNameTheOptionAsWritten) {
  EXPECT_EQ(ErrorOf(Load({"--listen=abc"})),
            "--listen: 'abc' is not HOST:PORT (for example 127.0.0.1:8000, 0.0.0.0:8000 or "
            "[::]:0)");
  EXPECT_EQ(ErrorOf(Load({}, {{"HOGLET_HTTP_THREADS", "0"}})),
            "HOGLET_HTTP_THREADS: '0' is out of range (expected between 1 and 1024)");
  EXPECT_EQ(ErrorOf(Load({"--fsync=perhaps"})),
            "--fsync: 'perhaps' is not a boolean (expected true or false)");
  EXPECT_EQ(ErrorOf(Load({"--log-level=loud"})),
            "--log-level: 'loud' is not a log level (expected debug, info, warning or error)");
  EXPECT_NE(ErrorOf(Load({"--max-json-depth=deep"})).find("--max-json-depth: 'deep'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Load({"--max-body-bytes-events=2 parsecs"})).find("is not a size"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(Load({"--data-dir="})), "--data-dir: must not be empty");
}

TEST(LoadServeOptions, EveryNumericOptionRejectsGarbage) {
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    if (spec.kind != OptionKind::kInteger && spec.kind != OptionKind::kBytes) continue;
    std::string message = ErrorOf(Load({spec.FlagName() + "=-5"}));
    EXPECT_TRUE(message.starts_with(spec.FlagName() + ": '-5'")) << message;
  }
}

TEST(LoadServeOptions, TokensAreCheckedWithoutEchoingThem) {
  auto options = Load({"--init-project-token=phc_fixed_1", "--init-personal-api-key=phx_key_1"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->init_project_token, "phc_fixed_1");
  EXPECT_EQ(options->init_personal_api_key, "phx_key_1");
  std::string message = ErrorOf(Load({}, {{"HOGLET_INIT_PERSONAL_API_KEY", "secret-value!"}}));
  EXPECT_TRUE(message.starts_with("HOGLET_INIT_PERSONAL_API_KEY: ")) << message;
  EXPECT_EQ(message.find("secret-value"), std::string::npos) << message;
  EXPECT_FALSE(Load({"--init-project-token=phx_wrong_prefix"}).ok());
}

TEST(LoadServeOptions, DecompressedLimitMustCoverBodyLimits) {
  std::string message = ErrorOf(Load({"--max-decompressed-bytes=1MiB"}));
  EXPECT_NE(message.find("max_decompressed_bytes (1MiB) must be at least max_body_bytes_batch"),
            std::string::npos)
      << message;
  EXPECT_TRUE(Load({"--max-decompressed-bytes=1MiB", "--max-body-bytes-batch=1MiB",
                    "--max-body-bytes-events=1MiB"})
                  .ok());
}

TEST(LoadServeOptions, UnknownFlagIsNamed) {
  EXPECT_EQ(ErrorOf(Load({"--frobnicate=1"})),
            "unknown flag '--frobnicate'; `hoglet serve --help` lists every option");
  EXPECT_NE(ErrorOf(Load({"--data_dir=/x"})).find("did you mean '--data-dir'?"), std::string::npos);
  EXPECT_NE(ErrorOf(Load({"serve"})).find("unexpected argument 'serve'"), std::string::npos);
  EXPECT_EQ(ErrorOf(Load({"--listen"})), "--listen: missing value (HOST:PORT)");
  EXPECT_EQ(ErrorOf(Load({"--listen", "--fsync"})), "--listen: missing value (HOST:PORT)");
}

TEST(LoadServeOptions, UnknownTomlKeyIsNamedWithLine) {
  testing::TempDir dir;
  std::string path = WriteFile(dir, "listen = \"127.0.0.1:1\"\n\ndata-dir = \"/x\"\n");
  std::string message = ErrorOf(Load({"--config", path}));
  EXPECT_TRUE(message.starts_with(path + ":3: unknown key 'data-dir'")) << message;
  EXPECT_NE(message.find("did you mean 'data_dir'?"), std::string::npos) << message;
}

TEST(LoadServeOptions, TomlTypeMismatchAndSectionsRejected) {
  testing::TempDir dir;
  EXPECT_EQ(ErrorOf(Load({"--config", WriteFile(dir, "fsync = \"no\"\n")})),
            dir.Join("hoglet.toml") + ":1: fsync: expected true or false, got a string");
  EXPECT_EQ(ErrorOf(Load({"--config", WriteFile(dir, "http_threads = 2.5\n")})),
            dir.Join("hoglet.toml") + ":1: http_threads: expected an integer, got a float");
  EXPECT_NE(ErrorOf(Load({"--config", WriteFile(dir, "[server]\nlisten = \"a:1\"\n")}))
                .find("unknown key 'server'"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(Load({"--config", WriteFile(dir, "merge_threads = 0\n")})),
            dir.Join("hoglet.toml") +
                ":1: merge_threads: '0' is out of range (expected between 1 and 64)");
}

TEST(LoadServeOptions, BadOrMissingFileIsReported) {
  testing::TempDir dir;
  std::string message = ErrorOf(Load({"--config", WriteFile(dir, "listen = \n")}));
  EXPECT_NE(message.find("is not valid TOML: line 1"), std::string::npos) << message;
  message = ErrorOf(Load({}, {{"HOGLET_CONFIG", dir.Join("nope.toml")}}));
  EXPECT_NE(message.find("cannot read config file '" + dir.Join("nope.toml") + "'"),
            std::string::npos)
      << message;
}

TEST(HelpRequested, FindsHelpAnywhere) {
  Args with({"--listen=a:1", "--help"});
  EXPECT_TRUE(HelpRequested(with.argc(), with.argv()));
  Args short_form({"-h"});
  EXPECT_TRUE(HelpRequested(short_form.argc(), short_form.argv()));
  Args without({"--listen=a:1"});
  EXPECT_FALSE(HelpRequested(without.argc(), without.argv()));
  EXPECT_TRUE(Load({"--help"}).ok());
}

TEST(ServeHelp, ListsEveryOptionWithDefaultEnvAndFlag) {
  std::string help = ServeHelp();
  EXPECT_NE(help.find("--config FILE"), std::string::npos);
  ASSERT_EQ(ServeOptionSpecs().size(), 30u);
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    EXPECT_NE(help.find(spec.FlagName() + "=" + spec.value_name), std::string::npos) << spec.name;
    EXPECT_NE(help.find("env " + spec.EnvName()), std::string::npos) << spec.name;
    EXPECT_NE(help.find("default " + spec.DefaultText()), std::string::npos) << spec.name;
  }
  EXPECT_NE(help.find("--listen=HOST:PORT"), std::string::npos);
  EXPECT_NE(help.find("default \"127.0.0.1:8000\""), std::string::npos);
  EXPECT_NE(help.find("default 2MiB; env HOGLET_MAX_BODY_BYTES_EVENTS"), std::string::npos);
}

TEST(LoadServeOptions, PropertiesSizeLimitsDefaultToPostHogsAndParseUnits) {
  auto defaults = Load({});
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->max_person_properties_bytes, 655360);
  EXPECT_EQ(defaults->max_group_properties_bytes, 1000000);
  auto options =
      Load({"--max-person-properties-bytes=1MiB", "--max-group-properties-bytes", "64KiB"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->max_person_properties_bytes, 1 << 20);
  EXPECT_EQ(options->max_group_properties_bytes, 64 << 10);
  EXPECT_NE(ErrorOf(Load({"--max-person-properties-bytes=10"})).find("out of range"),
            std::string::npos);
}

TEST(ServeOptionsRegistry, NamesAreConsistentAndDefaultsRoundTrip) {
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    EXPECT_EQ(FindOptionByName(spec.name), &spec);
    EXPECT_EQ(FindOptionByFlag(spec.FlagName().substr(2)), &spec);
    // Applying the printed default gives back the default.
    ServeOptions defaults;
    ServeOptions parsed;
    std::string text = spec.format(defaults);
    if (text.size() >= 2 && text.front() == '"') text = text.substr(1, text.size() - 2);
    if (text.empty()) continue;  // empty tokens: nothing to apply
    ASSERT_TRUE(spec.apply(text, parsed).ok()) << spec.name << " " << text;
    EXPECT_EQ(spec.format(parsed), spec.format(defaults)) << spec.name;
  }
}

TEST(ServeOptionsMarkdown, DocsAreInSyncWithRegistry) {
  std::ifstream in(std::string(HOGLET_TESTDATA_DIR) + "/../../docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(doc.find(ServeOptionsMarkdown()), std::string::npos)
      << "regenerate the table in docs/configuration.md from ServeOptionsMarkdown():\n"
      << ServeOptionsMarkdown();
}

}  // namespace
}  // namespace hoglet::config
