# SPDX-License-Identifier: MIT
"""A small interpreter of exactly the Rego (v0 syntax) that
`capscope policy gatekeeper` emits, with OPA's semantics for what it uses:

  rules    violation[{"msg": msg}] { ... }   partial set of objects
           name[x] { ... }                   partial set
           name = x { ... }                  complete rule (several bodies must agree)
           name(a) { ... }, name(a) = x { ... }  functions (several bodies must agree)
  bodies   one expression per line, all must hold (conjunction), with
           x := e (assignment), a == b (unification of two values),
           not e (holds when e has no true solution), and a bare term
           (holds when defined and not false)
  terms    "strings", integers, [arrays], refs a.b.c with [_] iterating
           over every element, calls of the built-ins upper, startswith,
           substring, regex.replace and sprintf, and of the policy's rules.

Evaluation is by generators: every term yields each of its values; an
undefined ref (a missing key) yields nothing, so "c.securityContext.privileged"
is simply false for a container without one, as in OPA.
"""
import re

class RegoError(Exception):
    pass

_TOK = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+)|([A-Za-z_][A-Za-z0-9_]*)|(:=|==|!=|[{}()\[\].,:=]))')

def _tokens(line):
    pos, out = 0, []
    while pos < len(line):
        if line[pos:].strip() == "":
            break
        m = _TOK.match(line, pos)
        if not m:
            raise RegoError("cannot tokenize %r" % line[pos:])
        s, n, ident, op = m.groups()
        if s is not None:
            out.append(("str", bytes(s[1:-1], "utf-8").decode("unicode_escape")))
        elif n is not None:
            out.append(("num", int(n)))
        elif ident is not None:
            out.append(("id", ident))
        else:
            out.append(("op", op))
        pos = m.end()
    return out

class _P:
    def __init__(self, toks):
        self.t, self.i = toks, 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else ("end", None)

    def take(self, kind=None, val=None):
        tok = self.peek()
        if (kind and tok[0] != kind) or (val is not None and tok[1] != val):
            raise RegoError("expected %s %s, got %r" % (kind, val, tok))
        self.i += 1
        return tok

    def accept(self, val):
        if self.peek() == ("op", val):
            self.i += 1
            return True
        return False

    def term(self):
        kind, val = self.take()
        if kind == "str":
            return ("lit", val)
        if kind == "num":
            return ("lit", val)
        if kind == "op" and val == "[":
            items = []
            while not self.accept("]"):
                items.append(self.term())
                self.accept(",")
            return ("arr", items)
        if kind == "op" and val == "{":
            k = self.term()
            self.take("op", ":")
            v = self.term()
            self.take("op", "}")
            return ("obj", k, v)
        if kind != "id":
            raise RegoError("unexpected %r" % ((kind, val),))
        if val in ("true", "false"):
            return ("lit", val == "true")
        name = val
        # dotted built-in names: regex.replace
        if name == "regex" and self.peek() == ("op", ".") and self.peek(2) == ("op", "("):
            self.take("op", ".")
            name += "." + self.take("id")[1]
        if self.accept("("):
            args = []
            while not self.accept(")"):
                args.append(self.term())
                self.accept(",")
            return ("call", name, args)
        path = []
        while True:
            if self.accept("."):
                path.append(("key", self.take("id")[1]))
            elif self.accept("["):
                if self.peek() == ("id", "_"):
                    self.take()
                    path.append(("any",))
                else:
                    path.append(("idx", self.term()))
                self.take("op", "]")
            else:
                break
        return ("ref", name, path)

def _parse_expr(line):
    p = _P(_tokens(line))
    if p.peek() == ("id", "not"):
        p.take()
        e = ("not", _parse_stmt_tokens(p))
    else:
        e = _parse_stmt_tokens(p)
    if p.peek()[0] != "end":
        raise RegoError("trailing tokens in %r" % line)
    return e

def _parse_stmt_tokens(p):
    if p.peek()[0] == "id" and p.peek(1) == ("op", ":="):
        var = p.take()[1]
        p.take()
        return ("assign", var, p.term())
    lhs = p.term()
    if p.accept("=="):
        return ("eq", lhs, p.term())
    if p.accept("!="):
        return ("ne", lhs, p.term())
    return ("truth", lhs)

_HEAD = re.compile(r'^([a-z_][a-z0-9_]*)(?:\[(.*)\]|\(([a-z_]+)\))?\s*(?:=\s*([a-z_]+))?\s*\{$')

class Module:
    def __init__(self, src):
        self.rules = {}
        # The generator writes comments on lines of their own only.
        lines = ["" if l.strip().startswith("#") else l.rstrip() for l in src.splitlines()]
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            i += 1
            if not line or line.startswith("package "):
                continue
            m = _HEAD.match(line)
            if not m:
                raise RegoError("not a rule head the generator emits: %r" % line)
            name, setkey, arg, value = m.groups()
            body = []
            while lines[i].strip() != "}":
                if lines[i].strip():
                    body.append(_parse_expr(lines[i].strip()))
                i += 1
            i += 1
            if setkey is not None:
                kind, head = "set", _P(_tokens(setkey)).term()
            elif arg is not None:
                kind, head = "func", (arg, value)
            else:
                kind, head = "complete", value
            self.rules.setdefault(name, []).append((kind, head, body))

    # --- evaluation -------------------------------------------------------
    def rule_value(self, name, inp):
        defs = self.rules[name]
        kind = defs[0][0]
        if kind == "set":
            out = []
            for _, head, body in defs:
                for env in self.body(body, {"input": inp}, inp):
                    for v in self.term(head, env, inp):
                        if v not in out:
                            out.append(v)
            return [out]
        if kind == "complete":
            vals = []
            for _, var, body in defs:
                for env in self.body(body, {"input": inp}, inp):
                    if env[var] not in vals:
                        vals.append(env[var])
            if len(vals) > 1:
                raise RegoError("complete rule %s has conflicting values" % name)
            return vals
        raise RegoError("%s is a function" % name)

    def call(self, name, args, inp):
        defs = self.rules[name]
        vals = []
        for _, (param, var), body in defs:
            for env in self.body(body, {"input": inp, param: args[0]}, inp):
                v = env[var] if var else True
                if v not in vals:
                    vals.append(v)
        if len(vals) > 1:
            raise RegoError("function %s has conflicting values" % name)
        return vals

    def body(self, exprs, env, inp):
        if not exprs:
            yield env
            return
        for env2 in self.expr(exprs[0], env, inp):
            yield from self.body(exprs[1:], env2, inp)

    def expr(self, e, env, inp):
        k = e[0]
        if k == "assign":
            if e[1] in env:
                raise RegoError("%s assigned twice" % e[1])
            for v in self.term(e[2], env, inp):
                yield dict(env, **{e[1]: v})
        elif k == "eq":
            for a in self.term(e[1], env, inp):
                for b in self.term(e[2], env, inp):
                    if a == b:
                        yield env
        elif k == "ne":
            for a in self.term(e[1], env, inp):
                for b in self.term(e[2], env, inp):
                    if a != b:
                        yield env
        elif k == "truth":
            for v in self.term(e[1], env, inp):
                if v is not False:
                    yield env
        elif k == "not":
            if not any(True for _ in self.expr(e[1], env, inp)):
                yield env
        else:
            raise RegoError("unknown expression %r" % (e,))

    def term(self, t, env, inp):
        k = t[0]
        if k == "lit":
            yield t[1]
        elif k == "arr":
            def combos(items):
                if not items:
                    yield []
                    return
                for v in self.term(items[0], env, inp):
                    for rest in combos(items[1:]):
                        yield [v] + rest
            yield from combos(t[1])
        elif k == "obj":
            for kk in self.term(t[1], env, inp):
                for vv in self.term(t[2], env, inp):
                    yield {kk: vv}
        elif k == "call":
            yield from self.builtin(t[1], t[2], env, inp)
        elif k == "ref":
            name, path = t[1], t[2]
            if name in env:
                bases = [env[name]]
            elif name in self.rules:
                bases = self.rule_value(name, inp)
            else:
                raise RegoError("unknown name %s" % name)
            for b in bases:
                yield from self.walk(b, path, env, inp)
        else:
            raise RegoError("unknown term %r" % (t,))

    def walk(self, v, path, env, inp):
        if not path:
            yield v
            return
        seg = path[0]
        if seg[0] == "key":
            if isinstance(v, dict) and seg[1] in v:
                yield from self.walk(v[seg[1]], path[1:], env, inp)
        elif seg[0] == "any":
            items = v if isinstance(v, list) else list(v.values()) if isinstance(v, dict) else []
            for x in items:
                yield from self.walk(x, path[1:], env, inp)
        else:
            raise RegoError("indexing is not generated")

    def builtin(self, name, args, env, inp):
        def values(i):
            return list(self.term(args[i], env, inp))
        if name in self.rules:
            for a in values(0):
                yield from self.call(name, [a], inp)
            return
        vals = [values(i) for i in range(len(args))]
        if any(not v for v in vals):
            return  # an undefined argument makes the call undefined
        for combo in _product(vals):
            r = _BUILTINS[name](*combo)
            if r is not None:
                yield r

def _product(lists):
    if not lists:
        yield []
        return
    for v in lists[0]:
        for rest in _product(lists[1:]):
            yield [v] + rest

def _go_upper(s):
    return "".join(u if len(u := c.upper()) == 1 else c for c in s)

def _substring(s, off, length):
    if not isinstance(s, str):
        return None
    return s[off:] if length < 0 else s[off:off + length]

def _sprintf(fmt, args):
    parts = fmt.split("%v")
    out = parts[0]
    for a, p in zip(args, parts[1:]):
        out += str(a) + p
    return out

_BUILTINS = {
    "upper": lambda s: _go_upper(s) if isinstance(s, str) else None,
    "startswith": lambda s, p: s.startswith(p) if isinstance(s, str) else None,
    "substring": _substring,
    "regex.replace": lambda s, pat, rep: re.sub(pat, rep, s) if isinstance(s, str) else None,
    "sprintf": _sprintf,
}

def gatekeeper_allows(template, constraint, obj):
    """Gatekeeper's decision: the object is admitted when violation is empty.
    input is {"review": {"object": obj, "kind": ...}, "parameters": ...}."""
    rego = template["spec"]["targets"][0]["rego"]
    mod = Module(rego)
    inp = {"review": {"object": obj, "operation": "CREATE"},
           "parameters": constraint["spec"].get("parameters", {})}
    v = mod.rule_value("violation", inp)[0]
    return not v, v

def gatekeeper_matches(constraint, obj):
    group = {"Pod": "", "ReplicationController": "", "PodTemplate": "", "Deployment": "apps",
             "ReplicaSet": "apps", "StatefulSet": "apps", "DaemonSet": "apps",
             "Job": "batch", "CronJob": "batch",
             "DeploymentConfig": "apps.openshift.io"}[obj["kind"]]
    for k in constraint["spec"]["match"]["kinds"]:
        if group in k["apiGroups"] and obj["kind"] in k["kinds"]:
            return True
    return False
