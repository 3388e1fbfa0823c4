#!/usr/bin/env bash
# One run of the server benchmark (docs/performance.md, "serve: a cluster's indicators"): wrk with
# 100 connections asking for one cluster's whole indicator catalogue for one year, with a bearer
# token, against `clusterscope serve` on the demo database.
#
#   cmake --preset release && cmake --build build
#   bench/serve_bench.sh                 # THREADS=8 DURATION=30s CONNECTIONS=100 PORT=18080
#
# Steps: (1) builds bench/out/serve-demo.db with `clusterscope demo` if missing (default 20,000
# firms) and adds a national user; (2) starts the server; (3) checks one request answers 200;
# (4) runs wrk; (5) prints wrk's report, the server's peak memory and the machine, and stops the
# server with SIGTERM. Appends nothing to any file.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
CLI=$BUILD/clusterscope
OUT=bench/out
DB=$OUT/serve-demo.db
PORT=${PORT:-18080}
THREADS=${THREADS:-$(nproc)}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-100}
CLUSTER=${CLUSTER:-QH-BIO}
YEAR=${YEAR:-2014}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[[ -x $CLI ]] || { echo "missing $CLI: cmake --preset release && cmake --build build" >&2; exit 2; }

mkdir -p "$OUT"
if [[ ! -f $DB ]]; then
  echo "== building $DB (clusterscope demo)"
  "$CLI" --db "$DB" demo --firms "${FIRMS:-20000}" >/dev/null
fi
if ! "$CLI" --db "$DB" users list --format csv | grep -q '^bench,'; then
  printf '%s\n' "bench-password-$RANDOM$RANDOM" | "$CLI" --db "$DB" users add bench --role national --password-stdin >/dev/null
fi
TOKEN=$("$CLI" --db "$DB" users token bench --expires 1 2>/dev/null)

"$CLI" --db "$DB" serve --port "$PORT" --threads "$THREADS" 2>"$OUT/serve.log" &
SERVER=$!  # the server itself, so that SIGTERM reaches it and /proc shows its peak memory
trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT
URL="http://127.0.0.1:$PORT/api/v1/clusters/$CLUSTER/indicators?year=$YEAR"
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.2
done
status=$(curl -s -o "$OUT/serve-one.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL")
[[ $status == 200 ]] || { echo "one request answered $status: $(cat "$OUT/serve-one.json")" >&2; exit 3; }
echo "== one answer: $(wc -c <"$OUT/serve-one.json") bytes, $(grep -o '"indicator"' "$OUT/serve-one.json" | wc -l) rows"
echo "== wrk -t4 -c$CONNECTIONS -d$DURATION, server --threads $THREADS: GET $URL"
wrk -t4 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$URL"
PEAK_KB=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)
kill -TERM $SERVER
wait $SERVER || true
trap - EXIT
echo "== server peak RSS: $(( PEAK_KB / 1024 )) MiB; stopped: $(tail -1 "$OUT/serve.log")"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
