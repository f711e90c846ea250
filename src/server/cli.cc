#include "server/cli.h"

#include <signal.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/logging.h"
#include "config/serve_options.h"
#include "server/allocator_tuning.h"
#include "server/app.h"

namespace hoglet::server {
namespace {

constexpr char kVersion[] = "0.1.0";

constexpr char kUsage[] =
    "hoglet — product analytics that speaks PostHog's protocols, in one binary.\n"
    "\n"
    "Usage:\n"
    "  hoglet serve [options]   capture, ingest, store and serve the API (see `hoglet serve "
    "--help`)\n"
    "  hoglet version           print the version\n"
    "  hoglet --help            this text\n";

void PrintBanner(const App& app, const config::ServeOptions& options) {
  const meta::BootstrapResult& boot = app.bootstrap();
  std::string host = options.listen.host == "0.0.0.0" ? "127.0.0.1" : options.listen.host;
  std::printf("hoglet %s: listening on http://%s:%u\n", kVersion, host.c_str(), app.port());
  std::printf("  data directory:    %s\n", options.data_dir.c_str());
  std::printf("  project API key:   %s   (api_key for posthog-js / posthog-node)\n",
              boot.project.api_token.c_str());
  if (!boot.personal_api_key.empty()) {
    std::printf("  personal API key:  %s   (Authorization: Bearer … for the API; shown once)\n",
                boot.personal_api_key.c_str());
  }
  std::fflush(stdout);
}

int Serve(int argc, char** argv) {
  if (config::HelpRequested(argc, argv)) {
    std::fputs(config::ServeHelp().c_str(), stdout);
    return 0;
  }
  auto options = config::LoadServeOptions(argc, argv, config::ProcessEnvironment());
  if (!options.ok()) {
    std::fprintf(stderr, "hoglet serve: %s\n", options.status().message().c_str());
    return 2;
  }
  SetMinLogLevel(options->log_level);
  TuneAllocatorForServing();
  // Every thread the app starts inherits this mask, so only sigwait below sees the signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto app = App::Start(*options, SystemClock::Get());
  if (!app.ok()) {
    std::fprintf(stderr, "hoglet serve: cannot start: %s\n", app.status().ToString().c_str());
    return 1;
  }
  PrintBanner(**app, *options);
  int received = 0;
  sigwait(&signals, &received);
  LogInfo(std::string("received ") + (received == SIGTERM ? "SIGTERM" : "SIGINT") + ", stopping");
  (*app)->Stop();
  LogInfo("stopped cleanly");
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "serve") return Serve(argc - 2, argv + 2);
  if (command == "version" || command == "--version") {
    std::printf("hoglet %s\n", kVersion);
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fputs(kUsage, stderr);
  if (!command.empty()) std::fprintf(stderr, "\nunknown command '%s'\n", argv[1]);
  return 2;
}

}  // namespace hoglet::server
