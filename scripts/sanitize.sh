#!/usr/bin/env bash
# Builds localddb and its tests with sanitizers in their own build directory and runs the tests
# there through ctest; any sanitizer report fails the run, even one from a server process whose
# test passed (reports go to files, which are checked at the end).
#
#   scripts/sanitize.sh address,undefined [ctest arguments...]   # build-asan/
#   scripts/sanitize.sh thread [ctest arguments...]              # build-tsan/
#
# Prints the reports found, if any. Builds with -O1 and line tables: fast to build, stacks usable.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sanitizers="${1:?usage: scripts/sanitize.sh address,undefined|thread [ctest args...]}"
shift
case "$sanitizers" in
  *thread*) dir="$here/build-tsan" ;;
  *) dir="$here/build-asan" ;;
esac
jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DLOCALDDB_SANITIZE="$sanitizers" >/dev/null
cmake --build "$dir" -j "$jobs"

reports="$(mktemp -d "${TMPDIR:-/tmp}/localddb-sanitize.XXXXXX")"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=1:second_deadlock_stack=1"
status=0
(cd "$dir" && ctest --output-on-failure --timeout 900 "$@") || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitize.sh: sanitizer reports ($sanitizers):"
  for f in "$reports"/*; do echo "== $f"; head -80 "$f"; done
  status=1
fi
rm -rf "$reports"
exit "$status"
