#!/usr/bin/env python3
"""Write hostile layer tars into DIR (argv[1]); each one is a trap for an image reader."""
import io
import os
import struct
import sys
import tarfile

out = sys.argv[1]
CAP_NET_RAW_V2 = struct.pack("<IIIII", 0x02000001, 1 << 13, 0, 0, 0)
CAP_SYS_ADMIN_V2 = struct.pack("<IIIII", 0x02000001, 1 << 21, 0, 0, 0)
ELF = b"\x7fELF" + b"\0" * 60


def member(name, mode=0o755, data=ELF, typ=tarfile.REGTYPE, link="", uid=0, gid=0, pax=None):
    ti = tarfile.TarInfo(name)
    ti.mode = mode
    ti.uid, ti.gid = uid, gid
    ti.type = typ
    ti.linkname = link
    ti.size = len(data) if typ == tarfile.REGTYPE else 0
    if pax:
        ti.pax_headers = pax
    return ti, (io.BytesIO(data) if typ == tarfile.REGTYPE else None)


def write(name, members, fmt=tarfile.PAX_FORMAT):
    with tarfile.open(os.path.join(out, name), "w", format=fmt) as t:
        for ti, f in members:
            t.addfile(ti, f)


def capx(v):
    # tarfile writes PAX values as UTF-8; surrogateescape lets raw bytes through.
    return {"SCHILY.xattr.security.capability": v.decode("utf-8", "surrogateescape")}


# '..' and absolute names stay inside the image (containerd cleans them the same way).
write("dotdot.tar", [
    member("../../../etc/evil-suid", 0o4755),
    member("/abs/suid", 0o4755),
    member("ok/./x/../ping", 0o755, pax=capx(CAP_NET_RAW_V2)),
])
# An absolute name alone (no '..'): kept inside the image and reported.
write("absolute.tar", [
    member("/etc/passwd", 0o644, data=b"root:x:0:0::/root:/bin/sh\n"),
    member("/usr/bin/abs-suid", 0o4755),
])
# Names that try to rewrite the terminal or forge a row of the text table.
write("names.tar", [
    member("x\n/usr/bin/fake  critical  cap_sys_admin+ep", 0o4755),
    member("\x1b[2J\x1b[Hclear\x1b]0;title\x07", 0o4755),
    member("dir\x1b[31m/in", 0o4755),
    member("bidi\u202eexe.txt", 0o4755),
    member("lnk\x1b[1m", typ=tarfile.SYMTYPE, link="\x1b[2J/target\n"),
])
# Links pointing outside: never followed on the host; a parent symlink is
# followed inside the image only.
write("links.tar", [
    member("out", typ=tarfile.SYMTYPE, link="/etc/shadow"),
    member("up", typ=tarfile.SYMTYPE, link="../../../../../etc"),
    member("etcdir", typ=tarfile.SYMTYPE, link="/etc"),
    member("etcdir/through-link", 0o4755),
    member("hl-to-symlink", typ=tarfile.LNKTYPE, link="out"),
    member("loop1", typ=tarfile.SYMTYPE, link="loop2"),
    member("loop2", typ=tarfile.SYMTYPE, link="loop1"),
])
# An entry no applier can write: containerd and Docker fail the layer.
write("loop.tar", [
    member("bin/su", 0o4755),
    member("loop1", typ=tarfile.SYMTYPE, link="loop2"),
    member("loop2", typ=tarfile.SYMTYPE, link="loop1"),
    member("loop1/x", 0o4755),
])
write("notdir.tar", [member("bin/su", 0o4755), member("f", 0o644), member("f/x", 0o4755)])
# Hard links: a link to a set-uid file is a set-uid file; to a missing one, an error.
# A link's own header is applied to the inode (lchown drops set-id bits and
# capabilities, then its xattrs and mode), so it can make its target set-uid
# or capped, or plain; real writers repeat the target's header.
write("hardlinks.tar", [
    member("bin/su", 0o4755),
    member("bin/su-link", 0o4755, typ=tarfile.LNKTYPE, link="bin/su"),
    member("bin/capped", 0o755, pax=capx(CAP_SYS_ADMIN_V2)),
    member("usr/capped-link", typ=tarfile.LNKTYPE, link="bin/capped", pax=capx(CAP_SYS_ADMIN_V2)),
    member("bin/plain", 0o755),
    member("bin/made-suid", 0o4755, typ=tarfile.LNKTYPE, link="bin/plain"),
    member("bin/plain2", 0o755),
    member("bin/made-capped", 0o755, typ=tarfile.LNKTYPE, link="bin/plain2", pax=capx(CAP_NET_RAW_V2)),
    member("bin/su2", 0o4755),
    member("bin/su2-plain", 0o755, typ=tarfile.LNKTYPE, link="bin/su2"),
])
# A hard link link(2) cannot make fails containerd's applier, so the layer is
# refused: a missing target, one out of the root (kept inside: missing too),
# one written after the link, the link itself, a file under the directory the
# link replaces (removed first), a directory.
def su():
    return [member("bin/su", 0o4755)]


write("hl-missing.tar", su() + [member("bin/dangling-link", typ=tarfile.LNKTYPE, link="nothere/missing")])
write("hl-outside.tar", su() + [member("bin/outside-link", typ=tarfile.LNKTYPE, link="../../../../etc/passwd")])
write("hl-later.tar", [member("bin/early", typ=tarfile.LNKTYPE, link="bin/su")] + su())
write("hl-self.tar", su() + [member("bin/su", typ=tarfile.LNKTYPE, link="bin/su")])
write("hl-under.tar", su() + [member("bin", typ=tarfile.LNKTYPE, link="bin/su")])
write("hl-dir.tar", su() + [member("dirlink", typ=tarfile.LNKTYPE, link="bin")])
write("hl-root.tar", su() + [member("rootlink", typ=tarfile.LNKTYPE, link="./")])
# Duplicates: the last entry wins, like a real extraction.
write("dups.tar", [
    member("a", 0o4755),
    member("a", 0o755),
    member("b", 0o755),
    member("b", 0o2755, gid=50),
    member("c", 0o755, pax=capx(CAP_SYS_ADMIN_V2)),
    member("c", 0o755, pax=capx(CAP_NET_RAW_V2)),
    member("d", 0o4755),
    member("d", typ=tarfile.DIRTYPE),
    member("d/inside", 0o755),
])
# An invalid capability value (wrong size for its revision) is a finding, not a crash.
write("badcap.tar", [member("weird", 0o755, pax=capx(b"\x00\x00\x00\x02\x01\x02"))])

# PAX record lying about its length.
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
    ti, f = member("liar", 0o4755, pax={"comment": "x" * 40})
    t.addfile(ti, f)
raw = bytearray(buf.getvalue())
i = raw.find(b"52 comment=")
assert i > 0
raw[i:i + 2] = b"99"
open(os.path.join(out, "pax-liar.tar"), "wb").write(bytes(raw))

# An oversized header: a PAX extended header that claims a huge size.
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
    ti, f = member("big", 0o4755, pax={"comment": "y"})
    t.addfile(ti, f)
raw = bytearray(buf.getvalue())
size_field = raw[124:136]
raw[124:136] = b"77777777777\0"  # the 'x' header's size: 8 GiB
# recompute the header checksum
raw[148:156] = b"        "
chk = sum(raw[0:512])
raw[148:156] = b"%06o\0 " % chk
open(os.path.join(out, "oversized.tar"), "wb").write(bytes(raw))

# Truncated in the middle of a member.
good = open(os.path.join(out, "hardlinks.tar"), "rb").read()
open(os.path.join(out, "truncated.tar"), "wb").write(good[:700])
# Not a tar at all.
open(os.path.join(out, "garbage.tar"), "wb").write(b"this is not an archive\n" * 40)
