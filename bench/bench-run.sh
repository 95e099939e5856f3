#!/usr/bin/env bash
# run vs setpriv (util-linux) and capsh (libcap): the same switch to nobody
# with ambient NET_BIND_SERVICE, then exec of true. capscope also runs its
# model first and reads the credentials back: this shows what that costs.
# explain oci has no anchor (nothing else predicts it); its time is shown.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
[ "$(id -u)" -eq 0 ] || { echo "bench-run: needs root (it switches users)"; exit 0; }
bench_compare "run: nobody + ambient, exec true" \
  "$cs run --user nobody --clear-groups --ambient net_bind_service -- /bin/true" \
  "setpriv" "setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+net_bind_service --ambient-caps=+net_bind_service /bin/true" \
  "capsh" "capsh --user=nobody --inh=cap_net_bind_service --addamb=cap_net_bind_service -- -c true"
static=$(cd "$build" && pwd)/cli/capscope-run
[ -x "$static" ] && bench_compare "run (static capscope-run)" \
  "$static --user nobody --clear-groups --ambient net_bind_service -- /bin/true" \
  "setpriv" "setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+net_bind_service --ambient-caps=+net_bind_service /bin/true"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/b/rootfs/usr/bin"
cp "$here/../examples/oci/article-no-ambient/config.json" "$tmp/b/"
cp /bin/true "$tmp/b/rootfs/usr/bin/server"
bench_compare "explain oci --json (no anchor)" "$cs explain oci --json $tmp/b"
