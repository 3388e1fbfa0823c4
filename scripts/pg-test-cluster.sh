#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 14): initdb into DIR, a Unix socket in DIR
# and no TCP at all (listen_addresses = ''), trust authentication for the local socket, durability
# off (the tests kill clients, never the server). As root it runs the server as the `postgres`
# user (PostgreSQL refuses to run as root); no systemd needed. CS_PG_DURABLE=1 keeps fsync and
# synchronous commit on (the benchmark, bench/import_vs_psql.sh).
#
#   scripts/pg-test-cluster.sh start [DIR]   starts it (DIR default: a new temporary directory) and
#                                            prints `export CS_TEST_PG_URL=…; export CS_PG_DIR=…`
#   scripts/pg-test-cluster.sh stop [DIR]    stops it and removes DIR (default: $CS_PG_DIR)
#
# ctest starts and stops it by itself (tests/CMakeLists.txt, fixture "postgres"); this script is
# also for a shell: eval "$(scripts/pg-test-cluster.sh start)". Where the server binaries are not
# installed it says so on stderr, prints nothing and exits 0: the PostgreSQL tests then skip.
set -euo pipefail

bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
cmd="${1:-}"
dir="${2:-}"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
      echo "pg-test-cluster: no PostgreSQL server in $bin (install postgresql-15): the PostgreSQL tests skip" >&2
      exit 0
    fi
    if [ -z "$dir" ]; then dir="$(mktemp -d /tmp/cs-pg.XXXXXX)"; fi
    # A cluster left running by an interrupted run is stopped and replaced.
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir/data" "$dir/sock"
    mkdir -p "$dir/sock"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
max_connections = 200
CONF
    if [ "${CS_PG_DURABLE:-0}" != "1" ]; then
      printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$dir/data/postgresql.conf"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "export CS_TEST_PG_URL='postgresql:///postgres?host=$dir/sock&user=postgres'; export CS_PG_DIR='$dir'"
    ;;
  stop)
    dir="${dir:-${CS_PG_DIR:-}}"
    if [ -z "$dir" ]; then echo "usage: $0 stop DIR (or set CS_PG_DIR)" >&2; exit 2; fi
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
    ;;
esac
