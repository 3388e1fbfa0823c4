#!/usr/bin/env bash
# One run of the import benchmark (docs/performance.md): clusterscope's validated import of the
# 1,000,000-row reports file against `sqlite3 .import` of the same CSV into a bare table (no
# table defined beforehand, so sqlite3 makes an all-TEXT table: no types, keys or checks).
#
#   cmake --preset release && cmake --build build
#   bench/import_vs_sqlite.sh            # run it three times and take the median
#
# Steps: (1) writes bench/out/{firms,reports}.csv with cs_gen_bench_data if missing;
# (2) imports the firms into a fresh clusterscope database (timed separately: not part of the
# comparison); (3) times `clusterscope import reports`; (4) times sqlite3's .import into a fresh
# database; (5) prints both, the ratio, rows/s, peak memory and the machine. Appends nothing to any
# file. BUILD=dir picks another build directory (default build/, the release build).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
OUT=bench/out
CLI=$BUILD/clusterscope
GEN=$BUILD/bench/cs_gen_bench_data
if [[ ! -x $CLI || ! -x $GEN ]]; then
  echo "missing $CLI or $GEN: cmake --preset release && cmake --build build" >&2
  exit 2
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 (the shell) is not installed" >&2; exit 2; }

mkdir -p "$OUT"
if [[ ! -f $OUT/reports.csv || ! -f $OUT/firms.csv ]]; then
  echo "== generating $OUT/firms.csv and $OUT/reports.csv (seed 1, 100,000 firms x 10 years)"
  "$GEN" "$OUT"
fi
rows=$(($(wc -l <"$OUT/reports.csv") - 1))
bytes=$(stat -c %s "$OUT/reports.csv")

# Timing: /usr/bin/time gives wall, CPU and peak RSS; without it, bash's clock and no RSS.
TIME_BIN=/usr/bin/time
[[ -x $TIME_BIN ]] || TIME_BIN=
timed() {  # timed LABEL CMD... → sets WALL USER SYS RSS_KB
  local label=$1
  shift
  if [[ -n $TIME_BIN ]]; then
    local tf
    tf=$(mktemp)
    "$TIME_BIN" -f "%e %U %S %M" -o "$tf" "$@" >/dev/null
    read -r WALL USER SYS RSS_KB <"$tf"
    rm -f "$tf"
  else
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    USER=? SYS=? RSS_KB=?
  fi
  printf '  %-34s wall %6.2f s   user %6s s   sys %5s s   peak RSS %s KB\n' "$label" "$WALL" "$USER" "$SYS" "$RSS_KB"
}

# Both sides read the file from the page cache.
cat "$OUT/reports.csv" "$OUT/firms.csv" >/dev/null

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(sqlite3 --version | cut -d' ' -f1-2), clusterscope $(git describe --always --dirty 2>/dev/null || echo '?')"
[[ -n $TIME_BIN ]] || echo "   (no /usr/bin/time: wall clock from bash, no CPU or memory figures)"
echo "== input: $OUT/reports.csv, $rows rows, $bytes bytes"

CS_DB=$OUT/cs.db
BARE_DB=$OUT/bare.db
rm -f "$CS_DB" "$CS_DB-wal" "$CS_DB-shm" "$BARE_DB" "$BARE_DB-journal"

timed "clusterscope import firms (setup)" "$CLI" --db "$CS_DB" import firms "$OUT/firms.csv"

timed "clusterscope import reports" "$CLI" --db "$CS_DB" import reports "$OUT/reports.csv"
OURS=$WALL OURS_RSS=$RSS_KB

timed "sqlite3 .import (bare table)" sqlite3 "$BARE_DB" -cmd ".mode csv" ".import $OUT/reports.csv reports"
BARE=$WALL BARE_RSS=$RSS_KB

stored=$(sqlite3 "$CS_DB" "SELECT count(*) FROM reports")
bare_rows=$(sqlite3 "$BARE_DB" "SELECT count(*) FROM reports")
if [[ $stored != "$rows" || $bare_rows != "$rows" ]]; then
  echo "row counts differ: file $rows, clusterscope $stored, sqlite3 $bare_rows" >&2
  exit 1
fi

awk -v ours="$OURS" -v bare="$BARE" -v rows="$rows" -v ors="$OURS_RSS" -v brs="$BARE_RSS" 'BEGIN {
  printf "== result: clusterscope %.2f s (%.0f rows/s, peak RSS %s KB), sqlite3 %.2f s (%.0f rows/s, peak RSS %s KB)\n",
         ours, rows / ours, ors, bare, rows / bare, brs
  printf "== ratio clusterscope / sqlite3 = %.3f (%s)\n", ours / bare,
         ours <= bare ? "target met: no slower than the bare import" : "target NOT met: slower than the bare import"
}'
rm -f "$CS_DB" "$CS_DB-wal" "$CS_DB-shm" "$BARE_DB" "$BARE_DB-journal"
