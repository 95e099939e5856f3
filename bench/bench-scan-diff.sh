#!/usr/bin/env bash
# capscope scan --diff OLD NEW against scanning OLD and NEW one after the
# other, side by side in one hyperfine run (the issue's bound: the diff costs
# at most 1.2x the two scans):
#   image: two docker-archives of the same ~130 MB of real files (/usr/share/doc
#          plus a layer of set-uid and file-cap binaries), NEW re-packed with
#          its entries in reverse order and one setcap lost
#   tree:  /usr/share/doc against itself
# Usage: bench/bench-scan-diff.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
runs=${BENCH_RUNS:-5}
# The tree side takes ~50 ms a run: five runs' median moved between 0.84x and
# 1.21x from one session to the next, so it takes many more.
tree_runs=${BENCH_TREE_RUNS:-40}
src=${BENCH_DIFF_TREE:-/usr/share/doc}
for t in hyperfine jq gzip tar; do
  command -v $t >/dev/null || { echo "bench-scan-diff: needs $t" >&2; exit 1; }
done
[ -x "$cs" ] || { echo "bench-scan-diff: no capscope in $build" >&2; exit 1; }
w=$(mktemp -d "${TMPDIR:-/tmp}/capscope-bench-diff.XXXXXX")
trap 'rm -rf "$w"' EXIT

median() { jq -r ".results[$1].median" "$2"; }

# priv DIR CAPS?: set-uid and (as root) file-cap binaries.
priv() {
  mkdir -p "$1/usr/local/bin"
  for i in 1 2 3 4; do cp /bin/true "$1/usr/local/bin/suid$i"; chmod 4755 "$1/usr/local/bin/suid$i"; done
  for i in 1 2 3 4; do cp /bin/true "$1/usr/local/bin/cap$i"; done
  if [ "$2" = caps ] && [ "$(id -u)" = 0 ] && command -v setcap >/dev/null; then
    for i in 1 2 3 4; do setcap cap_net_bind_service+ep "$1/usr/local/bin/cap$i"; done
  fi
}

# image OUT ORDER PRIVDIR: one layer of $src (entries sorted or reversed) and one of PRIVDIR.
image() {
  local out=$1 order=$2 pd=$3 d l0 l1 i0 i1
  d=$(mktemp -d "$w/img.XXXXXX")
  (cd / && find "${src#/}" | sort $order) >"$d/list"
  tar --format=posix --no-recursion -C / -cf "$d/l0.tar" -T "$d/list" 2>/dev/null || true
  tar --format=posix --xattrs --xattrs-include='security.capability' --numeric-owner \
    -C "$pd" -cf "$d/l1.tar" .
  u0=$(sha256sum "$d/l0.tar" | cut -d' ' -f1); u1=$(sha256sum "$d/l1.tar" | cut -d' ' -f1)
  gzip -1 -n "$d/l0.tar"; gzip -1 -n "$d/l1.tar"
  i0=$(sha256sum "$d/l0.tar.gz" | cut -d' ' -f1); i1=$(sha256sum "$d/l1.tar.gz" | cut -d' ' -f1)
  mkdir -p "$d/out/$i0" "$d/out/$i1"
  mv "$d/l0.tar.gz" "$d/out/$i0/layer.tar"; mv "$d/l1.tar.gz" "$d/out/$i1/layer.tar"
  printf '{"config":{"User":"1000","Entrypoint":["/usr/local/bin/cap1"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s"]}}' "$u0" "$u1" >"$d/out/config.json"
  printf '[{"Config":"config.json","Layers":["%s/layer.tar","%s/layer.tar"]}]' "$i0" "$i1" >"$d/out/manifest.json"
  tar -C "$d/out" -cf "$out" .
  rm -rf "$d"
}

priv "$w/p-old" caps; priv "$w/p-new" caps
setcap -r "$w/p-new/usr/local/bin/cap1" 2>/dev/null || true
image "$w/old.tar" "" "$w/p-old"
image "$w/new.tar" "-r" "$w/p-new"
echo "== image: two docker-archives of $src ($(find "$src" | wc -l) entries), $(( $(stat -c %s "$w/old.tar") >> 20 )) MB gzip each; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
"$cs" scan --diff "$w/old.tar" "$w/new.tar" >"$w/diff.out" 2>&1 || true
sed 's/^/  | /' "$w/diff.out" | grep -E 'CHANGE|cap1|Privilege|No privilege' || true
hyperfine -N -i --style none --warmup 1 --runs "$runs" --export-json "$w/img.json" \
  "$cs scan --diff $w/old.tar $w/new.tar" "$cs scan $w/old.tar" "$cs scan $w/new.tar" >/dev/null 2>&1
d=$(median 0 "$w/img.json"); o=$(median 1 "$w/img.json"); n=$(median 2 "$w/img.json")
printf '  %-40s median %7.3f s\n' "capscope scan --diff OLD NEW" "$d" "capscope scan OLD" "$o" \
  "capscope scan NEW" "$n"
printf '  %-40s        %7.3f s\n' "scan OLD + scan NEW" "$(jq -n "$o + $n")"
printf '  ratio diff / (scan OLD + scan NEW): %.2fx (target <= 1.2x)\n' "$(jq -n "$d / ($o + $n)")"

echo "== tree: $src against itself ($tree_runs runs)"
hyperfine -N -i --style none --warmup 3 --runs "$tree_runs" --export-json "$w/tree.json" \
  "$cs scan --diff $src $src" "$cs scan $src" >/dev/null 2>&1
d=$(median 0 "$w/tree.json"); o=$(median 1 "$w/tree.json")
printf '  %-40s median %7.3f s\n' "capscope scan --diff TREE TREE" "$d" "capscope scan TREE" "$o"
printf '  ratio diff / (2 x scan): %.2fx (target <= 1.2x)\n' "$(jq -n "$d / (2 * $o)")"
