#!/usr/bin/env bash
# The container image without a container daemon: assembles the Dockerfile's final-stage tree
# (scripts/image_tree.sh) from BIN in an empty directory and runs the binary there under chroot,
# as the image's user, with nothing else in it: it must start, answer boto3 from outside, write
# its database in /data, pass `localddb health` from inside, and stop cleanly on SIGTERM.
# Exit 77 (skipped) when not root (chroot needs it) or when BIN is not the static release build.
#   scripts/check_image.sh BIN
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:?usage: check_image.sh BIN}"
if [ "$(id -u)" != 0 ]; then echo "check_image: skipped (chroot needs root)"; exit 77; fi
if ldd "$bin" | grep -qE 'libboost|libsqlite3|libssl|libcrypto|libstdc\+\+'; then
  echo "check_image: skipped ($bin links its libraries dynamically: a sanitizer or non-static build)"; exit 77
fi
tree="$(mktemp -d "${TMPDIR:-/tmp}/localddb-image.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$tree"
}
trap cleanup EXIT
"$here/scripts/image_tree.sh" "$bin" "$tree"
echo "image tree: $(find "$tree" -type f | wc -l) files, $(du -sk "$tree" | cut -f1) KiB; binary $(stat -c %s "$tree/usr/local/bin/localddb") bytes"
out="$tree/../$(basename "$tree").out"
chroot --userspec=10001:10001 "$tree" /usr/local/bin/localddb --host 127.0.0.1 --port 0 --db /data/localddb.sqlite \
  >"$out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$out" 2>/dev/null && break; sleep 0.05; done
endpoint="$(sed -n 's/^localddb listening on //p' "$out" | head -1)"
[ -n "$endpoint" ] || { cat "$out"; echo "check_image: the server did not start in the tree"; exit 1; }
/usr/bin/python3 - "$endpoint" <<'PY'
import sys, boto3
c = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="local", aws_secret_access_key="local")
c.create_table(TableName="image-check", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
c.put_item(TableName="image-check", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
assert c.get_item(TableName="image-check", Key={"pk": {"S": "a"}})["Item"]["v"] == {"N": "1"}
print("boto3 against the chrooted server: ok")
PY
chroot --userspec=10001:10001 "$tree" /usr/local/bin/localddb health --url "$endpoint" >/dev/null
echo "localddb health inside the tree: ok"
[ -s "$tree/data/localddb.sqlite" ] || { echo "check_image: no database in /data"; exit 1; }
kill -TERM "$pid"
status=0; wait "$pid" || status=$?
pid=""
[ "$status" = 0 ] || { cat "$out"; echo "check_image: exit status $status after SIGTERM"; exit 1; }
rm -f "$out"
echo "check_image: ok"
