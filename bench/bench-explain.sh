#!/usr/bin/env bash
# explain pod's memory per container: maximum RSS (GNU time -v) for a
# generated List of N pods with one container each, and for one pod with N
# containers, text and --json. Prints KB per container, as the slope between
# N=1000 and N=10000 (what each further container costs) and as the whole
# RSS divided by N. Not a timed test: the target is <= 8 KB a container,
# growing linearly.
set -uo pipefail
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
[ -x /usr/bin/time ] || { echo "bench-explain: needs GNU time (/usr/bin/time)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/../tests/lib/pods.sh"
rss() { # args… → max RSS in KB
  /usr/bin/time -f '%M' -o "$tmp/rss" "$cs" explain pod "$@" >/dev/null 2>&1
  tail -n 1 "$tmp/rss" # GNU time first notes a non-zero exit (explain exits 1 here)
}
for shape in list pod; do
  pods_$shape 1000 "$tmp/$shape-1k.json"
  pods_$shape 10000 "$tmp/$shape-10k.json"
  for mode in text json; do
    opt=(--check bind:443); [ $mode = json ] && opt+=(--json)
    a=$(rss "${opt[@]}" "$tmp/$shape-1k.json")
    b=$(rss "${opt[@]}" "$tmp/$shape-10k.json")
    printf 'explain pod %-5s %-4s N=1000 %7d KB  N=10000 %7d KB  %5.1f KB/container (slope)  %5.1f KB/container (RSS/N)\n' \
      "$shape" "$mode" "$a" "$b" "$(awk "BEGIN { print ($b - $a) / 9000 }")" "$(awk "BEGIN { print $b / 10000 }")"
  done
done

# The $PATH search from a deep working directory (fourteenth pass, part M): a
# 4 KB WorkingDir (2,000 names) and 100,000 empty PATH entries, in an image
# (explain pod --image) and a bundle's rootfs (explain oci). Each relative
# entry is looked up from the cwd, resolved once: 8.7 s and 16 s when each
# was joined to the cwd and walked from the root; a few tenths now.
command -v python3 >/dev/null || { echo "bench-explain: the \$PATH search needs python3"; exit 0; }
python3 - "$tmp" <<'PY'
import hashlib, io, json, os, sys, tarfile
t = sys.argv[1]; wd = "/" + "/".join(["d"] * 2000); path = ":" * 100000 + "/bin"
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as tf:
    for n, ty, m in [(wd[1:], tarfile.DIRTYPE, 0o755), ("bin/app", tarfile.REGTYPE, 0o755)]:
        ti = tarfile.TarInfo(n); ti.type = ty; ti.mode = m; tf.addfile(ti)
cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers",
    "diff_ids": ["sha256:" + hashlib.sha256(b.getvalue()).hexdigest()]}, "config": {
    "Entrypoint": ["app"], "WorkingDir": wd, "Env": ["PATH=" + path]}}).encode()
with tarfile.open(t + "/wd.tar", "w") as tf:
    for n, d in [("c.json", cfg), ("l0.tar", b.getvalue()), ("manifest.json", json.dumps(
            [{"Config": "c.json", "Layers": ["l0.tar"]}]).encode())]:
        ti = tarfile.TarInfo(n); ti.size = len(d); tf.addfile(ti, io.BytesIO(d))
os.makedirs(t + "/b/rootfs/bin"); open(t + "/b/rootfs/bin/app", "w").close()
os.chmod(t + "/b/rootfs/bin/app", 0o755); os.chdir(t + "/b/rootfs")
for _ in range(2000):
    os.mkdir("d"); os.chdir("d")
json.dump({"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "process": {
    "user": {"uid": 0, "gid": 0}, "args": ["app"], "cwd": wd, "env": ["PATH=" + path]}},
    open(t + "/b/config.json", "w"))
open(t + "/pod.yaml", "w").write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
                                 "spec:\n  containers:\n  - name: c\n    image: x\n")
PY
secs() { local s e; s=$(date +%s.%N); "$cs" explain "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk "BEGIN { printf \"%.2f\", $e - $s }"; }
printf 'explain $PATH search, 4 KB cwd x 100,000 relative entries: pod --image %s s  oci %s s\n' \
  "$(secs pod --image "$tmp/wd.tar" "$tmp/pod.yaml")" "$(secs oci "$tmp/b")"
