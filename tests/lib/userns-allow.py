#!/usr/bin/env python3
# Run ARGV in a new user namespace whose uid and gid maps (0 0 1, or
# $CS_USERNS_MAP's lines) are written by this (privileged) parent, so its
# setgroups file stays "allow", which unshare -r cannot give (it writes
# "deny").
import ctypes, os, sys

libc = ctypes.CDLL(None, use_errno=True)
a_r, a_w = os.pipe()
b_r, b_w = os.pipe()
pid = os.fork()
if pid == 0:
    if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER
        os._exit(99)
    os.write(a_w, b"u")
    os.read(b_r, 1)
    # Become the namespace's root (the map's inside 0), whatever host id that is.
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)
    os.execvp(sys.argv[1], sys.argv[1:])
os.read(a_r, 1)
for f in ("uid_map", "gid_map"):
    with open(f"/proc/{pid}/{f}", "w") as m:
        m.write(os.environ.get("CS_USERNS_MAP", "0 0 1").replace(";", "\n") + "\n")
os.write(b_w, b"g")
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
