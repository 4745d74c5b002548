#!/usr/bin/env bash
# Builds the release binary (-DLOCALDDB_STATIC=ON: everything but glibc linked in) and packs
# localddb-<version>-linux-x86_64.tar.gz (binary, README) in dist/. Prints the sizes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" >/dev/null
build="$here/build-static"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOCALDDB_STATIC=ON -DLOCALDDB_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target localddb
version="$("$build/localddb" version | awk '{print $2}')"
name="localddb-$version-linux-x86_64"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$here/dist"
install -m 0755 "$build/localddb" "$stage/$name/localddb"
strip "$stage/$name/localddb"
cp "$here/README.md" "$stage/$name/"
[ -f "$here/LICENSE" ] && cp "$here/LICENSE" "$stage/$name/"
tar -C "$stage" -czf "$here/dist/$name.tar.gz" "$name"
echo "binary: $(stat -c %s "$stage/$name/localddb") bytes (stripped); needs: $(ldd "$stage/$name/localddb" | awk '/=>/ {print $1}' | tr '\n' ' ')"
echo "package: dist/$name.tar.gz, $(stat -c %s "$here/dist/$name.tar.gz") bytes"
