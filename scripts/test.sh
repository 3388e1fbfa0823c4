#!/usr/bin/env bash
# README command 2 (and .ci/run): install, build and run every test — the release build, then
# the ASan/UBSan build, then a brief run of each fuzzer. Idempotent. Set CS_SKIP_ASAN=1 to run
# only the release suite, CS_SKIP_FUZZ=1 to skip the fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"

echo "== release build and tests"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

if [ "${CS_SKIP_ASAN:-0}" != "1" ]; then
  echo "== ASan + UBSan build and tests"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  # The kill tests prove durability, which the release suite checks with 25 kills a variant; under
  # the sanitizers they check that the importer's paths are memory-clean, for which 6 kills do, and
  # they were half of this suite's time (487 of 915 CPU-seconds with 25).
  CS_CRASH_ITERATIONS="${CS_CRASH_ITERATIONS:-6}" \
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" \
    ctest --preset asan -j "$jobs"
fi

if [ "${CS_SKIP_FUZZ:-0}" != "1" ]; then
  if command -v clang++-14 >/dev/null; then
    echo "== fuzzing (20 s a target; scripts/fuzz.sh, fuzz/README.md)"
    CS_FUZZ_BUILD_JOBS="$jobs" scripts/fuzz.sh 20
  else
    echo "== fuzzing skipped: clang++-14 not installed"
  fi
fi

echo "== formatting"
scripts/check-format.sh
echo "all tests passed"
