#!/usr/bin/env bash
# One run of the indicators benchmark (docs/performance.md, "Indicators: whole catalogue vs SQL"):
# clusterscope's whole indicator catalogue for every cluster, zone, province and the country over
# every year, and the seven figures for every cluster and year, against the seven figures in
# plain SQL — SQLite on the same database file, DuckDB on a DuckDB file built from the same data.
#
#   cmake --preset release && cmake --build build
#   (cd bench/duckdb && npm ci)              # DuckDB for node: a benchmark tool, not a dependency
#   bench/indicators_vs_sql.sh               # run it three times and take the medians
#
# Steps: (1) writes bench/out/national/*.csv with `clusterscope generate --firms 1000000 --years
# 2007-2016 --seed 1` if missing; (2) imports them into bench/out/national.db if missing; (3) builds
# bench/out/national.duckdb from the CSV files if missing (steps 1-3 are timed and printed, not
# compared); a database of schema version 1 (no columnar snapshot) is upgraded with `clusterscope
# init`, timed; (4) reads both database files once (`cat > /dev/null`), so every "cold" run below is
# a fresh process reading its file from the OS page cache, not from disk; (5) times
# cs_bench_indicators (LoadDataset, then the catalogue 3 times, then the seven figures 3 times), then
# cs_bench_indicators --by-year (the whole catalogue a year at a time, as `clusterscope indicators`
# answers one question: cold time and peak memory; its values must equal the resident run's),
# sqlite3 running bench/seven_figures_sqlite.sql twice in one fresh process, and
# bench/duckdb/seven_figures.mjs (open + query cold, then 3 warm runs); (6) checks that the three
# agree on all cluster × year rows of the seven figures; (7) prints a summary with the ratios.
# FIRMS=n uses n firms instead (files named national-n). Appends nothing to any file.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
FIRMS=${FIRMS:-1000000}
OUT=bench/out
NAME=national
[[ $FIRMS == 1000000 ]] || NAME=national-$FIRMS
DATA=$OUT/$NAME
DB=$OUT/$NAME.db
DUCK=$OUT/$NAME.duckdb
CLI=$BUILD/clusterscope
BENCH=$BUILD/bench/cs_bench_indicators
SQL=bench/seven_figures_sqlite.sql
DUCKJS=bench/duckdb/seven_figures.mjs

if [[ ! -x $CLI || ! -x $BENCH ]]; then
  echo "missing $CLI or $BENCH: cmake --preset release && cmake --build build" >&2
  exit 2
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 (the shell) is not installed" >&2; exit 2; }
command -v node >/dev/null || { echo "node is not installed" >&2; exit 2; }
[[ -d bench/duckdb/node_modules/@duckdb/node-api ]] || { echo "run: (cd bench/duckdb && npm ci)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time (GNU time) is needed for peak memory" >&2; exit 2; }

TF=$(mktemp)
trap 'rm -f "$TF"' EXIT
timed() {  # timed CMD... → WALL USER SYS RSS_KB; the command's stdout to $LOG
  /usr/bin/time -f "%e %U %S %M" -o "$TF" "$@" >"$LOG"
  read -r WALL USER SYS RSS_KB <"$TF"
}
field() { sed -n 's/^summary: //p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }  # field FILE KEY

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(sqlite3 --version | cut -d' ' -f1-2), node $(node --version), @duckdb/node-api $(node -p "require('./bench/duckdb/node_modules/@duckdb/node-api/package.json').version"), clusterscope $(git describe --always --dirty 2>/dev/null || echo '?')"

mkdir -p "$OUT"
if [[ ! -f $DATA/reports.csv ]]; then
  echo "== generating $DATA ($FIRMS firms, 2007-2016, seed 1)"
  LOG=$OUT/$NAME.generate.log
  timed "$CLI" generate --firms "$FIRMS" --years 2007-2016 --seed 1 --out "$DATA"
  printf '   %s s wall, peak RSS %s KB; %s\n' "$WALL" "$RSS_KB" "$(head -1 "$LOG")"
fi
if [[ ! -f $DB ]]; then
  echo "== importing into $DB"
  LOG=$OUT/$NAME.import.log
  timed "$CLI" --db "$DB" import zones "$DATA/zones.csv" clusters "$DATA/clusters.csv" firms "$DATA/firms.csv" \
    members "$DATA/members.csv" institutions "$DATA/institutions.csv" reports "$DATA/reports.csv"
  printf '   %s s wall (user %s s, sys %s s), peak RSS %s KB\n' "$WALL" "$USER" "$SYS" "$RSS_KB"
fi
if [[ ! -f $DUCK ]]; then
  echo "== building $DUCK from $DATA"
  LOG=$OUT/$NAME.duckdb-build.log
  timed node "$DUCKJS" build "$DATA" "$DUCK"
  printf '   %s s wall (user %s s, sys %s s), peak RSS %s KB\n' "$WALL" "$USER" "$SYS" "$RSS_KB"
fi
version=$(sqlite3 "$DB" "PRAGMA user_version")
if [[ $version -lt 2 ]]; then
  # A database imported by an older build (schema 1) has no columnar snapshot: upgrading builds it.
  echo "== upgrading $DB (schema $version) with clusterscope init: builds the columnar snapshot"
  LOG=$OUT/$NAME.upgrade.log
  timed "$CLI" --db "$DB" init
  printf '   %s s wall (user %s s, sys %s s), peak RSS %s KB; load %s\n' "$WALL" "$USER" "$SYS" "$RSS_KB" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
fi
snapshot=$(sqlite3 "$DB" "SELECT count(*) || ' blobs, ' || sum(length(data)) || ' bytes' FROM report_columns" 2>/dev/null || echo none)
echo "== columnar snapshot (report_columns): $snapshot"
reports=$(sqlite3 "$DB" "SELECT count(*) FROM reports")
echo "== data: $reports report rows; $DB $(stat -c %s "$DB") bytes, $DUCK $(stat -c %s "$DUCK") bytes"

# Every cold run reads its database file from the OS page cache.
cat "$DB" "$DUCK" >/dev/null

echo "== load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== clusterscope: cs_bench_indicators (fresh process: open, LoadDataset, catalogue x3, seven figures x3)"
LOG=$OUT/$NAME.ours.log
timed "$BENCH" "$DB" --dump-seven "$OUT/$NAME.cs7.csv" --dump-catalogue "$OUT/$NAME.catalogue.csv"
sed 's/^/   /' "$LOG" | grep -v '^   summary:'
OURS_WALL=$WALL OURS_RSS=$RSS_KB
LOAD=$(field "$LOG" process_to_loaded_s)
CAT_BEST=$(field "$LOG" catalogue_best_s)
CAT_FIRST=$(field "$LOG" catalogue_first_s)
SEVEN_BEST=$(field "$LOG" seven_best_s)
COLD_CAT=$(field "$LOG" cold_catalogue_s)
COLD_SEVEN=$(field "$LOG" cold_seven_s)
LOAD_HWM=$(field "$LOG" load_hwm_kb)

echo "== clusterscope: cs_bench_indicators --by-year (fresh process: the whole catalogue as \`clusterscope indicators\` computes one question, a year at a time)"
LOG=$OUT/$NAME.byyear.log
timed "$BENCH" "$DB" --by-year --dump-catalogue "$OUT/$NAME.byyear.csv"
sed 's/^/   /' "$LOG" | grep -v '^   summary:'
BY_YEAR_COLD=$(field "$LOG" by_year_cold_s)
BY_YEAR_RSS=$RSS_KB
if cmp -s <(sort "$OUT/$NAME.catalogue.csv") <(sort "$OUT/$NAME.byyear.csv"); then
  BY_YEAR_SAME="the same $(wc -l <"$OUT/$NAME.byyear.csv") values as the resident run, byte for byte"
else
  BY_YEAR_SAME="DIFFERENT values from the resident run"
fi
echo "   $BY_YEAR_SAME"

echo "== sqlite3: $SQL twice in one fresh process (.timer on)"
LOG=$OUT/$NAME.sqlite.log
timed sqlite3 -csv -header "$DB" -cmd ".timer on" -cmd ".once $OUT/$NAME.sql7.csv" ".read $SQL" ".once /dev/null" ".read $SQL"
mapfile -t SQL_RUNS < <(sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' "$LOG")
SQL_COLD=${SQL_RUNS[0]} SQL_WARM=${SQL_RUNS[1]} SQL_RSS=$RSS_KB
printf '   first (cold) %s s, second (same process) %s s; process wall %s s, peak RSS %s KB\n' \
  "$SQL_COLD" "$SQL_WARM" "$WALL" "$SQL_RSS"

echo "== duckdb: $DUCKJS query (fresh process: open + query, then 3 warm runs)"
LOG=$OUT/$NAME.duckdb.log
timed node "$DUCKJS" query "$DUCK" --dump "$OUT/$NAME.duck7.csv"
sed 's/^/   /' "$LOG" | grep -v '^   summary:'
DUCK_COLD=$(field "$LOG" cold_s)
DUCK_WARM=$(field "$LOG" warm_best_s)
DUCK_HWM=$(field "$LOG" end_hwm_kb)
DUCK_WALL=$WALL DUCK_RSS=$RSS_KB

# The three must agree on every cluster × year: integers exactly, reals within 1e-9 relative.
compare() {
  awk 'BEGIN { FS = ","; bad = 0; rows = 0 }
    FNR == 1 { next }
    NR == FNR { a[$1 "," $2] = $0; next }
    { k = $1 "," $2; rows++
      if (!(k in a)) { if (bad++ < 5) print "   missing in first: " k; next }
      n = split(a[k], x, ","); split($0, y, ",")
      for (i = 3; i <= n; i++) {
        if (x[i] == "" || y[i] == "") { if (x[i] != y[i] && bad++ < 5) print "   null differs: " k " col " i; continue }
        if (x[i] ~ /^-?[0-9]+$/ && y[i] ~ /^-?[0-9]+$/) { if (x[i] != y[i] && bad++ < 5) print "   differs: " k " col " i ": " x[i] " vs " y[i]; continue }
        d = x[i] - y[i]; if (d < 0) d = -d; m = x[i] < 0 ? -x[i] : x[i]
        if (d > 1e-9 * (m > 1 ? m : 1) && bad++ < 5) print "   differs: " k " col " i ": " x[i] " vs " y[i]
      }
      delete a[k] }
    END { for (k in a) if (bad++ < 5) print "   missing in second: " k
          printf "%d rows, %d differences\n", rows, bad; exit bad > 0 }' "$1" "$2"
}
echo "== load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== seven figures, every cluster x year: clusterscope vs sqlite3: $(compare "$OUT/$NAME.cs7.csv" "$OUT/$NAME.sql7.csv")"
echo "== seven figures, every cluster x year: clusterscope vs duckdb:  $(compare "$OUT/$NAME.cs7.csv" "$OUT/$NAME.duck7.csv")"

awk -v load="$LOAD" -v cat_best="$CAT_BEST" -v cat_first="$CAT_FIRST" -v seven="$SEVEN_BEST" \
  -v cold_cat="$COLD_CAT" -v cold_seven="$COLD_SEVEN" -v ours_wall="$OURS_WALL" -v ours_rss="$OURS_RSS" \
  -v load_hwm="$LOAD_HWM" -v sql_cold="$SQL_COLD" -v sql_warm="$SQL_WARM" -v sql_rss="$SQL_RSS" \
  -v duck_cold="$DUCK_COLD" -v duck_warm="$DUCK_WARM" -v duck_rss="$DUCK_RSS" -v duck_wall="$DUCK_WALL" \
  -v by_cold="$BY_YEAR_COLD" -v by_rss="$BY_YEAR_RSS" 'BEGIN {
  print  "== summary (seconds; peak RSS of the whole process)"
  printf "   clusterscope  LoadDataset (process start to loaded) %.2f, peak RSS after load %d KB\n", load, load_hwm
  printf "   clusterscope  whole catalogue warm: best of 3 %.2f (first %.2f); seven figures warm: best of 3 %.2f\n", cat_best, cat_first, seven
  printf "   clusterscope  cold = load + first run: whole catalogue %.2f, seven figures %.2f; process wall %.2f, peak RSS %d KB\n", cold_cat, cold_seven, ours_wall, ours_rss
  printf "   sqlite3       seven figures: first run in a fresh process %.2f, second run %.2f; peak RSS %d KB\n", sql_cold, sql_warm, sql_rss
  printf "   duckdb        seven figures: cold (open + query) %.2f, warm best of 3 %.2f; process wall %.2f, peak RSS %d KB\n", duck_cold, duck_warm, duck_wall, duck_rss
  printf "== warm: our whole catalogue / DuckDB seven figures = %.2f (target <= 1: %s)\n", cat_best / duck_warm, cat_best <= duck_warm ? "met" : "NOT met"
  printf "         our seven figures / DuckDB seven figures    = %.2f\n", seven / duck_warm
  printf "== cold: our load + seven figures / DuckDB cold      = %.2f (target <= 3: %s)\n", cold_seven / duck_cold, cold_seven <= 3 * duck_cold ? "met" : "NOT met"
  printf "         our load + whole catalogue / DuckDB cold    = %.2f (target <= 3: %s)\n", cold_cat / duck_cold, cold_cat <= 3 * duck_cold ? "met" : "NOT met"
  printf "   clusterscope  by year (as the indicators command runs one question): whole catalogue cold %.2f, peak RSS %d KB\n", by_cold, by_rss
  printf "== issue 11: warm whole catalogue / DuckDB warm     = %.2f (target <= 0.85: %s)\n", cat_best / duck_warm, cat_best <= 0.85 * duck_warm ? "met" : "NOT met"
  printf "             cold whole catalogue by year / DuckDB cold = %.2f (target <= 2: %s)\n", by_cold / duck_cold, by_cold <= 2 * duck_cold ? "met" : "NOT met"
  printf "             cold whole catalogue resident / DuckDB cold = %.2f\n", cold_cat / duck_cold
  printf "             peak RSS by year / DuckDB peak RSS  = %.2f (target <= 1: %s); resident %.2f\n", by_rss / duck_rss, by_rss <= duck_rss ? "met" : "NOT met", ours_rss / duck_rss
  printf "== sqlite3 / DuckDB: cold %.2f, warm %.2f; our warm whole catalogue / sqlite3 warm seven figures = %.2f\n", sql_cold / duck_cold, sql_warm / duck_warm, cat_best / sql_warm
  printf "result: by_year_cold=%.2f by_year_rss_kb=%d load=%.2f cat_best=%.2f seven_best=%.2f cold_seven=%.2f cold_cat=%.2f ours_rss_kb=%d sql_cold=%.2f sql_warm=%.2f sql_rss_kb=%d duck_cold=%.2f duck_warm=%.2f duck_rss_kb=%d\n", by_cold, by_rss, load, cat_best, seven, cold_seven, cold_cat, ours_rss, sql_cold, sql_warm, sql_rss, duck_cold, duck_warm, duck_rss
}'
