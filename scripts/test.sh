#!/usr/bin/env bash
# README command 2 (and .ci/run): install, build and run every test — the release build, then
# the ASan/UBSan build. Idempotent. Set CS_SKIP_ASAN=1 to run only the release suite.
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
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" \
    ctest --preset asan -j "$jobs"
fi

echo "== formatting"
scripts/check-format.sh
echo "all tests passed"
