#!/usr/bin/env bash
# One run of the server benchmark (docs/performance.md, "serve: a cluster's indicators"): wrk with
# 100 connections asking for one cluster's whole indicator catalogue for one year, with a bearer
# token, against `clusterscope serve` on the demo database.
#
#   cmake --preset release && cmake --build build
#   bench/serve_bench.sh                 # THREADS=8 DURATION=30s CONNECTIONS=100 PORT=18480 CACHE_MIB=64
#   CACHE_MIB=0 bench/serve_bench.sh     # no response cache: every request computed
#
# Steps: (1) builds bench/out/serve-demo.db with `clusterscope demo` if missing (default 20,000
# firms) and adds a national user; (2) starts the server; (3) checks one request answers 200;
# (4) runs wrk; (5) prints wrk's report, the server's peak memory and the machine, and stops the
# server with SIGTERM. Appends nothing to any file.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
PORT=${PORT:-18480}
THREADS=${THREADS:-$(nproc)}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-100}
CLUSTER=${CLUSTER:-QH-BIO}
YEAR=${YEAR:-2014}
source bench/serve_lib.sh

serve_prepare
serve_start
URL="http://127.0.0.1:$PORT/api/v1/clusters/$CLUSTER/indicators?year=$YEAR"
status=$(curl -s -o "$OUT/serve-one.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL")
[[ $status == 200 ]] || { echo "one request answered $status: $(cat "$OUT/serve-one.json")" >&2; exit 3; }
echo "== one answer: $(wc -c <"$OUT/serve-one.json") bytes, $(grep -o '"indicator"' "$OUT/serve-one.json" | wc -l) rows"
echo "== machine before: $(serve_machine)"
echo "== wrk -t4 -c$CONNECTIONS -d$DURATION, server --threads $THREADS --cache-mib ${CACHE_MIB:-64}: GET $URL"
CPU0=$(serve_cpu_s)
wrk -t4 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$URL" | tee "$OUT/serve-wrk.txt"
CPU1=$(serve_cpu_s)
REQUESTS=$(awk '/requests in/ {print $1}' "$OUT/serve-wrk.txt")
echo "== server CPU during the run: $(echo "$CPU1 - $CPU0" | bc) s, $(echo "($CPU1 - $CPU0) * 1000000 / $REQUESTS" | bc) µs per request"
PEAK_KB=$(serve_rss_kb VmHWM)
RSS_KB=$(serve_rss_kb VmRSS)
echo "== machine after: $(serve_machine)"
serve_stop
echo "== server RSS at the end: $(( RSS_KB / 1024 )) MiB, peak $(( PEAK_KB / 1024 )) MiB; stopped: $(tail -1 "$OUT/serve.log")"
