#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential test of capscope's JSON readers against Python's json.

Every document is read by both: Python's json module in this process, made
as strict as Go's encoding/json is (no NaN or Infinity, which Python takes;
no lone UTF-16 surrogate, which Go would turn into U+FFFD and capscope
refuses; no key twice), and capscope's reader through
tests/helpers/json-dump (lib/json-check.c, then the compact tree of
lib/k8s/ydoc.c). They must agree: both refuse, or both accept with the
same tree, numbers compared as their text. capscope may refuse, never
accept, what nests deeper than 63 objects and arrays (its limit). Speaks TAP.

Documents: hand-written cases, the JSON fuzz corpora, and a seeded
generator (valid documents, then byte-level mutations of them).
Usage: json-diff.py JSON_DUMP CORPUS_DIR... [--seed N] [--count N]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

MAX_DEPTH = 63

HAND = [
    b'{}', b'[]', b'0', b'-0', b'1E+2', b'"\\/"', b'"\\u00E9\\u00e9"', b'"\\ud83d\\ude00"',
    b'"\\ud83d"', b'"\\ude00\\ud83d"', b'"\\ud83dx"', b'[NaN]', b'[Infinity]', b'[-Infinity]',
    b'{"a":1,"a":2}', b'{"a":1,"\\u0061":2}', b'{"a":{"a":1},"b":{"a":1}}', b'\xef\xbb\xbf{}',
    b'[1,]', b'{"a":1,}', b'[01]', b'[1.]', b'[.5]', b'[1e]', b'[-]', b'[+1]', b'["\t"]',
    b'["\x7f"]', b'["\\a"]', b'["\\u12"]', b'[1]x', b'[1] ', b' \t\r\n[1]\r\n', b'',
    b' ', b'[tru]', b'[true false]', b'{"a" 1}', b'{1:2}', b"{'a':1}", b'[1]//c', b'[1,\n2]',
    b'"\x00"', b'[\x00]', b'"\xff"', b'"\xc3"', b'"\xed\xa0\x80"', b'"\xc0\x80"',
    b'{"":1,"":2}', b'{"\\u0000":1,"\\u0000":2}', b'["\\u0000"]', b'[1e400, -1e-400, 123456789012345678901234567890]',
    b'[' * 63 + b']' * 63, b'[' * 64 + b']' * 64, b'{"a":' * 62 + b'1' + b'}' * 62,
    b'{"k":"v"}{"k":"v"}', b'[{"a":[{"b":{"c":[1,2,{"d":null}]}}]}]',
    b'"\xe2\x80\xa8\xe2\x80\xa9"', b'{"a\\"b":1}', b'"\\"\\\\\\b\\f\\n\\r\\t"',
    # Part E: YAML's limits and breaks that valid JSON must not meet after "--- "
    b'{"' + b'a' * 1025 + b'":1}', b'{"' + b'\xc3\xa9' * 1100 + b'":1}',
    b'{"' + b'\\u0061' * 1100 + b'"\t\t:1}', b'{"' + b'a' * 2000 + b'"\n:1}',
    b'{"a"' + b' ' * 2000 + b':1}', b'{"a"\r\n:\r\n1}', b'{"a"\r:1}', b'{\n"a"\n:\n1\n}',
    b'{"a\xc2\x85b":1}', b'{"a\xe2\x80\xa8b":"c\xe2\x80\xa9d"}', b'["a\\n\xc2\x85"]',
    b'["\xc2\x80\xc2\x9f\xef\xbf\xbe\xef\xbf\xbf\xef\xbb\xbf"]', b'{"\\/":1,"/":2}',
    b'{"<<":{"a":1}}', b'{"?":1,"#":"a #b","a: b":"[x]"}', b'{\n\t"a": {\n\t\t"b": 1\n\t}\n}',
    b'\r{"a":\r1}', b'[\n-1,\n-2]', b'[' + b'9' * 100000 + b']',
    b'{"a":' * 63 + b'[]' + b'}' * 63, b'{\n"a":\n' * 62 + b'1' + b'\n}' * 62,
]


class Refused(Exception):
    pass


def no_constant(name):
    raise Refused("constant " + name)


def pairs(ps):
    keys = [k for k, _ in ps]
    if len(set(keys)) != len(keys):
        raise Refused("duplicate key")
    return ("obj", ps)


def canon(v, depth=0):
    """Python's value in json-dump's form; Refused for what Go would not
    read unchanged."""
    if isinstance(v, tuple) and v[0] == "obj":
        return [[canon(k, depth), canon(x, depth + 1)] for k, x in v[1]]
    if isinstance(v, tuple) and v[0] == "num":
        return {"p": v[1]}
    if isinstance(v, list):
        return {"a": [canon(x, depth + 1) for x in v]}
    if v is True:
        return {"p": "true"}
    if v is False:
        return {"p": "false"}
    if v is None:
        return {"p": "null"}
    if isinstance(v, str):
        if any(0xD800 <= ord(c) <= 0xDFFF for c in v):
            raise Refused("lone surrogate")
        return v
    raise AssertionError(repr(v))


def depth_of(v):
    if isinstance(v, tuple) and v[0] == "obj":
        return 1 + max([depth_of(x) for _, x in v[1]] + [0])
    if isinstance(v, list):
        return 1 + max([depth_of(x) for x in v] + [0])
    return 0


def python_reads(data):
    """(tree, depth) or (None, why)."""
    try:
        text = data.decode("utf-8")
        v = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constant,
                       parse_int=lambda s: ("num", s), parse_float=lambda s: ("num", s))
        return canon(v), depth_of(v)
    except (Refused, ValueError, RecursionError, UnicodeDecodeError) as e:
        return None, str(e)


# ---- the generator ----

def gen_string(r):
    parts = []
    for _ in range(r.randrange(0, 6)):
        k = r.randrange(10)
        if k < 4:
            parts.append(r.choice(["a", "k", "x y", "é", "😀", "\u2028", "~", "null", "1"]))
        elif k < 6:
            parts.append("\\" + r.choice('"\\/bfnrt'))
        elif k < 8:
            parts.append("\\u%04" % () if False else "\\u" + "".join(
                r.choice("0123456789abcdefABCDEF") for _ in range(4)))
        else:
            parts.append(r.choice(["\\ud83d\\ude00", "\\uD800\\uDC00", "\\u0000", "\\u001f"]))
    return '"' + "".join(parts) + '"'


def gen_number(r):
    s = r.choice(["", "-"]) + r.choice(["0", str(r.randrange(1, 10**r.randrange(1, 25)))])
    if r.random() < 0.3:
        s += "." + str(r.randrange(0, 1000))
    if r.random() < 0.3:
        s += r.choice("eE") + r.choice(["", "+", "-"]) + str(r.randrange(0, 400))
    return s


def ws(r):
    return "".join(r.choice(" \t\n\r") for _ in range(r.choice([0, 0, 0, 1, 2])))


def gen_value(r, depth):
    k = r.randrange(10)
    if depth < 70 and k < 3:
        keys = [gen_string(r) for _ in range(r.randrange(0, 5))]
        if keys and r.random() < 0.1:
            keys.append(r.choice(keys))  # a duplicate
        return "{" + ws(r) + ",".join(ws(r) + key + ws(r) + ":" + gen_value(r, depth + 1)
                                      for key in keys) + ws(r) + "}"
    if depth < 70 and k < 5:
        return "[" + ",".join(gen_value(r, depth + 1) for _ in range(r.randrange(0, 5))) + "]"
    if k < 7:
        return ws(r) + gen_string(r) + ws(r)
    if k < 9:
        return ws(r) + gen_number(r) + ws(r)
    return ws(r) + r.choice(["true", "false", "null"]) + ws(r)


def gen_deep(r):
    n = r.randrange(55, 70)
    opens = [r.choice(['[', '{"k":']) for _ in range(n)]
    closes = [']' if o == '[' else '}' for o in reversed(opens)]
    return "".join(opens) + gen_value(r, 70) + "".join(closes)


ALPHABET = list(b'{}[],:"\\ /-+.eE0123456789tfnulrauXx\t\n\r') + [0, 0xff, 0xc3, 0xef]


def mutate(r, data):
    b = bytearray(data)
    for _ in range(r.randrange(1, 4)):
        op = r.randrange(3)
        i = r.randrange(len(b) + 1)
        if op == 0 and b:
            del b[min(i, len(b) - 1)]
        elif op == 1:
            b.insert(i, r.choice(ALPHABET))
        elif b:
            b[min(i, len(b) - 1)] = r.choice(ALPHABET)
    return bytes(b)


def main():
    args = sys.argv[1:]
    dump, corpora, seed, count = args[0], [], 1, 400
    i = 1
    while i < len(args):
        if args[i] == "--seed":
            seed, i = int(args[i + 1]), i + 2
        elif args[i] == "--count":
            count, i = int(args[i + 1]), i + 2
        else:
            corpora.append(args[i])
            i += 1
    r = random.Random(seed)
    docs = list(HAND)
    for c in corpora:
        for name in sorted(os.listdir(c)):
            with open(os.path.join(c, name), "rb") as f:
                docs.append(f.read())
    for n in range(count):
        v = (gen_deep(r) if n % 25 == 0 else gen_value(r, 0)).encode("utf-8", "surrogatepass")
        docs.append(v)
        docs.append(mutate(r, v))
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, d in enumerate(docs):
            p = os.path.join(tmp, "%d.json" % n)
            with open(p, "wb") as f:
                f.write(d)
            paths.append(p)
        out = []
        for k in range(0, len(paths), 200):
            res = subprocess.run([dump] + paths[k:k + 200], capture_output=True, check=True)
            out += res.stdout.decode("utf-8", "surrogateescape").split("\n")[:-1]
    assert len(out) == len(docs), (len(out), len(docs))
    print("1..%d" % len(docs))
    failed = agreed_ok = agreed_err = deep = 0
    for n, (d, line) in enumerate(zip(docs, out)):
        want, why = python_reads(d)
        got = json.loads(line[3:]) if line.startswith("ok ") else None
        if want is None and got is None:
            agreed_err += 1
            ok = True
        elif want is not None and got is not None:
            ok = want == got
            agreed_ok += ok
        elif got is None and why > MAX_DEPTH and "more than 63 objects and arrays" in line:
            deep += 1
            ok = True
        else:
            ok = False
        if not ok:
            failed += 1
            print("not ok %d - %r: python %s, capscope %s" % (n + 1, d[:120],
                  "refuses (%s)" % why if want is None else "reads it",
                  line[:200]))
        else:
            print("ok %d" % (n + 1))
    print("# %d documents: %d read alike, %d refused by both, %d refused by capscope for depth"
          " only" % (len(docs), agreed_ok, agreed_err, deep))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
