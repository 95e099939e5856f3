#!/usr/bin/env bash
# asan-too
# The directories on the way to an entrypoint, in a hostile rootfs or image:
# 40 symlinks, each leading into a chain of 200 directories no other user may
# search (0700), make a lookup that searches 8,040 of them. Issue 13's cost
# class: the seventh pass's record kept each directory's whole path, found
# again by comparing paths (quadratic: 40 chains of 1,000 took 18 s and
# printed 13.8 MB), and gave a step per directory. Now each directory is kept
# once by identity with its own name, and the steps that only say a
# capability stands in name the first 8 and count the rest.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in python3 tar jq sha256sum; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tap_tmpdir
N=40 D=200
python3 - "$T/b" $N $D <<'PY'
import json, os, sys
b, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
root = b + "/rootfs"
os.makedirs(root)
sub = "/".join(["d"] * d)
for i in range(n):
    fd = os.open(root, os.O_RDONLY)
    fds = []
    for name in [f"c{i}"] + ["d"] * d:
        os.mkdir(name, dir_fd=fd)
        fd = os.open(name, os.O_RDONLY, dir_fd=fd)
        fds.append(fd)
    if i < n - 1:
        os.symlink(f"/c{i + 1}/{sub}/n", "n", dir_fd=fd)
    else:
        f = os.open("n", os.O_CREAT | os.O_WRONLY, 0o755, dir_fd=fd)
        os.write(f, b"\x7fELF" + b"\0" * 60)
        os.close(f)
    for x in fds:
        os.fchmod(x, 0o700)
        os.close(x)
caps = ["CAP_DAC_READ_SEARCH"]
json.dump({"ociVersion": "1.0.2", "root": {"path": "rootfs"},
           "process": {"user": {"uid": 1001, "gid": 1001}, "args": [f"/c0/{sub}/n"], "cwd": "/",
                       "capabilities": {k: caps for k in ["bounding", "effective", "permitted",
                                                          "inheritable", "ambient"]}}},
          open(b + "/config.json", "w"))
PY
ok $? "a rootfs of $N chains of $D 0700 directories, joined by symlinks"
want_rest=$((N * (D + 1) - 8))

check() { # label FILE
  is "$(grep -c 'execve.search-dac: directory ' "$2")" 8 "$1: the first 8 directories a capability lets it search are named"
  like "$(grep 'execve.search-dac: [0-9]' "$2")" "execve.search-dac: $want_rest more directories on the way do not let fsuid 1001 search them, CAP_DAC_READ_SEARCH does" \
    "$1: the other $want_rest are counted in one step"
  like "$(grep 'execve.search-dac: directory ' "$2" | head -n 2 | tail -n 1)" "directory /c0/d \(mode 0700, owner 0:0\)" \
    "$1: each named by its path"
  ok $(($(wc -c <"$2") > 20000)) "$1: the answer stays small ($(wc -c <"$2") bytes)"
}
"$CAPSCOPE" explain oci "$T/b" >"$T/out.txt" 2>&1
is $? 0 "explain oci --rootfs: the process starts (CAP_DAC_READ_SEARCH)"
check "rootfs" "$T/out.txt"
"$CAPSCOPE" explain oci --json "$T/b" >"$T/out.json"
is "$(jq '[.. | objects | select(.rule? == "execve.search-dac")] | length' "$T/out.json")" 9 "--json: the same 9 steps"

# The same tree as an image layer (tar keeps the modes and the links).
mklayer "$T/b/rootfs" "$T/layer.tar"
mkconfig "$T/cfg.json" 1001 "[\"$(jq -r '.process.args[0]' "$T/b/config.json")\"]" null "$(sha "$T/layer.tar")"
mkdocker "$T/img.tar" "$T/cfg.json" "$T/layer.tar"
"$CAPSCOPE" explain oci --image "$T/img.tar" "$T/b" >"$T/img.txt" 2>&1
is $? 0 "explain oci --image: the process starts"
check "image" "$T/img.txt"
done_testing
