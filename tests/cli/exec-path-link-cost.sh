#!/usr/bin/env bash
# asan-too
# The cost of a rootfs's $PATH search is linear in the entries (fifteenth
# pass, part F; the fourteenth pass's part M left it open): an entry through
# an absolute link in the working directory, or every entry under a cwd
# reached through a link, was looked up joined to the cwd, so each of
# 20,000 such entries under a 4 KB cwd walked the cwd's 2,000 names again
# (4.4 s). They are now walked from the cwd's descriptor
# (cs_open_in_root_from). Counted here, never timed: the bytes of path the
# lookups hand the kernel (openat, openat2, read by strace) at 200 and 400
# entries. Joined, each further entry cost some 4,100 bytes; now some 20.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v strace >/dev/null || skip_all "needs strace"
tap_tmpdir
cd "$T" || exit 1
strace -qq -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
python3 - <<'PY' || bail_out "python3 failed"
import json, os
cwd = "/" + "/".join(["d"] * 2000)  # 4 KB
for kind in ("abs", "linked"):
    for n in (200, 400):
        b = "%s-%d" % (kind, n)
        r = b + "/rootfs"
        os.makedirs(r + "/bin"); os.makedirs(r + "/x")
        d = r
        for _ in range(2000):
            d += "/d"; os.mkdir(d)
        os.symlink("/x", d + "/l")
        open(r + "/bin/app", "w").close(); os.chmod(r + "/bin/app", 0o755)
        os.symlink("d", r + "/lc")
        c, ents = (cwd, ["l"] * n) if kind == "abs" else ("/lc" + cwd[2:], ["e"] * n)
        json.dump({"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "process": {
            "user": {"uid": 1000, "gid": 1000}, "args": ["app"], "cwd": c,
            "env": ["PATH=" + ":".join(ents) + ":/bin"]}}, open(b + "/config.json", "w"))
PY
# The bytes of the path strings of every openat and openat2 of one run.
path_bytes() {
  strace -f -qq -e trace=openat,openat2 -e signal=none -s 100000 -o trace.log \
    "$CAPSCOPE" explain oci "$1" >out 2>err
  grep -q '^Entrypoint:' out || return 1 # its exit status is the verdict's
  python3 - trace.log <<'PY'
import re, sys
text = open(sys.argv[1]).read()
print(sum(len(m.group(1)) for m in re.finditer(r'^\S+ openat2?\([^,]*, "((?:[^"\\]|\\.)*)"', text, re.M)))
PY
}
for kind in abs linked; do
  a=$(path_bytes "$kind-200") && b=$(path_bytes "$kind-400")
  ok $? "$kind: explain oci ran under strace"
  is "$(grep -m1 '^Entrypoint:' out | cut -d, -f1)" "Entrypoint: /bin/app" "$kind: the entrypoint"
  per=$(( (b - a) / 200 ))
  [ "$per" -le 64 ]
  ok $? "$kind: $per bytes of path a further entry (at most 64; joined, 4 KB)"
done
done_testing
