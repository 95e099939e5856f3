#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Single-quoted scalars in every place against Python's yaml (twenty-seventh
pass, part D).

Session 26 reads a one-line single-quoted scalar from the text itself, not
through libfyaml; this checks that reader, and the one over lines, where the
scalar is a key, a value, a flow item or key, an anchor's node and an alias's
target, after a tag, before a comment, with CR, CR LF, NEL, U+2028, tabs,
'' runs, flow indicators, a byte order mark, and at the text's end without a
line break. tests/helpers/yaml-dump prints the reader's trees; each is
compared with Python's yaml.compose, text and shape. capscope may refuse a
text (libfyaml 0.7.12 misreads some shapes), never read one Python's yaml
reads as other scalars. Python's yaml refuses tabs as separators and C0
controls that YAML 1.2 and libfyaml take: those texts are not compared.
Speaks TAP.
Usage: yaml-scalar-diff.py YAML-DUMP [--seed N] [--count N]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import yaml

PIECES = ["a", "''", "''''", " ", "  ", "\t", "#", " #", ":", ": ", ",", "[", "]", "{", "}",
          "\\", '"', "\u00e9", "\u2028", "\u0085", "\u2029", "\r", "\r\n", "\n", "\n  ",
          "  \n  ", "\n\n  ", "\r\n  ", "- ", "? ", "&x", "*x", "!t", "%", "---", "...",
          "\u00a0"]


def sq(r):
    return "'" + "".join(r.choice(PIECES) for _ in range(r.randint(0, 6))) + "'"


def document(r):
    nl = r.choice(["\n", "\n", "\r\n", "\r"])
    forms = [
        lambda: "k: %s" % sq(r),
        lambda: "%s: v" % sq(r),
        lambda: "%s: %s" % (sq(r), sq(r)),
        lambda: "k: [%s, %s]" % (sq(r), sq(r)),
        lambda: "k: [ %s , %s ]" % (sq(r), sq(r)),
        lambda: "k: {%s: %s}" % (sq(r), sq(r)),
        lambda: "k: {%s : %s, b: %s}" % (sq(r), sq(r), sq(r)),
        lambda: "k: &x %s" % sq(r),
        lambda: "k: &x %s%sj: *x" % (sq(r), nl),
        lambda: "k: %s # c" % sq(r),
        lambda: "k:%s  %s" % (nl, sq(r)),
        lambda: "k: !!str %s" % sq(r),
        lambda: "? %s%s: %s" % (sq(r), nl, sq(r)),
        lambda: "k: 'x'" + "'" * r.randint(0, 3),
    ]
    lines = [r.choice(forms)() for _ in range(r.randint(1, 3))]
    # distinct keys where the form starts with k, so that more texts are YAML
    lines = ["k%d%s" % (j, l[1:]) if l.startswith("k") else l for j, l in enumerate(lines)]
    if r.random() < 0.15:
        lines = ["- %s" % sq(r) for _ in range(r.randint(1, 3))]
    text = nl.join(lines) + (nl if r.random() < 0.7 else "")
    return ("\ufeff" + text) if r.random() < 0.1 else text


def tree(n):
    if isinstance(n, yaml.ScalarNode):
        return n.value
    if isinstance(n, yaml.SequenceNode):
        return ["S"] + [tree(x) for x in n.value]
    return ["M"] + [[tree(k), tree(v)] for k, v in n.value]


def dumped(n):
    if n is None:
        return None
    if "v" in n:
        return n["v"]
    if "s" in n:
        return ["S"] + [dumped(x) for x in n["s"]]
    return ["M"] + [[dumped(k), dumped(v)] for k, v in n["m"]]


def main():
    args = sys.argv[1:]
    dump, seed, count = args.pop(0), 20261203, 400
    while args:
        a = args.pop(0)
        if a == "--seed":
            seed = int(args.pop(0))
        elif a == "--count":
            count = int(args.pop(0))
    r = random.Random(seed)
    fails = refused = same = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "t.yaml")
        for i in range(count):
            text = document(r)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            try:
                py = [tree(d) if d is not None else None
                      for d in yaml.compose_all(text, Loader=yaml.SafeLoader)]
            except yaml.YAMLError:
                py = None
            p = subprocess.run([dump, path], capture_output=True)
            out = p.stdout.decode("utf-8", "replace").split("\n")
            docs = [dumped(json.loads(l[4:])) for l in out if l.startswith("doc ")]
            err = [l for l in out if l.startswith("error ")]
            if p.returncode != 0 or "end" not in out:
                ok, why = False, "the reader crashed: exit %d %r" % (p.returncode, p.stderr[-300:])
            elif err:
                refused += 1
                ok, why = True, ""
            elif py is None:
                ok, why = True, ""  # Python's yaml refuses it (a tab, a control)
            else:
                ok = docs == py
                same += ok
                why = "read %r, Python's yaml %r" % (docs, py)
            if ok:
                print("ok %d - %r" % (i + 1, text[:60]))
            else:
                fails += 1
                print("not ok %d - %r\n#  %s" % (i + 1, text, why))
    print("# %d read alike, %d refused by capscope, %d differ" % (same, refused, fails))
    print("1..%d" % count)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
