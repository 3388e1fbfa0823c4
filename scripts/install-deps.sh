#!/usr/bin/env bash
# Installs everything clusterscope needs to build, run and test on Debian 12 (as root, or with
# sudo available). Idempotent: apt-get skips what is already installed.
set -euo pipefail

packages=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config git clang-format clang-tidy
  # a faster linker (CMakeLists.txt uses it when present: the ASan build's links took 4 of its 30 CPU-minutes)
  mold
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
  # SHA-256 of imported files (libcrypto: the CPU's SHA instructions where it has them)
  libssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev time
  # agglomeration --mpi (optional at build time) and the MPI test
  openmpi-bin libopenmpi-dev
  # test-only: R and spatstat for the Ripley K/L reference values (tests/data/place)
  r-base-core r-cran-spatstat
  # fuzzing (scripts/fuzz.sh, fuzz/): clang with libFuzzer
  clang-14 libclang-rt-14-dev
)

# The dashboard (web/) is built with Node.js and npm. The machine's own Node (20.19 or later) is
# used when present; Debian 12's nodejs (18) is the fallback, too old for Vite 8 (the build then
# serves a placeholder page instead of the dashboard, and says so).
command -v node >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The dashboard's npm packages (Vite, ECharts, and for the browser tests playwright-core and
# fflate), exactly as web/package-lock.json pins them. `npm ci` runs again only when the lock file
# changed since the last run (its SHA-256 is kept beside the packages).
web="$(cd "$(dirname "$0")/.." && pwd)/web"
node_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; }
if ! command -v npm >/dev/null || ! node_ok; then
  echo "install-deps: Node.js $(node --version 2>/dev/null || echo missing) is older than the 20.19 Vite 8 needs:" \
       "the dashboard is not built (serve shows a placeholder page; docs/dashboard.md)"
else
  want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$web/node_modules/.cs-lock-sha256" 2>/dev/null)" = "$want" ]; then
    echo "install-deps: web/node_modules matches web/package-lock.json"
  else
    echo "install-deps: npm ci in web/"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$web/node_modules/.cs-lock-sha256"
  fi
fi
