// The `hoglet` command line: `hoglet serve [options]`, `hoglet version`, `hoglet --help`.
#pragma once

namespace hoglet::server {

// Runs the command; returns the process exit code (0 success, 1 failure, 2 usage error).
int RunCli(int argc, char** argv);

}  // namespace hoglet::server
