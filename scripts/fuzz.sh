#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang (-fsanitize=fuzzer,address,undefined) in
# build-fuzz/ and runs each for SECONDS (default 20), seeded from tests/data and examples/, with
# its corpus kept in build-fuzz/corpus/TARGET. Exits non-zero on the first finding (the crashing
# input is left in build-fuzz/findings/). Usage: scripts/fuzz.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_csv fuzz_xlsx fuzz_cell fuzz_header fuzz_scheme)
jobs="${CS_FUZZ_BUILD_JOBS:-2}"
CXX_BIN="${CS_FUZZ_CXX:-clang++-14}"
CC_BIN="${CS_FUZZ_CC:-clang-14}"
if ! command -v "$CXX_BIN" >/dev/null; then
  echo "fuzz: $CXX_BIN not found (scripts/install-deps.sh installs clang-14 and libclang-rt-14-dev)" >&2
  exit 2
fi
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$CXX_BIN" \
  -DCMAKE_C_COMPILER="$CC_BIN" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" -DCLUSTERSCOPE_FUZZ=ON \
  -DCLUSTERSCOPE_BUILD_TESTS=OFF -DCLUSTERSCOPE_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target "${targets[@]}"

seed() {  # seed TARGET DIR: the starting corpus for TARGET
  local target="$1" dir="$2"
  mkdir -p "$dir"
  case "$target" in
    fuzz_csv) find tests/data examples -name '*.csv' -size -64k -exec cp -n {} "$dir/" \; ;;
    fuzz_xlsx) find tests/data examples -name '*.xlsx' -size -256k -exec cp -n {} "$dir/" \; ;;
    fuzz_scheme) find schemes tests/data -name '*.toml' -size -64k -exec cp -n {} "$dir/" \; ;;
    fuzz_cell)
      local i=0
      for v in 350000 "1,234.5" "１２３" "10²" "⑤" "2003-05-12" "2003年5月12日" "91630104XY0001744X" "QH-BIO" \
        "是" "-0.01" "99999999999999999999" "630105" "C2740" "2730;2740" "36.6" "101.8"; do
        for k in 0 7 13 29 41 53 67 79 97 111 127 151 173 199 211 233; do
          printf "\\x$(printf %02x $k)%s" "$v" >"$dir/seed_$i"
          i=$((i + 1))
        done
      done
      ;;
    fuzz_header)
      local i=0
      for f in $(find tests/data examples -name '*.csv' -size -64k | head -40); do
        for k in 0 1 2 3 4 5 6 7 8 135; do
          { printf "\\x$(printf %02x $k)"; head -1 "$f" | tr ',' '\n'; } >"$dir/seed_$i"
          i=$((i + 1))
        done
      done
      ;;
  esac
}

mkdir -p build-fuzz/findings
for target in "${targets[@]}"; do
  corpus="build-fuzz/corpus/$target"
  [ -d "$corpus" ] || seed "$target" "$corpus"
  echo "== $target: ${seconds}s, corpus $(find "$corpus" -type f | wc -l) files"
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "build-fuzz/fuzz/$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$target-" 2>&1 |
    grep -E "stat::|Done|ERROR|SUMMARY|BINGO|crash-|timeout-|oom-|leak-" || true
  if ls build-fuzz/findings/"$target"-* >/dev/null 2>&1; then
    echo "fuzz: $target found something: $(ls build-fuzz/findings/"$target"-*)" >&2
    exit 1
  fi
  echo "   corpus now $(find "$corpus" -type f | wc -l) files"
done
echo "fuzz: no findings"
