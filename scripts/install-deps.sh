#!/usr/bin/env bash
# Installs the Debian packages Hoglet needs, if any is missing. Usage:
#   scripts/install-deps.sh build   # what building and running the server needs (node and npm
#                                   # build the web app, web/)
#   scripts/install-deps.sh test    # plus what the test suites need (clang for fuzzing,
#                                   # chromium for the posthog-js and web app browser tests,
#                                   # ClickHouse as the reference engine of the differential
#                                   # test, which starts its own server and never uses the
#                                   # system service)
set -euo pipefail

build_packages=(build-essential cmake ninja-build ccache pkg-config libboost-dev libsimdjson-dev
  libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsqlite3-dev libtomlplusplus-dev libargon2-dev libre2-dev
  libhowardhinnant-date-dev tzdata nodejs npm)
test_packages=(libgtest-dev libgmock-dev libbenchmark-dev clang libfuzzer-14-dev chromium
  clickhouse-server clickhouse-client)

packages=("${build_packages[@]}")
if [[ "${1:-build}" == test ]]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  # node may come from outside Debian's packages; accept any working install.
  if [[ $p == nodejs || $p == npm ]] && command -v "${p/nodejs/node}" >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi
