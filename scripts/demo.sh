#!/usr/bin/env bash
# README command 1: install, build (release, build/), and run the demo on the embedded default
# database (./clusterscope-demo.db). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
build/clusterscope demo "$@"
