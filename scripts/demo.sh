#!/usr/bin/env bash
# README command 1: install, build (release, build/), and run the demo on the embedded default
# database (./clusterscope-demo.db). Idempotent.
#
#   scripts/demo.sh [--serve [--port N]] [demo options…]
#
# --serve: then serve the demo database with the dashboard on http://127.0.0.1:N/ (8080), with a
# national user `demo` whose password is made anew and printed (the demo's data are synthetic;
# never do this with real data). Stops with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
serve=0
port=8080
demo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --serve) serve=1 ;;
    --port) port="$2"; shift ;;
    --port=*) port="${1#--port=}" ;;
    *) demo_args+=("$1") ;;
  esac
  shift
done
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
build/clusterscope demo "${demo_args[@]}"
[ "$serve" = 1 ] || exit 0

db=clusterscope-demo.db
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
if build/clusterscope --db "$db" users list --format csv | cut -d, -f1 | grep -qx demo; then
  printf '%s\n' "$password" | build/clusterscope --db "$db" users password demo --password-stdin >/dev/null
else
  printf '%s\n' "$password" | build/clusterscope --db "$db" users add demo --role national --password-stdin >/dev/null
fi
echo
echo "dashboard 仪表盘: http://127.0.0.1:${port}/   user 用户: demo   password 密码: ${password}"
echo "(Ctrl-C stops the server 按 Ctrl-C 停止)"
exec build/clusterscope --db "$db" serve --port "$port"
