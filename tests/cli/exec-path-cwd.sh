#!/usr/bin/env bash
# asan-too
# The $PATH search's relative entries are looked up from the working
# directory, resolved once (fourteenth pass, part M): in an image from the
# cwd's node (lib/scan/view.c cs_view_node_from), in a rootfs from the cwd's
# descriptor (RESOLVE_BENEATH, leading ".." climbed a parent at a time and
# stopped at the root; an absolute link or a way out looked up joined, as
# before). Joining each entry to the cwd walked the cwd again for each
# (100,000 empty entries under a 4 KB cwd: 8.7 s for an image, 16 s for a
# rootfs; the steps are counted by unit/test-image, the times are in
# bench/bench-explain.sh). Here: the same candidate as the joined lookup
# took, for ".." (clamped at the root), links up, out and absolute, a cwd
# that is a link, missing or a file, "." and slashes. Fifteenth pass, part
# F: an entry through an absolute link, a way up, or under a cwd reached
# through links is walked from the cwd too (its links counted with the
# cwd's: 40 in all, the 41st refused); "../al" with al an absolute link was
# looked up as "cwd/al" (the ".." dropped) and its candidate missed.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import hashlib, io, json, os, tarfile
# A cwd through 38 links: an entry's own links count with them toward the 40.
chain = [("c%d" % i, "l", "c%d" % (i + 1)) for i in range(37)] + [("c37", "l", "w")]
cases = {
 "plain": ("/w", ":/bin", []),
 "dotdot": ("/w", "..:../bin:/bin", []),
 "dotdot-x": ("/w/s", "../../x:/bin", [("x/app", "f", "")]),
 "dotdot-root": ("/w/s", "../../../../../x:/bin", [("x/app", "f", "")]),
 "abs-link": ("/w", "l:/bin", [("w/l", "l", "/x")]),
 "abs-ok": ("/w", "al:/bin", [("w/al", "l", "/x"), ("x/app", "f", "")]),
 "rel-link-up": ("/w", "u:/bin", [("w/u", "l", "../x")]),
 "x-link": ("/w", "xl:/bin", [("w/xl", "l", "../x"), ("x/app", "f", "")]),
 "linked-cwd": ("/lw", ":/bin", [("lw", "l", "w"), ("w/app", "f", "")]),
 "linked-cwd-up": ("/lw/s", "..:/bin", [("lw", "l", "/w"), ("w/app", "f", "")]),
 "missing-cwd": ("/nope/deeper", ":/bin", []),
 "file-cwd": ("/f", ":/bin", [("f", "f0", "")]),
 "here": ("/w", ".:/bin", [("w/app", "f", "")]),
 "slashes": ("/w", ".//.//sub/:/bin", [("w/sub/app", "f", "")]),
 "noexec": ("/w", ":/bin", [("w/app", "f0", "")]),
 "dir": ("/w", ":/bin", [("w/app", "d", "")]),
 "loop": ("/w", "lp:/bin", [("w/lp", "l", "lp")]),
 "root": ("/", ":bin", []),
 "dotdot-abs": ("/w/s", "../al:/bin", [("w/al", "l", "/x"), ("x/app", "f", "")]),
 "links-40": ("/c0", "k2:/bin", chain + [("w/k2", "l", "k2b"), ("w/k2b", "l", "/x"),
                                          ("x/app", "f", "")]),
 "links-41": ("/c0", "k3:/bin", chain + [("w/k3", "l", "k3a"), ("w/k3a", "l", "k3b"),
                                          ("w/k3b", "l", "/x"), ("x/app", "f", "")]),
}
for name, (cwd, path, extra) in cases.items():
    r = name + "/rootfs"
    for d in ("bin", "w/s", "x"):
        os.makedirs(r + "/" + d, exist_ok=True)
    open(r + "/bin/app", "w").close(); os.chmod(r + "/bin/app", 0o755)
    ents = [("bin/app", "f", ""), ("w/s", "d", ""), ("x", "d", "")] + extra
    for p, t, tg in extra:
        fp = os.path.join(r, p); os.makedirs(os.path.dirname(fp), exist_ok=True)
        if t == "l":
            os.symlink(tg, fp)
        elif t == "d":
            os.makedirs(fp, exist_ok=True)
        else:
            open(fp, "w").close(); os.chmod(fp, 0o755 if t == "f" else 0o644)
    json.dump({"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "process": {
        "user": {"uid": 1000, "gid": 1000}, "args": ["app"], "cwd": cwd,
        "env": ["PATH=" + path]}}, open(name + "/config.json", "w"))
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for p, t, tg in ents:
            ti = tarfile.TarInfo(p)
            if t == "l":
                ti.type = tarfile.SYMTYPE; ti.linkname = tg; ti.mode = 0o777
            elif t == "d":
                ti.type = tarfile.DIRTYPE; ti.mode = 0o755
            else:
                ti.mode = 0o755 if t == "f" else 0o644
            tf.addfile(ti)
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers",
        "diff_ids": ["sha256:" + hashlib.sha256(b.getvalue()).hexdigest()]}, "config": {
        "Entrypoint": ["app"], "WorkingDir": cwd, "User": "1000",
        "Env": ["PATH=" + path]}}).encode()
    with tarfile.open(name + "/img.tar", "w") as tf:
        for n, d in [("c.json", cfg), ("l0.tar", b.getvalue()), ("manifest.json", json.dumps(
                [{"Config": "c.json", "Layers": ["l0.tar"]}]).encode())]:
            ti = tarfile.TarInfo(n); ti.size = len(d); tf.addfile(ti, io.BytesIO(d))
open("pod.yaml", "w").write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
                            "spec:\n  containers:\n  - name: c\n    image: x\n")
PY
# case, the entrypoint taken (the first candidate; what the joined lookup took)
while read -r name want; do
  "$CAPSCOPE" explain oci "$name" >out 2>err
  is "$(grep -m1 '^Entrypoint:' out | cut -d, -f1)" "Entrypoint: $want" "rootfs $name: $want"
  "$CAPSCOPE" explain pod --image "$name/img.tar" pod.yaml >out 2>err
  is "$(grep -m1 'Entrypoint:' out | sed 's/^ *//' | cut -d, -f1)" "Entrypoint: $want" \
    "image $name: $want"
done <<'EOF2'
plain /bin/app
dotdot /w/../bin/app
dotdot-x /w/s/../../x/app
dotdot-root /w/s/../../../../../x/app
abs-link /bin/app
abs-ok /w/al/app
rel-link-up /bin/app
x-link /w/xl/app
linked-cwd /lw/app
linked-cwd-up /lw/s/../app
missing-cwd /bin/app
file-cwd /bin/app
here /w/app
slashes /w/sub//app
noexec /bin/app
dir /bin/app
loop /bin/app
root /bin/app
dotdot-abs /w/s/../al/app
links-40 /c0/k2/app
links-41 /bin/app
EOF2
done_testing
