#!/usr/bin/env bash
# Installs what is missing (build + test tools), builds everything and runs every test through
# ctest: the Catch2 unit tests and the real-client conformance suites (boto3, AWS CLI, JS SDK v3),
# each against its own in-memory localddb on a free port.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" --test
"$here/scripts/build.sh"
cd "$here/build"
ctest --output-on-failure --timeout 900 "$@"
