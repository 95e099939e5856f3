#!/usr/bin/env bash
# asan-too
# explain pod --image keeps the content of passwd and group files (1 MiB
# each, 16 MiB in all); a hard link entry to such a file copied it, outside
# that bound: 3,000 link entries (1.5 MB) to a 1 MiB /etc/passwd held 2.9 GB
# (fourteenth pass, part D). The content is now shared by the links
# (lib/scan/view.c struct vdata). Here the links also outlive their target
# (a whiteout in a later layer), one replaces it, and /etc/passwd is read
# through the last of them: the same uid. The RSS (GNU time %M) is checked
# outside a sanitizer only.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/rss.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import io, json, tarfile
pw = (b"#" * 99 + b"\n") * 10000 + b"root:x:0:0::/root:/bin/sh\napp:x:1001:1001::/:/bin/sh\n"
def lay(ents):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, data, link in ents:
            ti = tarfile.TarInfo(name); ti.mode = 0o755
            if link:
                ti.type = tarfile.LNKTYPE; ti.linkname = link; tf.addfile(ti)
            else:
                ti.size = len(data); tf.addfile(ti, io.BytesIO(data))
    return b.getvalue()
l0 = lay([("etc/passwd", pw, None), ("bin/sh", b"\x7fELF", None)] +
         [("x/l%d" % i, None, "etc/passwd") for i in range(3000)])
# The target goes, a link replaces another, and /etc/passwd comes back as a link.
l1 = lay([("etc/.wh.passwd", b"", None), ("x/l1", None, "x/l0"), ("etc/passwd", None, "x/l2999")])
import hashlib  # docker load checks each layer against its diff_id
cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(x).hexdigest() for x in (l0, l1)]}, 
                  "config": {"User": "app", "Entrypoint": ["/bin/sh"]}}).encode()
with tarfile.open("img.tar", "w") as tf:
    for n, d in [("c.json", cfg), ("l0.tar", l0), ("l1.tar", l1),
                 ("manifest.json", json.dumps([{"Config": "c.json",
                                                "Layers": ["l0.tar", "l1.tar"]}]).encode())]:
        ti = tarfile.TarInfo(n); ti.size = len(d); tf.addfile(ti, io.BytesIO(d))
with open("pod.yaml", "w") as f:
    f.write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
            "  containers:\n  - name: c\n    image: x\n")
PY
with_rss timeout 120 "$CAPSCOPE" explain pod --json --image img.tar pod.yaml >out 2>err
is "$?" 0 "3,000 hard links to a 1 MiB /etc/passwd: explained"
is "$(jq -r '.containers[0].oci.uid' out)" 1001 "...USER app read through the links (uid 1001)"
rss_below 200000 "...in less than 200 MB (2.9 GB when each link copied it)"

# A symlink's target (up to 4095 bytes) was copied for each hard link to
# the symlink: 100,000 links (51 MB of tar) held 426 MB (fourteenth pass,
# part I). It is shared now, as kept content is.
python3 - <<'PY' || bail_out "python3 failed"
import tarfile
with tarfile.open("hl.tar", "w", format=tarfile.PAX_FORMAT) as tf:
    ti = tarfile.TarInfo("s"); ti.type = tarfile.SYMTYPE; ti.linkname = "x" * 4095; tf.addfile(ti)
    for i in range(30000):
        ti = tarfile.TarInfo("h%d" % i); ti.type = tarfile.LNKTYPE; ti.linkname = "s"; tf.addfile(ti)
PY
with_rss timeout 120 "$CAPSCOPE" scan --json hl.tar >out 2>err
is "$?" 0 "30,000 hard links to a symlink of 4,095 bytes: scanned"
rss_below 60000 "...in less than 60 MB (130 MB when each link copied the target)"
done_testing
