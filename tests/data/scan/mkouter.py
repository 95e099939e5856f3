#!/usr/bin/env python3
# Hostile outer archives for tests/cli/scan-image-outer.sh: what makes an
# archive an image (manifest.json, index.json, oci-layout) and the files it
# names, given in forms docker load and podman load read (they extract the
# archive, then open names: links followed, the last of two entries kept)
# but that a scanner keeping the first copy, or none, would read otherwise.
# Each image's one layer holds a set-uid root file, /usr/evil; a scan that
# reports no finding and exits 0 has read another image than the runtime.
import gzip, hashlib, io, json, sys, tarfile

out = sys.argv[1]
ELF = b"\x7fELF" + b"\0" * 60


def ti(name, data=b"", mode=0o644, typ=tarfile.REGTYPE, link=""):
    t = tarfile.TarInfo(name)
    t.size = len(data) if typ == tarfile.REGTYPE else 0
    t.mode, t.type, t.linkname = mode, typ, link
    return t


def layer(evil=True):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        t.addfile(ti("usr/", typ=tarfile.DIRTYPE, mode=0o755))
        name, mode = ("usr/evil", 0o4755) if evil else ("usr/plain", 0o755)
        t.addfile(ti(name, ELF, mode=mode), io.BytesIO(ELF))
    return b.getvalue()


def write(name, members, gz=False):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for m in members:
            n, data = m[0], m[1]
            typ = m[2] if len(m) > 2 else tarfile.REGTYPE
            link = m[3] if len(m) > 3 else ""
            t.addfile(ti(n, data, typ=typ, link=link),
                      io.BytesIO(data) if typ == tarfile.REGTYPE else None)
    data = raw.getvalue()
    with open(f"{out}/{name}", "wb") as f:
        f.write(gzip.compress(data, 1) if gz else data)


EVIL, PLAIN = layer(), layer(False)
# docker load checks each layer against its diff_id: every docker archive
# here has the one layer EVIL as the image's layer.
CFG = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "1000"},
                  "rootfs": {"type": "layers",
                             "diff_ids": ["sha256:" + hashlib.sha256(EVIL).hexdigest()]}}).encode()


def man(lay):
    return json.dumps([{"Config": "c.json", "RepoTags": ["x:1"], "Layers": [lay]}]).encode()


REG, SYM, LNK = tarfile.REGTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
base = [("c.json", CFG), ("l/layer.tar", EVIL)]
write("ok.tar", base + [("manifest.json", man("l/layer.tar"))])
# manifest.json over 4 MiB (spaces after the JSON; docker load reads it)
write("big-manifest.tar", base + [("manifest.json", man("l/layer.tar") + b" " * (5 << 20))])


# JSON files (and, in an OCI archive, blobs) of up to 4 MiB were kept from the
# first pass until 64 MiB were: members that bring what is kept to 10 bytes
# short of that, so that what comes after them is not kept.
def fill(members, kind):
    kept = 0
    for m in members:  # as keep_blob took them: each that still fitted
        if (len(m[1]) <= 4 << 20 and kept + len(m[1]) <= 64 << 20 and
                (m[0].endswith(".json") or m[0].startswith("blobs/") or m[0] == "oci-layout")):
            kept += len(m[1])
    left, pads = (64 << 20) - 10 - kept, []
    while left > 0:
        n = min(left, 4 << 20)
        pads.append(("pad%d.json" % len(pads) if kind == "docker"
                     else "blobs/sha256/%064d" % len(pads), b" " * n))
        left -= n
    return pads


# 64 MiB of other .json files before manifest.json: then it was not kept
write("late-manifest.tar", base + fill(base, "docker") + [("manifest.json", man("l/layer.tar"))],
      gz=True)
# manifest.json as a symlink and as a hard link to the real text
write("symlink-manifest.tar", base + [("m.txt", man("l/layer.tar")),
                                     ("manifest.json", b"", SYM, "m.txt")])
write("hardlink-manifest.tar", base + [("m.txt", man("l/layer.tar")),
                                      ("manifest.json", b"", LNK, "m.txt")])
# two manifest.json entries: docker load extracts both and reads the last
write("two-manifests.tar", base + [("p/layer.tar", PLAIN), ("manifest.json", man("p/layer.tar")),
                                   ("./manifest.json", man("l/layer.tar"))])
# two entries of the layer's name: the last is the one extracted
write("two-layers.tar", [("c.json", CFG), ("l/layer.tar", PLAIN), ("l/layer.tar", EVIL),
                         ("manifest.json", man("l/layer.tar"))])
# two entries of the config's name: User 1000 first, root last
root = CFG.replace(b'"1000"', b'"0"')
write("two-configs.tar", [("c.json", CFG), ("l/layer.tar", EVIL), ("c.json", root),
                          ("manifest.json", man("l/layer.tar"))])


# An OCI archive whose layers (each under 4 MiB, 17 of them, and more blobs)
# come before its manifest and config: a real image, and it must be read.
def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def blob(b):
    return ("blobs/sha256/" + hashlib.sha256(b).hexdigest(), b)


def filler(i):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        d = bytes([i]) * ((4 << 20) - 16384)
        t.addfile(ti("f%d" % i, d), io.BytesIO(d))
    return b.getvalue()


layers = [filler(i) for i in range(17)] + [EVIL]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "1000"},
                  "rootfs": {"type": "layers", "diff_ids": [sha(x) for x in layers]}}).encode()
mf = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                            "digest": sha(cfg), "size": len(cfg)},
                 "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                             "digest": sha(x), "size": len(x)} for x in layers]}).encode()
idx = json.dumps({"schemaVersion": 2, "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(mf),
     "size": len(mf)}]}).encode()
first = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", idx)] + \
    [blob(x) for x in layers]
assert all(len(x) <= 4 << 20 for x in layers)
write("oci-many-layers.tar.gz", first + fill(first, "oci") + [blob(mf), blob(cfg)], gz=True)

# An OCI layout directory of one layer (EVIL): the test puts a fifo, a device
# or a directory in place of its files.
import os
one_cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "1000"},
                      "rootfs": {"type": "layers", "diff_ids": [sha(EVIL)]}}).encode()
one_mf = json.dumps({"schemaVersion": 2, "config": {"digest": sha(one_cfg), "size": len(one_cfg),
                     "mediaType": "application/vnd.oci.image.config.v1+json"},
                     "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                 "digest": sha(EVIL), "size": len(EVIL)}]}).encode()
one_idx = json.dumps({"schemaVersion": 2, "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(one_mf),
     "size": len(one_mf)}]}).encode()
os.makedirs(f"{out}/oci-dir/blobs/sha256")
for n, b in [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", one_idx),
             blob(EVIL), blob(one_mf), blob(one_cfg)]:
    with open(f"{out}/oci-dir/{n}", "wb") as f:
        f.write(b)
with open(f"{out}/oci-dir.layer", "w") as f:  # the layer blob's name, for the test
    f.write(blob(EVIL)[0])


# A layer entry whose PAX header gives security.capability twice: two
# SCHILY.xattr records (Go's archive/tar, which containerd and Docker use,
# keeps the last: cap_sys_admin), or a LIBARCHIVE.xattr record beside a
# SCHILY.xattr one (they apply only SCHILY.xattr). The first record says
# cap_net_bind_service, which was what the scan reported (low, not critical).
def capv2(bit):
    return struct.pack("<IIIII", 0x02000001, (1 << bit) & 0xffffffff, 0, (1 << bit) >> 32, 0)


def rec(k, v):
    body = k.encode() + b"=" + v + b"\n"
    n = len(body) + 2
    while len(str(n)) + 1 + len(body) != n:
        n += 1
    return str(n).encode() + b" " + body


def raw_layer(name, pax):
    def hdr(n, size, typ, mode=0o644):
        t = tarfile.TarInfo(n)
        t.size, t.type, t.mode = size, typ, mode
        return t.tobuf(format=tarfile.USTAR_FORMAT)
    b = hdr("PaxHeaders/x", len(pax), tarfile.XHDTYPE) + pax + b"\0" * (-len(pax) % 512)
    b += hdr("bin/x", len(ELF), tarfile.REGTYPE, 0o755) + ELF + b"\0" * (-len(ELF) % 512)
    with open(f"{out}/{name}", "wb") as f:
        f.write(b + b"\0" * 1024)


import base64
import struct
raw_layer("xattr-twice.tar", rec("SCHILY.xattr.security.capability", capv2(10)) +
          rec("SCHILY.xattr.security.capability", capv2(21)))
# Thirteenth pass: the SCHILY.xattr record first, then a LIBARCHIVE.xattr one
# (libarchive lists the last first), and a LIBARCHIVE.xattr record alone,
# which containerd and Docker never set.
raw_layer("xattr-mixed-rev.tar", rec("SCHILY.xattr.security.capability", capv2(21)) +
          rec("LIBARCHIVE.xattr.security.capability",
              base64.b64encode(capv2(10)).rstrip(b"=")))
raw_layer("xattr-libarchive-only.tar", rec("LIBARCHIVE.xattr.security.capability",
                                           base64.b64encode(capv2(21)).rstrip(b"=")))
raw_layer("xattr-mixed.tar", rec("LIBARCHIVE.xattr.security.capability",
                                 base64.b64encode(capv2(10)).rstrip(b"=")) +
          rec("SCHILY.xattr.security.capability", capv2(21)))
