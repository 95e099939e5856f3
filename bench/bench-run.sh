#!/usr/bin/env bash
# capscope run vs setpriv (util-linux) and capsh (libcap): the same switch to
# nobody with ambient NET_BIND_SERVICE, then exec of true. capscope does
# more (model, read-back check); this shows what that costs.
# Also explain oci on the article's bundle (no anchor exists for it).
set -uo pipefail
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
command -v hyperfine >/dev/null || { echo "bench-run: hyperfine is not installed"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "bench-run: needs root (switching users)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
hyperfine -N -w 20 -r 200 --export-json "$tmp/run.json" \
  -n capscope "$cs run --user nobody --clear-groups --ambient net_bind_service -- /bin/true" \
  -n setpriv "setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+net_bind_service --ambient-caps=+net_bind_service /bin/true" \
  -n capsh "capsh --user=nobody --inh=cap_net_bind_service --addamb=cap_net_bind_service -- -c true" >/dev/null 2>&1
jq -r '.results[] | "\(.command)\t\(.median * 1000)"' "$tmp/run.json" | awk -F'\t' '
  {m[$1] = $2; order[NR] = $1}
  END {
    printf "run as nobody + ambient NET_BIND_SERVICE, exec true (median ms):\n"
    for (i = 1; i <= NR; i++) printf "  %-10s %8.3f  (x%.2f of capscope)\n", order[i], m[order[i]], m[order[i]] / m["capscope"]
  }'
b=$tmp/bundle
mkdir -p "$b/rootfs/usr/bin"
cp "$(dirname "$0")/../examples/oci/article-no-ambient/config.json" "$b/"
cp /bin/true "$b/rootfs/usr/bin/server"
hyperfine -N -w 20 -r 200 --export-json "$tmp/ex.json" "$cs explain oci --json $b" >/dev/null 2>&1
jq -r '.results[0].median * 1000' "$tmp/ex.json" | awk '{printf "explain oci --json (no anchor exists): median %.3f ms\n", $1}'
