#!/usr/bin/env bash
# Capture and /flags benchmarks, side by side with nginx answering a static 200 on the same
# machine, so the numbers read as ratios. Usage: bench/run.sh BUILD_DIR [SECONDS]
# Prints RESULT lines; nothing here passes or fails.
set -euo pipefail
build=${1:?usage: bench/run.sh BUILD_DIR [SECONDS]}
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
token=phc_benchprojecttoken00000000000000000001
key=phx_benchpersonalapikey0000000000000000001
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk nginx-light"; exit 1; }
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx-light"; exit 1; }

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# nginx: one worker, `return 200` and one static file.
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { return 200 'ok'; }
    # A /flags answer as a static file: the cost of sending the same bytes, and nothing else.
    location = /flags_answer.json { root $work/nginx; default_type application/json; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
pids+=($nginx_pid)

# hoglet, fsync on (durable acks), one HTTP thread so the result reads per core.
HOGLET_INIT_PROJECT_TOKEN=$token HOGLET_INIT_PERSONAL_API_KEY=$key \
  "$build/hoglet" serve --data-dir "$work/data" --listen 127.0.0.1:0 --http-threads 1 \
  >"$work/hoglet.log" 2>&1 &
hoglet_pid=$!
pids+=($hoglet_pid)
for _ in $(seq 100); do grep -q 'listening on' "$work/hoglet.log" && break; sleep 0.1; done
hoglet_port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/hoglet.log" | grep -o '[0-9]*$')
sleep 1
echo "RESULT idle_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$hoglet_pid/status)"

node "$here/make_bodies.mjs" "$work" "$token"
# CPU time (user + system, in clock ticks) a process has used so far, all its threads included.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The process that serves a URL's port: hoglet, or nginx's worker (its master only forks).
nginx_worker_pid() { pgrep -P "$nginx_pid" | head -1; }
run_wrk() {  # label events_per_request url [BODY_FILE|SCRIPT.lua] [CONTENT_ENCODING]
  # CONNECTIONS (default 50) in the environment sets wrk's connections in flight. Besides wrk's
  # numbers it prints requests per CPU second of the server (hoglet's workers count too, so
  # cases read per core even when more than one thread serves them).
  local label=$1 per=$2 url=$3 body=${4:-} enc=${5:-} script=get.lua out server=$hoglet_pid
  [[ -n $body ]] && script=post.lua
  [[ $body == *.lua ]] && { script=$body; body=; }
  [[ $url == *":$nginx_port/"* ]] && server=$(nginx_worker_pid)
  local ticks_before; ticks_before=$(cpu_ticks "$server")
  out=$(BODY_FILE=$body CONTENT_ENCODING=$enc TOKEN=$token wrk -t1 -c"${CONNECTIONS:-50}" \
    -d"${seconds}s" --latency \
    -s "$here/wrk/$script" "$url" | grep '^RESULT')
  local ticks=$(($(cpu_ticks "$server") - ticks_before))
  local rps=${out#*requests_per_s=}; rps=${rps%% *}
  local per_cpu_s=$((ticks > 0 ? rps * seconds * $(getconf CLK_TCK) / ticks : 0))
  echo "$out label=$label events_per_s=$((rps * per)) requests_per_cpu_s=$per_cpu_s"
}
run_wrk nginx_static_200 0 "http://127.0.0.1:$nginx_port/"
# /flags before the capture load, so ingestion catching up does not share the cores: 50 flags
# (30 rollouts, 10 multivariate, 10 on request person_properties), a new distinct id each request.
node "$here/make_flags.mjs" "http://127.0.0.1:$hoglet_port" "$token" "$key" \
  "$work/nginx/flags_answer.json"
# nginx's worker runs as an unprivileged user when started as root: let it read the file.
chmod a+x "$work" "$work/nginx" && chmod a+r "$work/nginx/flags_answer.json"
run_wrk nginx_static_flags_answer 0 "http://127.0.0.1:$nginx_port/flags_answer.json"
# The bodies send every property the flags read (answered on the I/O thread), then leave one
# out (a worker reads the stored person), then the first again with 8 connections in flight.
run_wrk hoglet_flags_v2_50flags 0 "http://127.0.0.1:$hoglet_port/flags/?v=2" flags.lua
PARTIAL=1 run_wrk hoglet_flags_v2_50flags_partial_props 0 \
  "http://127.0.0.1:$hoglet_port/flags/?v=2" flags.lua
CONNECTIONS=8 run_wrk hoglet_flags_v2_50flags_c8 0 "http://127.0.0.1:$hoglet_port/flags/?v=2" \
  flags.lua
CONNECTIONS=8 run_wrk nginx_static_200_c8 0 "http://127.0.0.1:$nginx_port/"
CONNECTIONS=8 run_wrk nginx_static_flags_answer_c8 0 \
  "http://127.0.0.1:$nginx_port/flags_answer.json"
run_wrk hoglet_single_plain 1 "http://127.0.0.1:$hoglet_port/e/" "$work/single.json"
run_wrk hoglet_batch50_plain 50 "http://127.0.0.1:$hoglet_port/batch/" "$work/batch50.json"
run_wrk hoglet_batch50_gzip 50 "http://127.0.0.1:$hoglet_port/batch/" "$work/batch50.json.gz" gzip

node "$here/latency.mjs" "http://127.0.0.1:$hoglet_port" "$token" "$key" 200
sleep 2
echo "RESULT loaded_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$hoglet_pid/status)"
echo "RESULT disk_bytes_log=$(du -sb "$work/data/log" | cut -f1) disk_bytes_events=$(du -sb "$work/data/events" | cut -f1)"

for b in "$build"/bench/*_bench; do
  [[ -x $b ]] && "$b" --benchmark_min_time=0.2 2>/dev/null | grep -E '^BM_' || true
done
