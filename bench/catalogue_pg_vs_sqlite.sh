#!/usr/bin/env bash
# One run of the PostgreSQL read benchmark (docs/performance.md, "The catalogue from PostgreSQL"):
# the whole indicator catalogue for every cluster, zone, province and the country over every
# year, cold (a fresh process: open, LoadDataset, first run) and warm (best of the next runs), from
# a PostgreSQL schema and from an SQLite file holding the same data, side by side in one run.
#
#   cmake --preset release && cmake --build build
#   bench/catalogue_pg_vs_sqlite.sh           # FIRMS=n for another size (default 100,000)
#
# Steps: (1) writes bench/out/national-$FIRMS/*.csv with `clusterscope generate --firms $FIRMS
# --years 2007-2016 --seed 1` if missing; (2) imports them into a fresh SQLite file
# bench/out/catalogue-$FIRMS.db and into a fresh schema cs_catalogue of the server (both timed:
# the import keeps the columnar snapshot current at commit on both stores, so no reader builds
# it); (3) runs cs_bench_indicators on each (catalogue 3 times) and compares the two catalogues
# value for value (--dump-catalogue); (4) prints cold and warm times and their ratios. The server:
# $CS_BENCH_PG_URL if set, else a throwaway durable cluster (scripts/pg-test-cluster.sh) on a Unix
# socket, stopped at the end. The machine is shared: the load average is printed before each step.
# Appends nothing to any file.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
FIRMS=${FIRMS:-100000}
OUT=bench/out
DATA=$OUT/national-$FIRMS
DB=$OUT/catalogue-$FIRMS.db
CLI=$BUILD/clusterscope
BENCH=$BUILD/bench/cs_bench_indicators
if [[ ! -x $CLI || ! -x $BENCH ]]; then
  echo "missing $CLI or $BENCH: cmake --preset release && cmake --build build" >&2
  exit 2
fi
command -v psql >/dev/null || { echo "psql is not installed (postgresql-client-15)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 2; }

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
PG="${URL}${sep}options=-csearch_path%3Dcs_catalogue"
sql() { psql "$URL" -X -q -v ON_ERROR_STOP=1 -At -c "SET client_min_messages = warning; $1"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

TF=$(mktemp)
timed() {  # timed CMD... → WALL USER SYS RSS_KB; the command's stdout to $LOG
  /usr/bin/time -f "%e %U %S %M" -o "$TF" "$@" >"$LOG"
  read -r WALL USER SYS RSS_KB <"$TF"
}
field() { sed -n 's/^summary: //p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }  # field FILE KEY

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(load)"
echo "== $(sql 'SHOW server_version') (fsync $(sql 'SHOW fsync')), clusterscope $(git describe --always --dirty 2>/dev/null || echo '?')"
mkdir -p "$OUT"
if [[ ! -f $DATA/reports.csv ]]; then
  echo "== generating $DATA ($FIRMS firms, 2007-2016, seed 1)"
  LOG=$OUT/national-$FIRMS.generate.log
  timed "$CLI" generate --firms "$FIRMS" --years 2007-2016 --seed 1 --out "$DATA"
fi
files=(zones "$DATA/zones.csv" clusters "$DATA/clusters.csv" firms "$DATA/firms.csv" members "$DATA/members.csv"
  institutions "$DATA/institutions.csv" reports "$DATA/reports.csv")
cat "$DATA"/*.csv >/dev/null  # both imports read the files from the page cache

rm -f "$DB" "$DB-wal" "$DB-shm"
sql "DROP SCHEMA IF EXISTS cs_catalogue CASCADE; CREATE SCHEMA cs_catalogue"
for store in sqlite postgres; do
  target=$DB
  [[ $store == postgres ]] && target=$PG
  LOG=$OUT/catalogue-$FIRMS.$store.import.log
  echo "== load $(load): import into $store"
  timed "$CLI" --db "$target" import "${files[@]}"
  printf '   %s s wall (user %s s, sys %s s), client peak RSS %s KB\n' "$WALL" "$USER" "$SYS" "$RSS_KB"
done
echo "== data: $(sql 'SELECT count(*) FROM cs_catalogue.reports') report rows, $(sql 'SELECT count(*) FROM cs_catalogue.firms') firms"

declare -A COLD WARM LOADS
for store in sqlite postgres; do
  target=$DB
  [[ $store == postgres ]] && target=$PG
  LOG=$OUT/catalogue-$FIRMS.$store.log
  echo "== load $(load): cs_bench_indicators on $store (fresh process: open, LoadDataset, catalogue x3)"
  timed "$BENCH" "$target" --runs 3 --dump-catalogue "$OUT/catalogue-$FIRMS.$store.csv"
  sed 's/^/   /' "$LOG" | grep -v '^   summary:' | grep -v '^   probe\|^                  '
  COLD[$store]=$(field "$LOG" cold_catalogue_s)
  WARM[$store]=$(field "$LOG" catalogue_best_s)
  LOADS[$store]=$(field "$LOG" load_s)
done
if cmp -s "$OUT/catalogue-$FIRMS.sqlite.csv" "$OUT/catalogue-$FIRMS.postgres.csv"; then
  echo "== the two catalogues are identical ($(wc -l <"$OUT/catalogue-$FIRMS.sqlite.csv") lines)"
else
  echo "== the two catalogues DIFFER: diff $OUT/catalogue-$FIRMS.sqlite.csv $OUT/catalogue-$FIRMS.postgres.csv" >&2
  exit 1
fi
awk -v cs="${COLD[sqlite]}" -v cp="${COLD[postgres]}" -v ws="${WARM[sqlite]}" -v wp="${WARM[postgres]}" \
  -v ls="${LOADS[sqlite]}" -v lp="${LOADS[postgres]}" 'BEGIN {
  printf "== result: LoadDataset sqlite %.3f s, postgres %.3f s (%.2fx)\n", ls, lp, lp / ls
  printf "==         cold catalogue sqlite %.3f s, postgres %.3f s (%.2fx)\n", cs, cp, cp / cs
  printf "==         warm catalogue sqlite %.3f s, postgres %.3f s (%.2fx)\n", ws, wp, wp / ws
}'
rm -f "$TF" "$DB" "$DB-wal" "$DB-shm"
sql "DROP SCHEMA cs_catalogue CASCADE"
