#!/usr/bin/env bash
# Installs what is missing, builds localddb (Release) and runs it on its embedded default:
# SQLite file ./localddb.sqlite, http://127.0.0.1:8000. Extra arguments go to localddb.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" >&2
"$here/scripts/build.sh" --target localddb >&2  # stdout carries only the server's own lines
exec "$here/build/localddb" "$@"
