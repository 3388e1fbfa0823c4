#!/usr/bin/env bash
# Installs everything clusterscope needs to build, run and test on Debian 12 (as root, or with
# sudo available). Idempotent: apt-get skips what is already installed.
set -euo pipefail

packages=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config git clang-format clang-tidy
  # storage
  libsqlite3-dev sqlite3
  # the PostgreSQL store: libpq, and a server for its tests (scripts/pg-test-cluster.sh)
  libpq-dev postgresql-15
  # text: Traditional → Simplified, Unicode normalisation, GB18030
  libopencc-dev libopencc-data libicu-dev
  # files: xlsx in (zip + XML) and out
  libzip-dev zlib1g-dev libpugixml-dev libxlsxwriter-dev
  # libraries used across the code
  nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev libtomlplusplus-dev libfast-float-dev
  # briefings: HTML rendered headless in tests, CJK font for charts and pages, PNG read back
  chromium fonts-wqy-zenhei libpng-dev
  # briefings: the Word document's charts drawn as PNG (cairo, text by pango)
  libcairo2-dev libpango1.0-dev
  # tests only: the Word document opened and converted to PDF, and the PDF read back
  libreoffice-writer-nogui poppler-utils
  # the server: HTTP (Boost.Beast/Asio), passwords and tokens (libsodium); its benchmark (wrk)
  libboost1.81-dev libsodium-dev wrk
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev time
  # agglomeration --mpi (optional at build time) and the MPI test
  openmpi-bin libopenmpi-dev
  # test-only: R and spatstat for the Ripley K/L reference values (tests/data/place)
  r-base-core r-cran-spatstat
  # fuzzing (scripts/fuzz.sh, fuzz/): clang with libFuzzer
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
