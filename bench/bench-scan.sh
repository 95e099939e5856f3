#!/usr/bin/env bash
# capscope scan against its anchors, side by side in one run, on the same warm data:
#   tree:  capscope scan /usr   vs  the floor (bench/floor-walk.c)  vs  getcap -r /usr
#          vs  find /usr -xdev -perm /6000; then a 10,000-level chain vs find
#   image: capscope scan IMAGE  vs  gzip -dc LAYER | tar -t   (a generated ~150 MB image)
# Prints the median of each (hyperfine, >= 5 runs) and the ratios.
# Usage: bench/bench-scan.sh BUILD_DIR [TREE]
set -euo pipefail
build=${1:-build}
tree=${2:-/usr}
cs=$(cd "$build" && pwd)/capscope
runs=${BENCH_RUNS:-7}
for t in hyperfine jq getcap gzip tar; do
  command -v $t >/dev/null || { echo "bench-scan: needs $t" >&2; exit 1; }
done
[ -x "$cs" ] || { echo "bench-scan: no capscope in $build" >&2; exit 1; }
w=$(mktemp -d "${TMPDIR:-/tmp}/capscope-bench.XXXXXX")
trap 'rm -rf "$w"' EXIT

median() { jq -r ".results[$1].median" "$2"; }
cpu() { jq -r ".results[$1] | .user + .system" "$2"; }

echo "== tree: $tree ($(find "$tree" -xdev 2>/dev/null | wc -l) entries, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
# The floor (bench/floor-walk.c): getdents, one statx and one getxattrat per
# regular file, openat per directory, 2 threads like capscope, nothing else.
floor=$(cd "$build" && pwd)/bench/floor-walk
[ -x "$floor" ] || { echo "bench-scan: no bench/floor-walk in $build" >&2; exit 1; }
hyperfine -N --style none --warmup 2 --runs "$runs" --export-json "$w/tree.json" \
  "$cs scan $tree" "$floor $tree" "getcap -r $tree" "find $tree -xdev -type f -perm /6000" >/dev/null 2>&1
c=$(median 0 "$w/tree.json"); fl=$(median 1 "$w/tree.json"); g=$(median 2 "$w/tree.json"); f=$(median 3 "$w/tree.json")
printf '  %-44s median %7.3f s   cpu %6.3f s\n' "capscope scan $tree" "$c" "$(cpu 0 "$w/tree.json")" \
  "floor-walk $tree (the floor)" "$fl" "$(cpu 1 "$w/tree.json")" \
  "getcap -r $tree" "$g" "$(cpu 2 "$w/tree.json")" "find $tree -xdev -perm /6000" "$f" "$(cpu 3 "$w/tree.json")"
printf '  ratio capscope scan / floor:       %.2fx wall, %.2fx cpu (target <= 1.15x)\n' \
  "$(jq -n "$c / $fl")" "$(jq -n "$(cpu 0 "$w/tree.json") / $(cpu 1 "$w/tree.json")")"
printf '  ratio getcap -r / capscope scan:   %.2fx wall, %.2fx cpu (target >= 3x)\n' \
  "$(jq -n "$g / $c")" "$(jq -n "$(cpu 2 "$w/tree.json") / $(cpu 0 "$w/tree.json")")"
printf '  ratio find -perm / capscope scan:  %.2fx wall, %.2fx cpu\n' \
  "$(jq -n "$f / $c")" "$(jq -n "$(cpu 3 "$w/tree.json") / $(cpu 0 "$w/tree.json")")"
echo "  (wall ratios need the 2 cores free: see the load above)"

# Depth: a 10,000-level chain, capscope against find (the suite counts the work; this times it).
d=$w/chain
python3 -c 'import os,sys
os.makedirs(sys.argv[1]); os.chdir(sys.argv[1])
for i in range(10000):
    os.mkdir("d"); os.chdir("d")' "$d"
hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$w/chain.json" \
  "$cs scan $d" "find $d -xdev -type f -perm /6000" >/dev/null 2>&1
printf '  %-44s median %7.3f s\n' "capscope scan (10,000 nested dirs)" "$(median 0 "$w/chain.json")" \
  "find -perm /6000 (10,000 nested dirs)" "$(median 1 "$w/chain.json")"
rm -rf "$d"
# The planted set-id chain: a set-uid file at each of 10,000 levels (eleventh
# pass: each finding's path was resolved again from the root, 12 s; now the
# check is batched). --json: the answer is 100 MB of paths either way.
python3 -c 'import os,sys
os.makedirs(sys.argv[1]); os.chdir(sys.argv[1])
for i in range(10000):
    open("s", "w").close(); os.chmod("s", 0o4755); os.mkdir("d"); os.chdir("d")' "$d"
hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$w/setid.json" \
  "$cs scan --json $d" "find $d -xdev -type f -perm /6000" >/dev/null 2>&1
printf '  %-44s median %7.3f s\n' "capscope scan --json (set-id chain, 10,000)" \
  "$(median 0 "$w/setid.json")" "find -perm /6000 (set-id chain, 10,000)" "$(median 1 "$w/setid.json")"
rm -rf "$d"

echo "== image: generated docker-archive, one gzip layer of ~150 MB"
mkdir -p "$w/img"
# Real files (libraries, docs) so the compression ratio is a real one.
tar -C / -cf "$w/layer.tar" --exclude='*.wh.*' usr/lib/x86_64-linux-gnu usr/share/doc usr/bin 2>/dev/null || true
python3 - "$w/layer.tar" "$w/layer150.tar" <<'PY'
import sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
total = 0
with tarfile.open(src) as s, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as d:
    for m in s:
        if total > 150 << 20:
            break
        f = s.extractfile(m) if m.isreg() else None
        d.addfile(m, f)
        total += m.size
PY
gzip -1 -n -c "$w/layer150.tar" >"$w/layer.tar.gz"
rm -f "$w/layer.tar"
id=$(sha256sum "$w/layer.tar.gz" | cut -d' ' -f1)
mkdir -p "$w/img/$id"
mv "$w/layer.tar.gz" "$w/img/$id/layer.tar"
printf '{"config":{"Entrypoint":["/usr/bin/true"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$(gzip -dc "$w/img/$id/layer.tar" | sha256sum | cut -d' ' -f1)" >"$w/img/config.json"
printf '[{"Config":"config.json","Layers":["%s/layer.tar"]}]' "$id" >"$w/img/manifest.json"
tar -C "$w/img" -cf "$w/image.tar" .
layer="$w/img/$id/layer.tar"
printf '  image %s MB compressed, layer %s MB uncompressed\n' \
  "$(( $(stat -c %s "$w/image.tar") >> 20 ))" "$(( $(stat -c %s "$w/layer150.tar") >> 20 ))"
rm -f "$w/layer150.tar"
hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$w/img.json" \
  "$cs scan $w/image.tar" "$cs scan $layer" "sh -c 'gzip -dc $layer | tar -t >/dev/null'" >/dev/null 2>&1
ci=$(median 0 "$w/img.json"); cl=$(median 1 "$w/img.json"); a=$(median 2 "$w/img.json")
printf '  %-44s median %7.3f s\n' "capscope scan image.tar (docker-archive)" "$ci" \
  "capscope scan layer.tar.gz (single layer)" "$cl" "gzip -dc layer | tar -t" "$a"
printf '  ratio capscope image / (gzip -dc | tar -t): %.2fx (target <= 1.25x)\n' "$(jq -n "$ci / $a")"
printf '  ratio capscope layer / (gzip -dc | tar -t): %.2fx\n' "$(jq -n "$cl / $a")"
