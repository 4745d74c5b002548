#!/usr/bin/env bash
# Assembles the container image's whole file tree in DIR from the binary BIN: the binary, the
# glibc files it loads (everything else is linked in: build it with -DLOCALDDB_STATIC=ON), the
# name-service files its resolver reads, and an empty /data for the database. The Dockerfile's
# final stage is exactly this tree; scripts/check_image.sh runs the binary in it under chroot.
#   scripts/image_tree.sh BIN DIR
set -euo pipefail
bin="${1:?usage: image_tree.sh BIN DIR}"
dir="${2:?usage: image_tree.sh BIN DIR}"
mkdir -p "$dir/usr/local/bin" "$dir/data" "$dir/tmp" "$dir/etc"
chmod 0755 "$dir"
chmod 1777 "$dir/tmp"
install -m 0755 "$bin" "$dir/usr/local/bin/localddb"
strip "$dir/usr/local/bin/localddb" 2>/dev/null || true
# The shared objects the binary needs (glibc only, for a static build), with their paths kept.
ldd "$bin" | awk '/=>/ {print $3} /^\t\// {print $1}' | while read -r lib; do
  [ -e "$lib" ] || continue
  mkdir -p "$dir/$(dirname "$lib")"
  cp -L "$lib" "$dir/$lib"
done
# glibc's resolver: hosts from /etc/hosts, then DNS (container runtimes write resolv.conf).
for nss in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
  # (awk reads all of ldconfig's output: exiting early would kill ldconfig with SIGPIPE, which
  # pipefail turns into a failure)
  f="$(ldconfig -p | awk -v n="$nss" '$1 == n && /x86-64/ && !found {print $NF; found = 1}')"
  [ -n "$f" ] && mkdir -p "$dir/$(dirname "$f")" && cp -L "$f" "$dir/$f"
done
printf 'hosts: files dns\n' > "$dir/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$dir/etc/hosts"
printf 'root:x:0:0:root:/:/usr/local/bin/localddb\nlocalddb:x:10001:10001::/data:/usr/local/bin/localddb\n' > "$dir/etc/passwd"
printf 'root:x:0:\nlocalddb:x:10001:\n' > "$dir/etc/group"
chown 10001:10001 "$dir/data" 2>/dev/null || chmod 0777 "$dir/data"
