#!/usr/bin/env bash
# The place benchmarks recorded in docs/performance.md ("Place"). Not a test. Needs a release
# build (cmake --preset release && cmake --build build --target clusterscope cs_bench_place).
# Optional: Rscript (base R comparison), mpirun (rank scaling). Writes into bench/out/place/.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/place
mkdir -p "$OUT"
T="/usr/bin/time -f %e_s_wall_%U_s_user_%M_KB"
say() { echo "== $* (load $(cut -d' ' -f1-3 /proc/loadavg))"; }

say "Kd, 1,000 points among 10,000 sites, 1,000 simulations, r 0..200 km"
$T build/bench/cs_bench_place kd 10000 1000 1000 200 5 0 "$OUT/pts_10k.csv"
say "Kd, the same, r 0..2,000 km (every pair within reach)"
$T build/bench/cs_bench_place kd 10000 1000 1000 2000 50
say "M (unweighted), 1,000 points among 10,000 sites, 1,000 simulations, r 0..200 km"
$T build/bench/cs_bench_place m 10000 1000 1000 200 5
say "weighted: Kemp Kd and weighted M, the same"
$T build/bench/cs_bench_place kdw 10000 1000 1000 200 5
$T build/bench/cs_bench_place mw 10000 1000 1000 200 5
if command -v Rscript >/dev/null; then
  say "base R (dbmss's Kdhat recipe), 1,000 points among 10,000 sites, 50 simulations"
  $T Rscript bench/kd_base_r.R "$OUT/pts_10k.csv" 50 200 5
fi

DB="$OUT/d100k.db"
[ -f "$DB" ] || build/clusterscope --db "$DB" demo --firms 100000 >/dev/null
CS="build/clusterscope --db $DB"
say "national: Kd of GB/T 4754 group 651 in 2014 (10,755 firms among 84,301 sites), 1,000 simulations"
$T $CS agglomeration kd --industry 651 --year 2014 --r 0:200:5 --sims 1000 --format json > "$OUT/kd651.json"
grep '"en"' "$OUT/kd651.json"
say "national: M (unweighted), the same"
$T $CS agglomeration m --industry 651 --year 2014 --r 0:200:5 --sims 1000 --format json > "$OUT/m651.json"
grep '"en"' "$OUT/m651.json"
if command -v mpirun >/dev/null; then
  for n in 1 2 4; do
    say "MPI: $n rank(s), national Kd, 200 simulations"
    $T mpirun --allow-run-as-root --oversubscribe -n $n $CS agglomeration kd --industry 651 --year 2014 \
      --r 0:200:5 --sims 200 --mpi --format json > "$OUT/kd651_mpi$n.json"
  done
  cmp "$OUT/kd651_mpi1.json" "$OUT/kd651_mpi2.json" && cmp "$OUT/kd651_mpi1.json" "$OUT/kd651_mpi4.json" &&
    echo "MPI: 1, 2 and 4 ranks wrote identical bytes"
fi
