#!/usr/bin/env bash
# One run of the PostgreSQL import benchmark (docs/performance.md, "Import into PostgreSQL"):
# clusterscope's validated import of the 1,000,000-row reports file into PostgreSQL against
# `psql \copy` of the same CSV into a bare table (every column TEXT: no types, keys or checks).
#
#   cmake --preset release && cmake --build build
#   bench/import_vs_psql.sh            # run it three times and take the median
#
# The server: $CS_BENCH_PG_URL if set (a database clusterscope may create schemas in), else a
# throwaway cluster started here with scripts/pg-test-cluster.sh, durable (fsync on), and stopped
# at the end. Steps: (1) writes bench/out/{firms,reports}.csv with cs_gen_bench_data if missing;
# (2) imports the firms into a fresh schema (timed separately: not part of the comparison);
# (3) times `clusterscope import reports`; (4) times psql's \copy into a fresh bare table; (5)
# prints both, the ratio, rows/s, peak memory and the machine; (6) for where the time goes, times
# psql's \copy of the rows clusterscope stored (exported in COPY format) into a table made LIKE
# clusterscope's reports table (the same types, key and index): the server's share of the work;
# (7) into the table that now holds the million rows: times `import reports` of its last 100,000
# rows again (every row looked up and found unchanged) and `import --replace reports` of the same
# rows with one revenue changed by 1 万元 each (every row replaced, its old values to history).
# Appends nothing to any file.
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
command -v psql >/dev/null || { echo "psql is not installed (postgresql-client-15)" >&2; exit 2; }

URL=${CS_BENCH_PG_URL:-}
if [[ -z $URL ]]; then
  env_line=$(CS_PG_DURABLE=1 scripts/pg-test-cluster.sh start)
  [[ -n $env_line ]] || { echo "no PostgreSQL server to run against" >&2; exit 2; }
  eval "$env_line"
  URL=$CS_TEST_PG_URL
  trap 'scripts/pg-test-cluster.sh stop "$CS_PG_DIR"' EXIT
fi
sep='?'
[[ $URL == *\?* ]] && sep='&'
CS_URL="${URL}${sep}options=-csearch_path%3Dcs_bench"

mkdir -p "$OUT"
if [[ ! -f $OUT/reports.csv || ! -f $OUT/firms.csv ]]; then
  echo "== generating $OUT/firms.csv and $OUT/reports.csv (seed 1, 100,000 firms x 10 years)"
  "$GEN" "$OUT"
fi
rows=$(($(wc -l <"$OUT/reports.csv") - 1))
bytes=$(stat -L -c %s "$OUT/reports.csv")

TIME_BIN=/usr/bin/time
[[ -x $TIME_BIN ]] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
timed() {  # timed LABEL CMD... → sets WALL USER SYS RSS_KB
  local label=$1 tf
  shift
  tf=$(mktemp)
  "$TIME_BIN" -f "%e %U %S %M" -o "$tf" "$@" >/dev/null
  read -r WALL USER SYS RSS_KB <"$tf"
  rm -f "$tf"
  printf '  %-34s wall %6.2f s   user %6s s   sys %5s s   peak RSS %s KB (client)\n' "$label" "$WALL" "$USER" "$SYS" "$RSS_KB"
}
sql() { psql "$URL" -X -q -v ON_ERROR_STOP=1 -At -c "SET client_min_messages = warning; $1"; }

cat "$OUT/reports.csv" "$OUT/firms.csv" >/dev/null  # both sides read the file from the page cache

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(sql 'SHOW server_version') (fsync $(sql 'SHOW fsync'), synchronous_commit $(sql 'SHOW synchronous_commit')), clusterscope $(git describe --always --dirty 2>/dev/null || echo '?')"
echo "== input: $OUT/reports.csv, $rows rows, $bytes bytes"

sql "DROP SCHEMA IF EXISTS cs_bench CASCADE; CREATE SCHEMA cs_bench; DROP TABLE IF EXISTS bare_reports, typed_reports"
timed "clusterscope import firms (setup)" "$CLI" --db "$CS_URL" import firms "$OUT/firms.csv"

timed "clusterscope import reports" "$CLI" --db "$CS_URL" import reports "$OUT/reports.csv"
OURS=$WALL OURS_RSS=$RSS_KB

# The bare table: the CSV's header as column names, every column TEXT.
columns=$(head -1 "$OUT/reports.csv" | tr -d '\r' | sed 's/,/ text, /g; s/$/ text/')
sql "CREATE TABLE bare_reports ($columns)"
timed "psql \\copy (bare table)" psql "$URL" -X -q -v ON_ERROR_STOP=1 -c "\\copy bare_reports FROM '$OUT/reports.csv' WITH (FORMAT csv, HEADER true)"
BARE=$WALL BARE_RSS=$RSS_KB

stored=$(sql "SELECT count(*) FROM cs_bench.reports")
bare_rows=$(sql "SELECT count(*) FROM bare_reports")
if [[ $stored != "$rows" || $bare_rows != "$rows" ]]; then
  echo "row counts differ: file $rows, clusterscope $stored, psql $bare_rows" >&2
  exit 1
fi

# The server's share: the same typed rows, with the key, without clusterscope.
typed_copy=$(mktemp)
psql "$URL" -X -q -v ON_ERROR_STOP=1 -c "\\copy cs_bench.reports TO '$typed_copy'"
sql "CREATE TABLE typed_reports (LIKE cs_bench.reports INCLUDING ALL)"
timed "psql \\copy (typed table, its key)" psql "$URL" -X -q -v ON_ERROR_STOP=1 -c "\\copy typed_reports FROM '$typed_copy'"
TYPED=$WALL
rm -f "$typed_copy"

awk -v ours="$OURS" -v bare="$BARE" -v rows="$rows" -v ors="$OURS_RSS" -v brs="$BARE_RSS" -v typed="$TYPED" 'BEGIN {
  printf "== result: clusterscope %.2f s (%.0f rows/s, client peak RSS %s KB), psql \\copy %.2f s (%.0f rows/s, client peak RSS %s KB)\n",
         ours, rows / ours, ors, bare, rows / bare, brs
  printf "== ratio clusterscope / psql = %.3f; the same typed rows with their key through psql: %.2f s (%.0f rows/s)\n",
         ours / bare, typed, rows / typed
}'

# Into a table that holds rows: lookups in batches, replacements pipelined (docs/storage.md).
last=$(mktemp --suffix=.csv)
changed=$(mktemp --suffix=.csv)
{ head -1 "$OUT/reports.csv"; tail -n 100000 "$OUT/reports.csv"; } >"$last"
revenue=$(head -1 "$OUT/reports.csv" | tr -d '\r' | tr ',' '\n' | grep -n -x 'revenue' | cut -d: -f1)
awk -F, -v c="$revenue" 'BEGIN { OFS = "," } NR == 1 { print; next } { $c = sprintf("%.2f", $c + 1); print }' "$last" >"$changed"
timed "import of 100,000 stored, unchanged" "$CLI" --db "$CS_URL" import reports "$last"
UNCHANGED=$WALL
timed "import --replace of 100,000 changed" "$CLI" --db "$CS_URL" import --replace reports "$changed"
REPLACED=$WALL
history=$(sql "SELECT count(*) FROM cs_bench.history WHERE kind = 'reports'")
rm -f "$last" "$changed"
if [[ $history != 100000 ]]; then
  echo "history holds $history reports, not the 100000 replaced" >&2
  exit 1
fi
awk -v u="$UNCHANGED" -v r="$REPLACED" 'BEGIN {
  printf "== into the table of 1,000,000 rows: 100,000 unchanged %.2f s (%.0f rows/s), 100,000 replaced %.2f s (%.0f rows/s)\n",
         u, 100000 / u, r, 100000 / r
}'
sql "DROP SCHEMA cs_bench CASCADE; DROP TABLE bare_reports; DROP TABLE typed_reports" 2>/dev/null
