#!/usr/bin/env python3
"""
capscope's reading of a port sysctl's value against this kernel's. Each
value is written as runc writes it (Go's os.WriteFile: one write, then the
rest again after a short count) into a new network namespace's
ip_unprivileged_port_start and ip_local_port_range, and what the kernel
kept is read back; tests/helpers/sysctl-read says what cs_sysctl_int and
cs_sysctl_ints make of it, and the handlers' own rules (the port start not
above the range's start 32768, the range's end not below its start nor
its start below 1024) are applied to it. Then pairs of values, both keys
written in both orders from a new namespace, against `explain pod --check
bind:80` ("always", "never" or "some" start, and bind:80). Speaks TAP.

usage: sysctl-kernel-diff.py HELPER CAPSCOPE TMPDIR [--seed N] [--count N]
"""
import ctypes
import json
import os
import random
import subprocess
import sys

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
P = "/proc/sys/net/ipv4/"
START, RANGE = "ip_unprivileged_port_start", "ip_local_port_range"


def go_write(path, data):
    """os.WriteFile: write until all is written, or the first error."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        off = 0
        while True:
            n = os.write(fd, data[off:])
            off += n
            if off == len(data) or n == 0:
                return 0 if off == len(data) else -1
    except OSError as e:
        return -e.errno
    finally:
        os.close(fd)


def in_netns(writes):
    """In a new network namespace: the writes in order, stopping at the first
    refused; (index refused or -1, port start, range) read back."""
    rp, wp = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rp)
        code = 0
        try:
            if libc.unshare(CLONE_NEWNET) != 0:
                code = 3
            else:
                bad = -1
                for i, (key, val) in enumerate(writes):
                    if go_write(P + key, val) != 0:
                        bad = i
                        break
                got = [" ".join(open(P + k).read().split()) for k in (START, RANGE)]
                os.write(wp, json.dumps([bad] + got).encode())
        except Exception:
            code = 4
        os._exit(code)
    os.close(wp)
    data = b""
    while True:
        chunk = os.read(rp, 4096)
        if not chunk:
            break
        data += chunk
    os.close(rp)
    _, st = os.waitpid(pid, 0)
    if st != 0:
        print("1..0 # SKIP no network namespace of our own (unshare CLONE_NEWNET)")
        sys.exit(0)
    return json.loads(data)


NUMS = [b"0", b"00", b"0x0", b"0X50", b"0x", b"0x1g", b"010", b"08", b"0121", b"80", b"1023",
        b"1024", b"32768", b"40000", b"60999", b"65535", b"65536", b"2147483647", b"2147483648",
        b"4294967296", b"4294967376", b"18446744073709551615", b"18446744073709551616",
        b"0" * 19 + b"1", b"0" * 20 + b"1", b"0" * 20, b"0" * 21, b"0x" + b"0" * 18 + b"50",
        b"0x" + b"0" * 19 + b"50", b"-0", b"-1", b"-80", b"+80", b"--80", b"- 80", b"-", b"+",
        b"1e1", b"80.0", b"\xef\xbc\x98\xef\xbc\x90", b"-2147483648", b"-2147483649",
        b"-18446744073709551615", b"-0x50", b"0xffffffffffffffff", b"0x10000000000000000",
        b"0x80000000", b"0" * 18 + b"80", b"-" + b"0" * 19 + b"1"]
BLANKS = [b"", b" ", b"\t", b"\n", b"\v", b"\f", b"\r", b"\xa0", b"  ", b" \t\n", b"\x85",
          b"\xc2\xa0"]
SEPS = [b" ", b"\t", b"\n", b"\v", b"\f", b"\r", b"\xa0", b",", b"-", b":", b"  ", b" \n "]
TAILS = [b"", b" ", b"\n", b"\t", b"\r", b"\v", b"\xa0", b"junk", b" junk", b"\njunk",
         b"\rjunk", b" 5", b" 70000", b" -1", b"\x01", b"#"]
PAGE = 4095  # what the kernel reads of one write: a 4 KiB page less one byte


def spellings(rnd, count):
    out = [b"", b" ", b"\n"]
    for n in NUMS:
        out += [b + n for b in (b"", b" ", b"\v", b"\xa0")] + [n + t for t in TAILS]
    for s in SEPS:
        for a, b in ((b"40000", b"60999"), (b"2000", b"3000"), (b"0x9c40", b"070000"),
                     (b"60999", b"40000"), (b"40000", b"junk"), (b"1024", b"1024")):
            out += [a + s + b, a + s + b + b"\n"]
    for k in (PAGE - 5, PAGE - 2, PAGE - 1, PAGE, PAGE + 1, PAGE + 900):
        out += [b" " * k + b"100", b"80" + b" " * k + b"junk", b"40000" + b" " * (k - 5) + b"50000"]
    while len(out) < count:
        parts = [rnd.choice(BLANKS), rnd.choice(NUMS)]
        if rnd.random() < 0.6:
            parts += [rnd.choice(SEPS), rnd.choice(NUMS)]
        out.append(b"".join(parts + [rnd.choice(TAILS + BLANKS)]))
    seen, uniq = set(), []
    for v in out:
        if v not in seen:
            seen.add(v)
            uniq.append(v)
    return uniq


def show(v):
    return repr(v) if len(v) < 60 else "%r…(%d bytes)…%r" % (v[:12], len(v), v[-12:])


def main():
    helper, capscope, tmp = sys.argv[1:4]
    args = sys.argv[4:]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
    count = int(args[args.index("--count") + 1]) if "--count" in args else 600
    rnd = random.Random(seed)
    vals = spellings(rnd, count)
    said = subprocess.run([helper], input="".join(v.hex() + "\n" for v in vals).encode(),
                          capture_output=True, check=True).stdout.decode().splitlines()
    bad = 0
    n = 0
    for v, c in zip(vals, said):
        cstart, crange = c.split("|")
        if cstart == "NODATA":
            cstart = "1024"
        elif cstart != "EINVAL" and int(cstart) > 32768:
            cstart = "EINVAL"  # above the range's start (ipv4_privileged_ports)
        if crange == "NODATA":
            crange = "32768 60999"
        elif crange != "EINVAL":
            lo, hi = map(int, crange.split())
            if hi < lo or lo < 1024:
                crange = "EINVAL"  # ipv4_local_port_range
        ks = in_netns([(START, v)])
        kr = in_netns([(RANGE, v)])
        kstart = "EINVAL" if ks[0] == 0 else ks[1]
        krange = "EINVAL" if kr[0] == 0 else kr[2]
        if (cstart, crange) != (kstart, krange):
            bad += 1
            print("# %s: the kernel sets %s / %s, capscope says %s / %s" %
                  (show(v), kstart, krange, cstart, crange))
    n += 1
    print("%sok %d - %d values read as this kernel reads them (%d differ)" %
          ("not " if bad else "", n, len(vals), bad))
    # both keys, both orders, against explain pod
    starts = [b"80", b"0x50", b" 0", b"500", b"1024", b"2000", b"35000", b"40000", b"0 junk",
              b"junk", b"", b"-1", b"070000", b" " * (PAGE - 1) + b"100"]
    ranges = [b"40000 60999", b"1024 60999", b"2000 1000", b"500 60999", b"1000", b"40000",
              b"0x9c40 60999 junk", b"40000\n\n", b"junk", b"2000 3000", b"40000 70000",
              b"60999 40000", b"", b"\v2000\t3000", b"2000" + b" " * PAGE + b"1000"]
    pod = os.path.join(tmp, "pod.json")
    pairs = [(s, r) for s in starts for r in ranges]
    rnd.shuffle(pairs)
    bad = 0
    for s, r in pairs[:80]:
        ends = []
        for order in ((START, s), (RANGE, r)), ((RANGE, r), (START, s)):
            got = in_netns(list(order))
            ends.append(None if got[0] >= 0 else got[1])
        ok = [e for e in ends if e is not None]
        real = ("never" if not ok else ("some" if len(ok) == 1 else "always") +
                " bind=" + ",".join(sorted({str(int(e) <= 80).lower() for e in ok})))
        spec = {"kind": "Pod", "metadata": {"name": "p"}, "spec": {
            "securityContext": {"sysctls": [
                {"name": "net.ipv4." + START, "value": s.decode("latin-1")},
                {"name": "net.ipv4." + RANGE, "value": r.decode("latin-1")}]},
            "containers": [{"name": "c", "image": "i", "command": ["/bin/app"], "securityContext": {
                "runAsUser": 1000, "capabilities": {"drop": ["ALL"]}}}]}}
        if any(b >= 0x80 for b in s + r):
            continue  # a byte above 127 is no UTF-8 text for a manifest
        with open(pod, "w") as f:
            json.dump(spec, f)
        # runc writes them (containerd); CRI-O's pinns refuses "" outright
        out = subprocess.run([capscope, "explain", "pod", "--runtime", "containerd", "--json",
                              "--check", "bind:80", pod], capture_output=True)
        c = json.loads(out.stdout)["containers"][0]
        if not c["exec"]["ok"]:
            want = "never"
        else:
            order = any(st["rule"] == "runc.sysctl-order" for st in c["steps"])
            want = ("some" if order else "always") + " bind=" + str(c["checks"][0]["ok"]).lower()
        n += 1
        print("%sok %d - start %s, range %s: %s" % ("" if want == real else "not ", n, show(s),
                                                     show(r), real))
        if want != real:
            bad += 1
            print("#   capscope says %s" % want)
    print("1..%d" % n)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
