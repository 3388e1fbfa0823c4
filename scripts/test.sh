#!/usr/bin/env bash
# README command 2 (and .ci/run): install, build and run every test — the release build, then
# the ASan/UBSan build, then a brief run of each fuzzer. Idempotent. Set CS_SKIP_ASAN=1 to run
# only the release suite, CS_SKIP_FUZZ=1 to skip the fuzzers.
#
# Two pairs of stages overlap: the ASan/UBSan build runs beside the release tests, and the
# fuzzers beside the ASan/UBSan tests. A test suite leaves much of the CPU idle (its processes
# wait on the CLI processes they start, on servers, sockets and kill timers: the release suite
# used 212 of the 390 CPU-seconds its 195 s on two cores offered), and the stage beside it, at a
# lower priority, takes that up. The background stage's output goes to a log, printed when it is
# done; if either stage fails, the script stops the other and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"

asan=1
[ "${CS_SKIP_ASAN:-0}" != "1" ] || asan=0
fuzz=0
if [ "${CS_SKIP_FUZZ:-0}" != "1" ]; then
  if command -v clang++-14 >/dev/null; then fuzz=1; else echo "== fuzzing skipped: clang++-14 not installed"; fi
fi

logs="$(mktemp -d)"
bg_pid=""
bg_name=""
# The background stage runs in a process group of its own (setsid), so that stopping it stops
# the compilers or fuzzers it started too. Stopped within moments of its start, it may not have
# made its group yet: then the process itself is stopped, before it starts anything.
trap 'if [ -n "$bg_pid" ]; then kill -- "-$bg_pid" 2>/dev/null || kill "$bg_pid" 2>/dev/null || true; fi; rm -rf "$logs"' EXIT
start_bg() {  # start_bg NAME NICENESS CMD…: CMD in the background, its output to a log
  bg_name="$1"
  local niceness="$2"
  shift 2
  setsid nice -n "$niceness" "$@" >"$logs/$bg_name.log" 2>&1 &
  bg_pid=$!
}
finish_bg() {  # waits for the background stage, prints its log, and fails if it failed
  local rc=0
  wait "$bg_pid" || rc=$?
  bg_pid=""
  echo "== $bg_name (ran in the background; its output follows)"
  cat "$logs/$bg_name.log"
  if [ "$rc" -ne 0 ]; then
    echo "== $bg_name failed (exit status $rc)" >&2
    exit "$rc"
  fi
}

echo "== release build"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

if [ "$asan" = 1 ]; then
  echo "== ASan + UBSan build, in the background beside the release tests"
  start_bg asan-build 10 bash -c 'cmake --preset asan >/dev/null && cmake --build --preset asan -j "$1"' _ "$jobs"
fi
echo "== release tests"
ctest --preset release -j "$jobs"

if [ "$asan" = 1 ]; then
  finish_bg
  if [ "$fuzz" = 1 ]; then
    # Niceness 5, not 10: a fuzzer starved of the CPU could take an input past its 10 s timeout.
    echo "== fuzzing (20 s a target; scripts/fuzz.sh, fuzz/README.md), in the background beside the ASan tests"
    start_bg fuzz 5 env CS_FUZZ_BUILD_JOBS="$jobs" scripts/fuzz.sh 20
  fi
  echo "== ASan + UBSan tests"
  # The kill tests prove durability, which the release suite checks with 25 kills a variant of a
  # 20,000-row import; under the sanitizers they check that the importer's paths are memory-clean,
  # for which 6 kills of a 5,000-row import do (with 25 kills they were half of this suite's time,
  # 487 of 915 CPU-seconds; with 6 kills of 20,000 rows still its largest item, 190 s of 1,060).
  CS_CRASH_ITERATIONS="${CS_CRASH_ITERATIONS:-6}" CS_CRASH_FIRMS="${CS_CRASH_FIRMS:-500}" \
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" \
    ctest --preset asan -j "$jobs"
  [ "$fuzz" = 0 ] || finish_bg
elif [ "$fuzz" = 1 ]; then
  echo "== fuzzing (20 s a target; scripts/fuzz.sh, fuzz/README.md)"
  CS_FUZZ_BUILD_JOBS="$jobs" scripts/fuzz.sh 20
fi

echo "== formatting"
scripts/check-format.sh
echo "all tests passed"
