#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a share of a time budget.
#
#   scripts/run-fuzzers.sh BUILD_DIR SECONDS
#
# BUILD_DIR is a build configured with -DHOGLET_FUZZ=ON (clang); SECONDS is split evenly between
# the targets found in BUILD_DIR/fuzz (at least 1 s each). Each target starts from a small seed
# corpus made from tests/data/capture; new corpus entries and crash artifacts go to a temporary
# directory, which is kept (and printed) only when a target fails. Exits non-zero when any target
# finds a crash, a leak or a timeout.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$1
budget=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
data="$repo/tests/data/capture"

mapfile -t targets < <(find "$build_dir/fuzz" -maxdepth 1 -type f -name '*_fuzz' -perm -u+x | sort)
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "no fuzz targets in $build_dir/fuzz; configure with -DHOGLET_FUZZ=ON and build first" >&2
  exit 1
fi
per_target=$(( budget / ${#targets[@]} ))
(( per_target < 1 )) && per_target=1

work=$(mktemp -d "${TMPDIR:-/tmp}/hoglet-fuzz.XXXXXX")
failed=0

# Seeds per target, written into $1.
make_seeds() {
  local name=$1 dir=$2
  mkdir -p "$dir"
  case "$name" in
    capture_decoder_fuzz)
      # Byte 0 selects path and encoding (see fuzz/capture_decoder_fuzz.cc): 0x00 = /batch/
      # JSON, 0x01 = /e/ JSON, 0x02 = /engage/, 0x21 = /e/ gzipped, 0x09 = /e/ form.
      local i=0
      for f in "$data"/*.json; do
        [[ $f == *lz_string_vectors.json ]] && continue
        for sel in '\x00' '\x01' '\x02' '\x21'; do
          { printf "$sel"; cat "$f"; } > "$dir/seed-$i"
          i=$((i + 1))
        done
      done
      printf '\x09data=W3siZXZlbnQiOiJhIiwiZGlzdGluY3RfaWQiOiJkIiwidG9rZW4iOiJwaGNfdCJ9XQ%%3D%%3D' \
        > "$dir/seed-form"
      ;;
    lz_string_fuzz)
      grep -o '"compressed": "[^"]*"' "$data/lz_string_vectors.json" | cut -d'"' -f4 |
        awk -v dir="$dir" '{ f = dir "/seed-" NR; printf "%s", $0 > f; close(f) }'
      ;;
    flags_request_fuzz)
      # Byte 0 selects content type and compression (see fuzz/flags_request_fuzz.cc): 0x00 =
      # JSON, 0x01 = form with base64, 0x10 = JSON gzipped.
      local body='{"token":"phc_t","distinct_id":"user-1","groups":{"company":"acme"},"person_properties":{"email":"a@b.c","n":NaN},"group_properties":{"company":{"size":5}},"flag_keys":["a"],"$anon_distinct_id":"anon"}'
      printf '\x00%s' "$body" > "$dir/seed-json"
      printf '\x10%s' "$body" > "$dir/seed-gzip"
      printf '\x01data=%s' "$(printf '%s' "$body" | base64 -w0)" > "$dir/seed-form"
      ;;
    flag_filters_fuzz)
      # Flag filters, cohort filters and person properties, separated by NUL bytes.
      printf '%s\0%s\0%s' \
        '{"groups":[{"properties":[{"key":"email","value":"@acme","operator":"icontains","type":"person"},{"key":"id","value":1,"type":"cohort"}],"rollout_percentage":50}],"multivariate":{"variants":[{"key":"a","rollout_percentage":50},{"key":"b","rollout_percentage":50}]},"payloads":{"a":"{\"x\":1}"}}' \
        '{"properties":{"type":"OR","values":[{"type":"AND","values":[{"key":"age","value":"30","operator":"gt","type":"person"},{"key":"v","value":"1.2.*","operator":"semver_wildcard","type":"person","negation":true}]}]}}' \
        '{"email":"a@acme.com","age":31,"v":"1.3.0","d":"2024-01-01T00:00:00Z","n":null}' \
        > "$dir/seed-flag"
      printf '%s\0{}\0%s' \
        '{"aggregation_group_type_index":0,"groups":[{"properties":[{"key":"d","value":"-7d","operator":"is_date_before","type":"group","group_type_index":0},{"key":"email","value":"^a.*$","operator":"regex"}],"rollout_percentage":100}],"holdout":{"id":7,"exclusion_percentage":10}}' \
        '{"email":"a@acme.com","d":1700000000}' > "$dir/seed-group"
      ;;
    hogql_fuzz)
      # The queries of the HogQL parser corpus, one seed each.
      awk -v dir="$dir" '/^-- @/ { n++; next } n > 0 { f = dir "/seed-" n; print > f }' \
        "$repo/tests/data/hogql/corpus.sql"
      ;;
    *)
      printf '\x01\x00' > "$dir/seed-header"
      ;;
  esac
}

for target in "${targets[@]}"; do
  name=$(basename "$target")
  seeds="$work/$name/seeds"
  corpus="$work/$name/corpus"
  artifacts="$work/$name/artifacts"
  mkdir -p "$corpus" "$artifacts"
  make_seeds "$name" "$seeds"
  echo "== $name: ${per_target}s"
  if ! "$target" -max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" \
      > "$work/$name/log" 2>&1; then
    echo "!! $name failed; log and artifacts in $work/$name" >&2
    tail -n 40 "$work/$name/log" >&2
    failed=1
  else
    grep -E '^stat::number_of_executed_units|^Done' "$work/$name/log" || true
  fi
done

if [[ $failed -eq 0 ]]; then
  rm -rf "$work"
  echo "all fuzz targets ran clean"
fi
exit $failed
