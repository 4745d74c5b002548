#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan in build-fuzz/ and runs
# each for a while over a scratch copy of its committed corpus, with tests/fuzz/dynamodb.dict.
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [--no-build] [target...] [-- libFuzzer flags...]
#
#   --seconds N   run each target for N seconds (default 20)
#   --jobs J      J parallel libFuzzer workers per target (default 1); targets still run one at a time
#   --no-build    use the existing build-fuzz/ as is
#   target        json_codec expression key_codec sigv4 http_request admin_json (default: all)
#
# Prints, per target, the executions and exec/s from libFuzzer's final stats. Exits non-zero if any
# target found something (crash, sanitizer report, leak, timeout, OOM); the reproducer's path and
# the report's first lines are printed. Scratch files (corpus copies, logs, reproducers) stay under
# $LOCALDDB_FUZZ_WORK (default: a new directory in ${TMPDIR:-/tmp}). Reproduce a finding with
#   build-fuzz/tests/fuzz/fuzz_<target> <reproducer>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
all_targets=(json_codec expression key_codec sigv4 http_request admin_json partiql)

seconds=20 jobs=1 build=1 targets=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --jobs=*) jobs="${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (one of: ${all_targets[*]})" >&2; exit 2; }
done

build_dir="$here/build-fuzz"
if [ "$build" = 1 ]; then
  "$here/scripts/setup.sh"
  # clang and its compiler-rt (libFuzzer's runtime, the sanitizers') come from Debian too.
  missing=()
  for p in clang libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    echo "fuzz.sh: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER=clang++ -DLOCALDDB_FUZZ=ON -DLOCALDDB_TESTS=OFF -DLOCALDDB_SANITIZE=address,undefined >/dev/null
  fi
  cmake --build "$build_dir" --parallel "${LOCALDDB_BUILD_JOBS:-$(nproc)}" --target "${targets[@]/#/fuzz_}"
fi

work="${LOCALDDB_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/localddb-fuzz.XXXXXX")}"
mkdir -p "$work"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
summary=()
for t in "${targets[@]}"; do
  bin="$build_dir/tests/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "fuzz.sh: $bin is missing (build without --no-build)" >&2; exit 2; }
  dir="$work/$t"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$here/tests/fuzz/corpus/$t/"* "$dir/corpus/" 2>/dev/null || true
  echo "== fuzz_$t: ${seconds}s, $jobs job(s), corpus $(ls "$dir/corpus" | wc -l) files, log $dir/log"
  flags=(-max_total_time="$seconds" -print_final_stats=1 -dict="$here/tests/fuzz/dynamodb.dict"
         -artifact_prefix="$dir/artifacts/" -timeout=25 -rss_limit_mb=4096 -max_len=65536)
  [ "$jobs" -gt 1 ] && flags+=(-jobs="$jobs" -workers="$jobs")
  status=0
  (cd "$dir" && "$bin" "${flags[@]}" "${extra[@]+"${extra[@]}"}" "$dir/corpus" >"$dir/log" 2>&1) || status=$?
  # With -jobs, each worker writes its own fuzz-<n>.log beside the main log.
  logs=("$dir/log"); for l in "$dir"/fuzz-*.log; do [ -f "$l" ] && logs+=("$l"); done
  execs=$(cat "${logs[@]}" | tr -d '\000' | awk '/^stat::number_of_executed_units:/ {s += $NF} END {print s + 0}')
  rate=$(cat "${logs[@]}" | tr -d '\000' | awk '/^stat::average_exec_per_sec:/ {s += $NF} END {print s + 0}')
  corpus=$(ls "$dir/corpus" | wc -l)
  artifacts=("$dir"/artifacts/*)
  [ -e "${artifacts[0]}" ] || artifacts=()
  if [ "$status" -ne 0 ] || [ ${#artifacts[@]} -gt 0 ]; then
    failed+=("$t")
    summary+=("fuzz_$t: FAILED (exit $status) after $execs executions, $rate exec/s")
    echo "!! fuzz_$t found something (exit $status):"
    for l in "${logs[@]}"; do
      grep -a -m1 -B2 -A25 -E "^==[0-9]+==ERROR|runtime error:|FUZZ CHECK FAILED|ERROR: libFuzzer|deadly signal" "$l" || true
    done
    for a in "${artifacts[@]}"; do echo "!! reproducer: $a   (run: $bin $a)"; done
  else
    summary+=("fuzz_$t: ok, $execs executions, $rate exec/s, corpus $corpus files")
  fi
done

echo
echo "== summary (work directory: $work)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
