#!/usr/bin/env bash
# The server's soak test (docs/performance.md, "serve"): wrk for DURATION with a mix of reads
# (bench/serve_mix.lua: cluster and zone indicators, the cluster list and one cluster, the
# catalogue) while a login burst every 10 s (25 logins of one user from one address) must be
# rate limited; the server's resident memory is sampled every 10 s.
#
#   cmake --preset release && cmake --build build
#   bench/serve_soak.sh                  # DURATION=10m THREADS=$(nproc) CONNECTIONS=100 PORT=18481
#   DURATION=60s bench/serve_soak.sh     # a quick check of the script itself
#
# Fails (exit 1) if wrk saw any non-2xx answer or socket error, if a login answered anything but
# 200 or 429 (rate.limited), if no login was ever refused with 429, or if the RSS floor grew more
# than 10%: the lowest sample of the last minute against the lowest of the minute after the
# warm-up (the first minute; half of DURATION when that is shorter). The floor, not the highest
# sample: a sample taken during a login burst includes argon2id's 64 MiB working memory, which
# is given back when the hash is done (a leak raises the floor; a login only makes a spike).
# Prints every sample and wrk's report; appends nothing to any file.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
PORT=${PORT:-18481}
THREADS=${THREADS:-$(nproc)}
DURATION=${DURATION:-10m}
CONNECTIONS=${CONNECTIONS:-100}
source bench/serve_lib.sh

seconds() {  # 90s, 10m, 1h → seconds
  local v=$1
  case $v in
    *h) echo $(( ${v%h} * 3600 )) ;;
    *m) echo $(( ${v%m} * 60 )) ;;
    *s) echo "${v%s}" ;;
    *) echo "$v" ;;
  esac
}
TOTAL=$(seconds "$DURATION")
WARMUP=60
(( TOTAL <= WARMUP )) && WARMUP=$(( TOTAL / 2 ))

serve_prepare
serve_start
BASE="http://127.0.0.1:$PORT"
echo "== machine before: $(serve_machine)"
echo "== soak: wrk -t4 -c$CONNECTIONS -d$DURATION -s bench/serve_mix.lua, server --threads $THREADS, warm-up ${WARMUP}s"

WRK_OUT=$OUT/soak-wrk.txt
wrk -t4 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/serve_mix.lua \
  -H "Authorization: Bearer $TOKEN" "$BASE" >"$WRK_OUT" 2>&1 &
WRK=$!

LOGINS=$OUT/soak-logins.txt
: >"$LOGINS"
login_burst() {
  for _ in $(seq 25); do
    curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
      -d "{\"username\":\"bench\",\"password\":\"$BENCH_PASSWORD\"}" "$BASE/api/v1/session" >>"$LOGINS" || echo curl >>"$LOGINS"
  done
}

# The bursts on their own clock, so that the samples stay 10 s apart.
( while kill -0 "$WRK" 2>/dev/null; do login_burst; sleep 10; done ) &
BURSTS=$!

SAMPLES=()  # "t rss_kb" after the warm-up
WORST=0
START=$SECONDS
echo "== t(s)  rss(MiB)  load"
while kill -0 "$WRK" 2>/dev/null; do
  sleep 10
  kill -0 "$WRK" 2>/dev/null || break
  t=$(( SECONDS - START ))
  rss=$(serve_rss_kb)
  printf '   %4d  %8.1f  %s\n' "$t" "$(echo "$rss / 1024" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  if (( t >= WARMUP )); then
    SAMPLES+=("$t $rss")
    (( rss > WORST )) && WORST=$rss
  fi
done
wait "$WRK" || true
wait "$BURSTS" || true
PEAK_KB=$(serve_rss_kb VmHWM)
echo "== machine after: $(serve_machine)"
serve_stop
cat "$WRK_OUT"

fail=0
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WRK_OUT")
sockerr=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$WRK_OUT")
if [[ -n $non2xx && $non2xx != 0 ]]; then echo "FAIL: $non2xx non-2xx answers"; fail=1; fi
if [[ -n $sockerr && $sockerr != 0 ]]; then echo "FAIL: $sockerr socket errors"; fail=1; fi
grep -q 'requests in' "$WRK_OUT" || { echo "FAIL: wrk did not report"; fail=1; }
ok=$(grep -c '^200$' "$LOGINS" || true)
limited=$(grep -c '^429$' "$LOGINS" || true)
other=$(grep -vc '^\(200\|429\)$' "$LOGINS" || true)
echo "== logins: $ok answered 200, $limited rate limited (429), $other other"
if (( other > 0 )); then echo "FAIL: logins answered other than 200 or 429"; fail=1; fi
if (( limited == 0 )); then echo "FAIL: the login burst was never rate limited"; fail=1; fi
if (( ${#SAMPLES[@]} == 0 )); then
  echo "FAIL: no memory sample after the warm-up"; fail=1
else
  first_t=${SAMPLES[0]%% *}
  last_t=${SAMPLES[-1]%% *}
  floor_start=0
  floor_end=0
  for sample in "${SAMPLES[@]}"; do
    t=${sample%% *}
    rss=${sample##* }
    if (( t < first_t + 60 )) && (( floor_start == 0 || rss < floor_start )); then floor_start=$rss; fi
    if (( t > last_t - 60 )) && (( floor_end == 0 || rss < floor_end )); then floor_end=$rss; fi
  done
  echo "== RSS floor after warm-up $(( floor_start / 1024 )) MiB, floor of the last minute $(( floor_end / 1024 )) MiB," \
    "highest sample $(( WORST / 1024 )) MiB, peak $(( PEAK_KB / 1024 )) MiB"
  if (( floor_end * 10 > floor_start * 11 )); then echo "FAIL: the RSS floor grew more than 10%"; fail=1; fi
fi
(( fail == 0 )) && echo "== soak passed"
exit $fail
