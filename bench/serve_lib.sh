# Sourced by bench/serve_bench.sh and bench/serve_soak.sh: the demo database with a national user
# and a token, and a server started on it. Expects BUILD, PORT and THREADS set by the caller.
CLI=$BUILD/clusterscope
OUT=bench/out
DB=$OUT/serve-demo.db
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed (apt-get install curl)" >&2; exit 2; }
[[ -x $CLI ]] || { echo "missing $CLI: cmake --preset release && cmake --build build" >&2; exit 2; }

# The database (built once: `clusterscope demo`, default 20,000 firms), the national user
# `bench` with a known password (for the login burst), and a one-day token in $TOKEN.
serve_prepare() {
  mkdir -p "$OUT"
  if [[ ! -f $DB ]]; then
    echo "== building $DB (clusterscope demo)"
    "$CLI" --db "$DB" demo --firms "${FIRMS:-20000}" >/dev/null
  fi
  BENCH_PASSWORD=bench-password-not-secret
  if ! "$CLI" --db "$DB" users list --format csv | grep -q '^bench,'; then
    printf '%s\n' "$BENCH_PASSWORD" | "$CLI" --db "$DB" users add bench --role national --password-stdin >/dev/null
  else
    printf '%s\n' "$BENCH_PASSWORD" | "$CLI" --db "$DB" users password bench --password-stdin >/dev/null
  fi
  TOKEN=$("$CLI" --db "$DB" users token bench --expires 1 2>/dev/null)
}

# Starts the server in the background ($SERVER: its pid, so that SIGTERM reaches it and /proc
# shows its memory) and waits until it answers.
serve_start() {
  "$CLI" --db "$DB" serve --port "$PORT" --threads "$THREADS" --cache-mib "${CACHE_MIB:-64}" 2>"$OUT/serve.log" &
  SERVER=$!
  trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    # Ours answering, not another program that holds the port (ours then exits at once).
    kill -0 "$SERVER" 2>/dev/null || break
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && kill -0 "$SERVER" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "the server did not answer on port $PORT: $(cat "$OUT/serve.log")" >&2
  exit 3
}

# KiB of the server's resident memory now (VmRSS) or at its peak (VmHWM).
serve_rss_kb() { awk -v k="${1:-VmRSS}:" '$1 == k {print $2}' "/proc/$SERVER/status"; }

# Seconds of CPU (user + system) the server has used so far.
serve_cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$SERVER/stat"; }

serve_stop() {
  kill -TERM "$SERVER"
  wait "$SERVER" || true
  trap - EXIT
}

serve_machine() {
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
}
