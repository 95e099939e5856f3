#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Quoted YAML scalars against Python's yaml (twenty-fifth pass, part B).

A seeded generator writes a pod whose metadata.name is a single- or
double-quoted scalar built from escapes, '' runs, blanks, tabs and line
breaks (folds, empty lines, escaped breaks); `capscope lint --json` names
the object. capscope may refuse a scalar (libfyaml 0.7.12 misreads some
shapes, which lib/k8s/ydoc.c refuses at the scalar), never read it as
another value than Python's yaml does. Speaks TAP.
Usage: yaml-quoted-diff.py CAPSCOPE [--seed N] [--count N]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import yaml

SQ = ["a", "b", " ", "''", "''''", "''''''", "x y", "\t", "\u00e9", "\n    ", "\n\n    ",
      "  \n    ", "\n    \n    ", "#", ":", "\\"]
DQ = ["a", " ", "\\t", "\\n", "\\\\", "\\\"", "\\x41", "\\u00e9", "\\U0001F600", "'", "''",
      "\\\n    ", "\n    ", "\n\n    ", "  \n    ", "\\ ", "\t", "\\e", "\\\t"]


def main():
    args = sys.argv[1:]
    capscope, seed, count = args.pop(0), 20261203, 200
    while args:
        a = args.pop(0)
        if a == "--seed":
            seed = int(args.pop(0))
        elif a == "--count":
            count = int(args.pop(0))
    r = random.Random(seed)
    fails = refused = same = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "p.yaml")
        for i in range(count):
            if r.random() < 0.5:
                v = "'" + "".join(r.choice(SQ) for _ in range(r.randint(1, 8))) + "'"
            else:
                v = '"' + "".join(r.choice(DQ) for _ in range(r.randint(1, 8))) + '"'
            doc = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n"
                   "  - name: c\n    image: x\n" % v)
            py = yaml.safe_load(doc)["metadata"]["name"]
            with open(path, "w") as f:
                f.write(doc)
            p = subprocess.run([capscope, "lint", "--json", path], capture_output=True)
            try:
                cs = json.loads(p.stdout)["findings"][0]["name"]
            except (ValueError, KeyError, IndexError):
                cs = None
            if cs is None:
                refused += 1
                # one line, at the scalar, never "NUL byte" of a text that has
                # none (an escaped space at a line's end, twenty-sixth pass)
                ok = (p.returncode == 2 and p.stderr.count(b"\n") == 1 and b"NUL" not in p.stderr
                      and p.stderr.startswith(b"capscope lint: " + path.encode() + b":4:"))
                why = "refused without file:4:column in one line: %r" % p.stderr[:200]
            else:
                same += cs == py
                ok = cs == py
                why = "read %r, Python's yaml %r" % (cs, py)
            if ok:
                print("ok %d - %r" % (i + 1, v))
            else:
                fails += 1
                print("not ok %d - %r\n#  %s" % (i + 1, v, why))
    print("# %d read alike, %d refused by capscope, %d differ" % (same, refused, fails))
    print("1..%d" % count)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
