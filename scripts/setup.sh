#!/usr/bin/env bash
# Installs what localddb needs to build and test, from Debian 12 packages and npm.
# Idempotent: installs only what is missing. Run as root (or with sudo available).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

build_pkgs=(cmake g++ make ninja-build libboost1.81-dev libboost-program-options1.81-dev
            libboost-url1.81-dev rapidjson-dev libsqlite3-dev libssl-dev zlib1g-dev)
# clang and its compiler-rt (libFuzzer, sanitizer runtimes) for the fuzzing stage of the tests.
test_pkgs=(catch2 python3-boto3 python3-pytest awscli nodejs npm curl wrk clang libclang-rt-14-dev clang-format
           python3-pytest-xdist python3-yaml chromium)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from elsewhere than Debian (e.g. a preinstalled toolchain); accept that.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages from committed lockfiles: the JS SDK suite, the console's browser test (puppeteer-core,
# which drives Debian's chromium and downloads no browser of its own), and dynalite for the
# benchmark's smoke test.
if [ "${1:-}" = "--test" ]; then
  export PUPPETEER_SKIP_DOWNLOAD=1
  for dir in "$here/conformance/js" "$here/conformance/console" "$here/bench" "$here/examples/js"; do
    if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
fi
