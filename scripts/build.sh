#!/usr/bin/env bash
# Builds localddb (Release) into ./build. Used by run.sh and test.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"
werror=OFF; [ -n "${CI:-}" ] && werror=ON  # CI fails on any warning
cmake -S "$here" -B "$here/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOCALDDB_WERROR="$werror" >/dev/null
cmake --build "$here/build" -j "$jobs" "$@"
