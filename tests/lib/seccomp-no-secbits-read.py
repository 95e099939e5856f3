#!/usr/bin/env python3
# Run ARGV with securebits set to $SB (default 0x2f: noroot and
# no-setuid-fixup, both locked) and prctl(PR_GET_SECUREBITS) failing with
# EPERM under a seccomp filter, as a caller's own filter can make it; with
# CS_DENY=capget, capget(2) fails so instead; with CS_DENY=fsetxattr24,
# fsetxattr(2) of a 24-byte value (a version 3 file capability) fails with
# errno $CS_ERRNO (default EPERM); CS_DENY=memfd_create, memfd_create(2)
# so. Every other system call is allowed.
# x86_64 only (exit 77 elsewhere).
import ctypes, os, platform, struct, sys

if platform.machine() != "x86_64":
    sys.exit(77)
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_SECCOMP, PR_SET_SECUREBITS, PR_GET_SECUREBITS = 22, 28, 27
if libc.prctl(PR_SET_SECUREBITS, int(os.environ.get("SB", "0x2f"), 0), 0, 0, 0) != 0:
    sys.exit(77)


def ins(code, jt, jf, k):
    return struct.pack("HBBI", code, jt, jf, k)


LD_ABS, JEQ, RET = 0x20, 0x15, 0x06
ARCH_X86_64 = 0xC000003E
prog = b"".join([
    ins(LD_ABS, 0, 0, 4),  # seccomp_data.arch
    ins(JEQ, 1, 0, ARCH_X86_64),
    ins(RET, 0, 0, 0x7FFF0000),  # another ABI: allowed
    ins(LD_ABS, 0, 0, 0),  # seccomp_data.nr
] + ([
    ins(JEQ, 0, 1, 125),  # __NR_capget
] if os.environ.get("CS_DENY") == "capget" else [
    ins(JEQ, 0, 3, 190),  # __NR_fsetxattr
    ins(LD_ABS, 0, 0, 40),  # args[3] (the size), low half
    ins(JEQ, 0, 1, 24),  # a version 3 value
] if os.environ.get("CS_DENY") == "fsetxattr24" else [
    ins(JEQ, 0, 1, 319),  # __NR_memfd_create
] if os.environ.get("CS_DENY") == "memfd_create" else [
    ins(JEQ, 0, 3, 157),  # __NR_prctl
    ins(LD_ABS, 0, 0, 16),  # args[0], low half
    ins(JEQ, 0, 1, PR_GET_SECUREBITS),
]) + [
    # SECCOMP_RET_ERRNO | $CS_ERRNO (EPERM unless told)
    ins(RET, 0, 0, 0x00050000 | int(os.environ.get("CS_ERRNO", "1"))),
    ins(RET, 0, 0, 0x7FFF0000),  # SECCOMP_RET_ALLOW
])
buf = ctypes.create_string_buffer(prog)


class Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


fp = Fprog(len(prog) // 8, ctypes.addressof(buf))
if libc.prctl(PR_SET_SECCOMP, 2, ctypes.byref(fp), 0, 0) != 0:  # SECCOMP_MODE_FILTER
    sys.exit(77)
os.execvp(sys.argv[1], sys.argv[1:])
