#!/usr/bin/env bash
# The hostile-input soak, long: random valid and invalid requests from several clients against
# one server for minutes, kill -9 and a restart every so often, RSS and disk sampled. Prints the
# report of tests/sdk/hostile_soak.mjs (requests, answers by class, peak RSS, data directory
# size, acknowledged events lost). The RSS bound (6 GB) only stops a runaway; read the peak.
# Usage: bench/soak.sh BUILD_DIR [SECONDS] [CLIENTS]
set -euo pipefail
build=${1:?usage: bench/soak.sh BUILD_DIR [SECONDS] [CLIENTS]}
seconds=${2:-300}
clients=${3:-8}
here=$(cd "$(dirname "$0")" && pwd)
node "$here/../tests/sdk/hostile_soak.mjs" --binary "$build/hoglet" --seconds "$seconds" \
  --clients "$clients" --kill-every-seconds 30 --max-rss-mb 6000
