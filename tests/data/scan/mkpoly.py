#!/usr/bin/env python3
# A file that is both a running x86-64 ELF executable (it exits 0) and a
# valid tar archive: the ELF header lies in the tar header's name field, the
# tar fields after it, the program header at 1024. scan FILE took it for an
# image by its "ustar" magic (tests/cli/scan-image-outer.sh).
import struct
import sys
# machine code: mov eax,60; xor edi,edi; syscall
code = bytes([0xb8,60,0,0,0, 0x31,0xff, 0x0f,0x05])
phoff = 1024
base = 0x400000
codeoff = phoff + 56
filesz = codeoff + len(code)
ehdr = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + b'\0'*9, 2, 62, 1,
                   base + codeoff, phoff, 0, 0, 64, 56, 1, 64, 0, 0)
phdr = struct.pack('<IIQQQQQQ', 1, 5, 0, base, base, filesz, filesz, 0x1000)
buf = bytearray(filesz)
buf[0:64] = ehdr
# tar fields after the name (0..99 holds the ELF header)
def put(off, s): buf[off:off+len(s)] = s
put(100, b'0000644\0'); put(108, b'0000000\0'); put(116, b'0000000\0')
put(124, b'00000000000\0'); put(136, b'00000000000\0'); put(156, b'0')
put(257, b'ustar\0'); put(263, b'00')
buf[148:156] = b' ' * 8
chk = sum(buf[0:512])
put(148, ('%06o\0 ' % chk).encode())
buf[phoff:phoff+56] = phdr
buf[codeoff:codeoff+len(code)] = code
open(sys.argv[1], 'wb').write(bytes(buf))
