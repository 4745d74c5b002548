#!/usr/bin/env bash
# The benchmark, in one command: installs what it needs (wrk, nginx, dynalite from the committed
# lockfile), builds localddb (Release), and measures localddb against dynalite and an nginx
# ceiling in the same run. Options: --quick (smoke mode), --duration S, --runs N, --items N,
# --only WORKLOAD, --skip-dynalite, --no-pin. Results: bench/out/results.{md,json}.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()
for tool in wrk nginx taskset; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=(); for t in "${missing[@]}"; do case $t in nginx) pkgs+=(nginx-light);; taskset) pkgs+=(util-linux);; *) pkgs+=("$t");; esac; done
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
"$here/../scripts/setup.sh"
if [[ " $* " != *" --skip-dynalite "* ]] && [ ! -d "$here/node_modules/dynalite" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$here/../scripts/build.sh" --target localddb >/dev/null
exec /usr/bin/python3 "$here/bench.py" "$@"
