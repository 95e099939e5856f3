#!/usr/bin/env python3
"""
Tar streams that libarchive and Go's archive/tar (containerd, Docker) read
differently: KIND OUT writes one (tests/cli/scan-tar-disagree.sh). Headers
are written by hand, as no tar writer puts a PAX path and a GNU long name on
one entry, or a body behind a hard link.
"""
import io, sys, tarfile

def block(name, size=0, typ=b'0', mode=0o644, link=b'', magic=b'ustar\x0000', prefix=b'',
          modef=None, uid=0, uidf=None):
    b = bytearray(512)
    b[0:len(name)] = name
    b[100:108] = modef if modef is not None else b'%07o\x00' % mode
    b[108:116] = uidf if uidf is not None else b'%07o\x00' % uid
    b[116:124] = b'%07o\x00' % 0
    b[124:136] = b'%011o\x00' % size
    b[136:148] = b'%011o\x00' % 0
    b[156:157] = typ
    b[157:157 + len(link)] = link
    b[257:265] = magic
    b[345:345 + len(prefix)] = prefix
    b[148:156] = b' ' * 8
    b[148:156] = b'%06o\x00 ' % sum(b)
    return bytes(b)

def data(d):
    return d + b'\0' * ((512 - len(d) % 512) % 512)

def pax(recs):
    out = b''
    for k, v in recs:
        body = b' ' + k + b'=' + v + b'\n'
        n = len(body) + 1
        while len(str(n)) + len(body) != n:
            n = len(str(n)) + len(body)
        out += str(n).encode() + body
    return out

def entry(name, d=b'', mode=0o644, typ=b'0', link=b'', **kw):
    return block(name, len(d), typ, mode, link, **kw) + data(d)

END = b'\0' * 1024
ELF = b'\x7fELF\x02\x01\x01' + b'\0' * 57

def write(path, body):
    open(path, 'wb').write(body + END)

kind = sys.argv[1]
out = sys.argv[2]
if kind == 'pax-then-L':
    # PAX path first, GNU long name second: libarchive takes the PAX path
    p = pax([(b'path', b'usr/bin/.wh.evil')])
    ln = b'tmp/harmless' + b'\0'
    write(out, block(b'././@PaxHeader', len(p), b'x') + data(p) +
          block(b'././@LongLink', len(ln), b'L', magic=b'ustar  \x00') + data(ln) +
          entry(b'short', b'x'))
elif kind == 'L-then-pax':
    p = pax([(b'path', b'usr/bin/.wh.evil')])
    ln = b'tmp/harmless' + b'\0'
    write(out, block(b'././@LongLink', len(ln), b'L', magic=b'ustar  \x00') + data(ln) +
          block(b'././@PaxHeader', len(p), b'x') + data(p) + entry(b'short', b'x'))
elif kind == 'hardlink-size':
    # a PAX archive whose hard link claims a size: libarchive reads a body,
    # Go none (a header-only type), and unpacks the set-uid file inside it
    p = pax([(b'mtime', b'1')])
    hidden = entry(b'usr/bin/hidden', ELF, mode=0o4755)
    write(out, block(b'././@PaxHeader', len(p), b'x') + data(p) + entry(b'etc/a', b'a') +
          block(b'etc/b', len(hidden), b'1', link=b'etc/a') + hidden)
elif kind == 'zero-then-entry':
    write(out, entry(b'a', b'a') + b'\0' * 512 + entry(b'usr/bin/su', ELF, mode=0o4755)[:1024])
elif kind == 'mode-nul':
    # thirteenth pass: a NUL before the mode's digits: 04755 to Go (it trims
    # NULs), 0 to libarchive (its octal parser stops there)
    write(out, entry(b'usr/bin/evil', ELF, modef=b'\x00004755\x00'))
elif kind == 'empty-L':
    # an empty GNU long name: Go keeps the header's name, libarchive takes ''
    write(out, block(b'././@LongLink', 1, b'L', magic=b'ustar  \x00') + data(b'\0') +
          entry(b'usr/bin/evil', ELF, mode=0o4755))
elif kind == 'empty-path':
    # an empty PAX path: both keep the header's name
    p = pax([(b'path', b'')])
    write(out, block(b'././@PaxHeader', len(p), b'x') + data(p) + entry(b'usr/bin/su', ELF, mode=0o4755))
elif kind == 'rega-slash':
    # a '\0' entry named "d/": a directory with no body to both
    write(out, block(b'd/', 512, b'\0') + entry(b'usr/bin/su', ELF, mode=0o4755))
elif kind == 'reg-slash':
    # a '0' entry named "d/": a directory to libarchive, a set-uid file to Go
    write(out, block(b'd/', 0, b'0', mode=0o4755) + entry(b'a', b'a'))
elif kind == 'uid-empty':
    # an empty PAX uid: Go keeps the header's 1000, libarchive reads 0
    p = pax([(b'uid', b'')])
    write(out, block(b'././@PaxHeader', len(p), b'x') + data(p) +
          entry(b'usr/bin/su', ELF, mode=0o4755, uid=1000))
elif kind == 'uid-bad':
    # a PAX uid Go cannot parse (libarchive reads 0)
    p = pax([(b'uid', b'0x')])
    write(out, block(b'././@PaxHeader', len(p), b'x') + data(p) +
          entry(b'usr/bin/su', ELF, mode=0o4755, uid=1000))
elif kind == 'uid-wrap':
    # owners lchown(2) takes as root: uid 2^32 (base-256; its uid_t is 32
    # bits) and -1 (no change: the unpacker, root)
    write(out, entry(b'usr/bin/a', ELF, mode=0o4755, uidf=b'\x80\x00\x00\x01\x00\x00\x00\x00') +
          entry(b'usr/bin/b', ELF, mode=0o4755, uidf=b'\xff' * 8) +
          entry(b'usr/bin/c', ELF, mode=0o4755, uidf=b'\xff' * 7 + b'\xfe'))
elif kind == 'ok':
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode='w', format=tarfile.GNU_FORMAT) as t:
        for n in ['a' * 150 + '/x', 'usr/bin/su']:
            ti = tarfile.TarInfo(n); ti.size = len(ELF); ti.mode = 0o4755
            t.addfile(ti, io.BytesIO(ELF))
        ti = tarfile.TarInfo('l' * 120); ti.type = tarfile.SYMTYPE; ti.linkname = 'k' * 130
        t.addfile(ti)
    open(out, 'wb').write(bio.getvalue())
