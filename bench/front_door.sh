#!/usr/bin/env bash
# One run of the front-door benchmark (docs/performance.md, "Reads that cost what they touch",
# issue 11): what one question costs from a cold process on the 1,000,000-firm × 2007–2016 panel.
#
#   cmake --preset release && cmake --build build
#   bench/indicators_vs_sql.sh      # once: generates and imports bench/out/national.db
#   bench/front_door.sh             # run it three times and take the medians
#
# Each line is a fresh `clusterscope` process (wall seconds, user + sys, peak RSS from GNU time)
# reading bench/out/national.db from the OS page cache (the file is read once first):
#   (1) the whole catalogue for one cluster and one year: QH-BIO (60 members), CL062 (the
#       largest: 11,394 memberships, in a zone of 24,713 firms); one zone; then `diagnose`,
#       `brief` of CL062 and `evaluate --scheme annual` of every cluster for 2014;
#   (2) the first read after an import against the second: 1,000,000 reports (bench/out,
#       cs_gen_bench_data) imported into a fresh database, then the whole catalogue for the
#       country twice (`indicators`, latest year): the import keeps the columnar snapshot
#       itself, so the first read must not cost more than the second.
# Appends nothing to any file.
#
# Environment: CLI=binary (default $BUILD/clusterscope; another build to compare with),
# DB=path (default bench/out/national.db; a copy elsewhere is fine: `init` below may write to
# it), PARTS=1 (part 1 only; default both), BRIEF_LIMIT=seconds (stop `brief` after that
# long and say so: on a panel whose firms have coordinates its localisation test, 99 Kd
# simulations over every site of the industry, runs for many minutes; default no limit).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
CLI=${CLI:-$BUILD/clusterscope}
GEN=$BUILD/bench/cs_gen_bench_data
DB=${DB:-bench/out/national.db}
PARTS=${PARTS:-12}
BRIEF_LIMIT=${BRIEF_LIMIT:-0}
OUT=bench/out
[[ -x $CLI && -x $GEN ]] || { echo "missing $CLI or $GEN: cmake --preset release && cmake --build build" >&2; exit 2; }
[[ -f $DB ]] || { echo "missing $DB: run bench/indicators_vs_sql.sh once" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 2; }

TF=$(mktemp)
FRESH=$(mktemp -d)
trap 'rm -rf "$TF" "$FRESH"' EXIT
timed() {  # timed LABEL CMD...
  local label=$1
  shift
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$TF" "$@" >/dev/null || rc=$?
  read -r wall user sys rss < <(grep -v '^Command' "$TF" | tail -1)
  local note=""
  [[ $rc == 124 ]] && note="   STOPPED at the limit (BRIEF_LIMIT), not finished"
  [[ $rc != 0 && $rc != 124 ]] && note="   exit $rc"
  printf '  %-58s wall %6.2f s   user+sys %6.2f s   peak RSS %8s KB%s\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$note"
}
LIMIT=()
[[ $BRIEF_LIMIT != 0 ]] && LIMIT=(timeout "$BRIEF_LIMIT")

echo "== machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); clusterscope $(git describe --always --dirty 2>/dev/null || echo '?') ($CLI)"
cat "$DB" >/dev/null
"$CLI" --db "$DB" init >/dev/null  # brings an older snapshot up to date (not timed)

echo "== (1) one question, cold process, $DB"
timed "indicators --cluster QH-BIO --year 2014 (whole catalogue)" "$CLI" --db "$DB" indicators --cluster QH-BIO --year 2014 --format csv
timed "indicators --cluster CL062 --year 2014 (whole catalogue)" "$CLI" --db "$DB" indicators --cluster CL062 --year 2014 --format csv
timed "indicators --zone Z310100I --year 2014 (whole catalogue)" "$CLI" --db "$DB" indicators --zone Z310100I --year 2014 --format csv
timed "diagnose --cluster CL062 --year 2014" "$CLI" --db "$DB" diagnose --cluster CL062 --year 2014
timed "brief --cluster CL062 --year 2014" "${LIMIT[@]}" "$CLI" --db "$DB" brief --cluster CL062 --year 2014
timed "evaluate --scheme annual --year 2014 (every cluster)" "$CLI" --db "$DB" evaluate --scheme annual --year 2014

[[ $PARTS == *2* ]] || exit 0
echo "== (2) the first read after an import of 1,000,000 reports, and the second"
[[ -f $OUT/reports.csv ]] || "$GEN" "$OUT" >/dev/null
"$CLI" --db "$FRESH/fresh.db" import firms "$OUT/firms.csv" >/dev/null
timed "import reports (1,000,000 rows; keeps the snapshot)" "$CLI" --db "$FRESH/fresh.db" import reports "$OUT/reports.csv"
timed "indicators (country, whole catalogue): first read" "$CLI" --db "$FRESH/fresh.db" indicators --format csv
timed "indicators (country, whole catalogue): second read" "$CLI" --db "$FRESH/fresh.db" indicators --format csv
