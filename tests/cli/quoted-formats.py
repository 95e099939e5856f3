#!/usr/bin/env python3
"""Hold the tree to the one path of quoted values (lib/msg-format.c).

A value the library's prose or a message quotes ('%s', "%s") has that quote
doubled; cs_vformat_quoted does it, under cs_vformat_cut, cs_format_cut,
cs_strf, cs_fputf, the model's steps and the CLI's messages. The sixteenth
pass found prose built with asprintf and snprintf beside it, doubled by hand
or not at all. This check reads lib/, cli/ and daemon/ and reports:

1. a call of a printf of the C library (printf, fprintf, snprintf, sprintf,
   asprintf, dprintf) whose format quotes a string conversion, outside the
   writers of code and markup listed in CODE below;
2. a v*printf call outside lib/msg-format.c and the few listed in RAW (a
   function with a format of its own that does not pass it to the one path).

Each finding is "FILE:LINE: ..." on stdout; the exit status is their count.
"""
import os
import re
import sys

# Writers of code and markup: the quoting there is the language's own
# (HTML entities, YAML/JSON double quotes, a Dockerfile's JSON), applied to
# the value before it is formatted.
CODE = ("lib/html/", "lib/policy/gen-", "lib/runtime/toml.c", "lib/explain/remedy.c")
# v*printf with a reason: libbpf's own log format (lib/bpf-log.c); a
# manifest's field path (mf_fieldf) and a data file's path (scc-load.c),
# which are no prose; the one path itself.
RAW = ("lib/msg-format.c", "lib/bpf-log.c", "lib/k8s/manifest-read.c", "lib/k8s/scc-load.c",
       "lib/explain/strf.h")
PRINTF = {"printf": 1, "fprintf": 2, "snprintf": 3, "sprintf": 2, "asprintf": 2, "dprintf": 2}
CONV = re.compile(r"%[-+ #0']*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|z|j|t|L)?[sc]")
LIT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def blank_comments(s):
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), s, flags=re.S)


def args_of(s, i):
    """The top-level arguments of the call whose '(' ends at i."""
    depth, cur, out = 1, i, []
    while i < len(s) and depth:
        c = s[i]
        if c in "\"'":
            j = i + 1
            while j < len(s) and s[j] != c:
                j += 2 if s[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                out.append(s[cur:i])
                break
        elif c == "," and depth == 1:
            out.append(s[cur:i])
            cur = i + 1
        i += 1
    return out


def quoted_conversion(fmt):
    for m in CONV.finditer(fmt):
        before = fmt[: m.start()]
        if before.endswith("'") or before.endswith('\\"'):
            return m.group(0)
    return None


def check(top):
    bad = []
    for d in ("lib", "cli", "daemon"):
        for dp, _, names in os.walk(os.path.join(top, d)):
            for n in sorted(names):
                if not n.endswith((".c", ".h")):
                    continue
                path = os.path.join(dp, n)
                rel = os.path.relpath(path, top)
                with open(path, errors="replace") as f:
                    s = blank_comments(f.read())
                for m in re.finditer(r"\b(v?)(printf|fprintf|snprintf|sprintf|asprintf|dprintf)\s*\(", s):
                    line = s.count("\n", 0, m.start()) + 1
                    name = m.group(1) + m.group(2)
                    if s[: m.start()].rstrip().endswith(("int", "*")):
                        continue  # a declaration
                    if m.group(1):
                        if not rel.startswith(RAW):
                            bad.append(f"{rel}:{line}: {name} of a format of its own: use cs_vformat_quoted or cs_vformat_cut")
                        continue
                    if rel.startswith(CODE):
                        continue
                    args = args_of(s, m.end())
                    k = PRINTF[name]
                    if len(args) < k:
                        continue
                    fmt = "".join(LIT.findall(args[k - 1]))
                    conv = quoted_conversion(fmt)
                    if conv:
                        bad.append(f"{rel}:{line}: {name} quotes {conv} without doubling: use cs_format_cut, cs_strf or cs_fputf")
    return bad


if __name__ == "__main__":
    found = check(sys.argv[1] if len(sys.argv) > 1 else ".")
    for b in found:
        print(b)
    sys.exit(min(len(found), 100))
