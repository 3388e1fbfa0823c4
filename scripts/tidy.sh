#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over the library and tools, using build-debug's compile commands.
# Slow (about a minute per file on 2 cores), so it is not part of scripts/test.sh; run it before
# a large change lands. Pass files to check only those.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build-debug/compile_commands.json ] || cmake --preset debug >/dev/null
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files 'src/*.cpp' 'tools/*.cpp'); fi
clang-tidy -p build-debug --quiet "${files[@]}"
