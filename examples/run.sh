#!/usr/bin/env bash
# Runs the example suites (examples/python with pytest, examples/js with Vitest) against a real
# localddb binary: LOCALDDB_BIN (default: `localddb` on PATH). Each suite starts its own server.
# After each suite it prints one line "N passed, N failed"; exits non-zero if either failed.
#
#   LOCALDDB_BIN=build/localddb examples/run.sh           # both
#   LOCALDDB_BIN=build/localddb examples/run.sh python    # or just one: python | js
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(python js)

# A relative LOCALDDB_BIN must not depend on where each runner's working directory is.
if [ -n "${LOCALDDB_BIN:-}" ] && [[ "$LOCALDDB_BIN" == */* ]] && [[ "$LOCALDDB_BIN" != /* ]]; then
  LOCALDDB_BIN="$(cd "$(dirname "$LOCALDDB_BIN")" && pwd)/$(basename "$LOCALDDB_BIN")"
  export LOCALDDB_BIN
fi
export PYTHONDONTWRITEBYTECODE=1
unset PYTEST_ADDOPTS  # a caller's test selection is not for these suites
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true  # the SDK's Node 20 notice, once per worker

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0

summary() {  # summary RC PASSED FAILED
  local rc=$1 passed=$2 failed=$3
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1  # the runner itself failed (no server, no dependencies, ...): count it
  fi
  echo "$passed passed, $failed failed"
  [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] || status=1
}

run_python() {
  echo "== examples/python (pytest) =="
  local py=/usr/bin/python3 args=(-q -p no:cacheprovider --junitxml="$results/python.xml")
  # One namespace per pytest-xdist worker: exercise that when xdist is installed.
  if "$py" -c 'import xdist' 2>/dev/null; then args+=(-n 2); fi
  (cd "$here/python" && "$py" -m pytest "${args[@]}")
  local rc=$?
  read -r passed failed < <("$py" - "$results/python.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 0); sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = sum(int(s.get("tests", 0)) for s in suites)
f = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
sk = sum(int(s.get("skipped", 0)) for s in suites)
print(t - f - sk, f)
PY
)
  summary "$rc" "${passed:-0}" "${failed:-0}"
}

run_js() {
  echo "== examples/js (Vitest) =="
  local rc
  if [ ! -d "$here/js/node_modules" ]; then
    (cd "$here/js" && npm ci --no-audit --no-fund) || { summary 1 0 0; return; }
  fi
  # Two workers even on a two-core machine, so that two namespaces are in use at once.
  (cd "$here/js" && npx --no-install vitest run --maxWorkers=2 \
      --reporter=default --reporter=json --outputFile.json="$results/js.json")
  rc=$?
  read -r passed failed < <(node -e '
    try { const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites || 0)); }
    catch { console.log(0, 0); }' "$results/js.json")
  summary "$rc" "${passed:-0}" "${failed:-0}"
}

for suite in "${suites[@]}"; do
  case "$suite" in
    python) run_python ;;
    js) run_js ;;
    *) echo "unknown suite '$suite' (python | js)" >&2; exit 2 ;;
  esac
done
exit $status
