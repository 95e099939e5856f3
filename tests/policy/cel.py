# SPDX-License-Identifier: MIT
"""A small interpreter of exactly the CEL that `capscope policy vap` emits.

Supported, because the generator uses it and nothing more: literals (strings
in single quotes, ints, true/false, lists), identifiers (object, variables,
macro variables), field selection, has(), the macros all() and exists(),
the string methods upperAscii() (ASCII only, as cel-go's strings extension),
startsWith() and substring(n), !, &&, ||, ==, !=, in, + on lists and ?:.
Selecting a field that is absent raises CelError, as CEL's no_such_field
does: the generated expressions must guard every optional field with has(),
and a missing guard makes the corpus test fail rather than pass silently.
"""
import re

class CelError(Exception):
    pass

_TOKEN = re.compile(r"\s*(?:(\d+)|'((?:[^'\\]|\\.)*)'|([A-Za-z_][A-Za-z0-9_]*)|(\|\||&&|==|!=|[!?:().,\[\]+]))")

def tokenize(src):
    pos, out = 0, []
    src = src.strip()
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m or m.end() == pos:
            raise CelError("cannot tokenize at %r" % src[pos:pos + 20])
        num, s, ident, op = m.groups()
        if num is not None:
            out.append(("int", int(num)))
        elif s is not None:
            out.append(("str", s))
        elif ident is not None:
            out.append(("id", ident))
        else:
            out.append(("op", op))
        pos = m.end()
        while pos < len(src) and src[pos].isspace():
            pos += 1
    out.append(("end", None))
    return out

class Parser:
    def __init__(self, src):
        self.t = tokenize(src)
        self.i = 0

    def peek(self):
        return self.t[self.i]

    def take(self, kind=None, val=None):
        tok = self.t[self.i]
        if (kind and tok[0] != kind) or (val is not None and tok[1] != val):
            raise CelError("expected %s %s, got %r" % (kind, val, tok))
        self.i += 1
        return tok

    def accept(self, val):
        if self.peek() == ("op", val):
            self.i += 1
            return True
        return False

    def parse(self):
        e = self.cond()
        self.take("end")
        return e

    def cond(self):
        c = self.or_()
        if self.accept("?"):
            a = self.cond()
            self.take("op", ":")
            b = self.cond()
            return ("cond", c, a, b)
        return c

    def or_(self):
        e = self.and_()
        while self.accept("||"):
            e = ("or", e, self.and_())
        return e

    def and_(self):
        e = self.rel()
        while self.accept("&&"):
            e = ("and", e, self.rel())
        return e

    def rel(self):
        e = self.add()
        for op in ("==", "!="):
            if self.accept(op):
                return (op, e, self.add())
        if self.peek() == ("id", "in"):
            self.i += 1
            return ("in", e, self.add())
        return e

    def add(self):
        e = self.unary()
        while self.accept("+"):
            e = ("+", e, self.unary())
        return e

    def unary(self):
        if self.accept("!"):
            return ("not", self.unary())
        return self.member()

    def member(self):
        e = self.primary()
        while self.accept("."):
            name = self.take("id")[1]
            if self.accept("("):
                args = self.args(")")
                e = ("call", name, e, args)
            else:
                e = ("sel", e, name)
        return e

    def args(self, close):
        out = []
        if self.accept(close):
            return out
        while True:
            out.append(self.cond())
            if self.accept(close):
                return out
            self.take("op", ",")

    def primary(self):
        kind, val = self.take()
        if kind == "int":
            return ("lit", val)
        if kind == "str":
            return ("lit", val)
        if kind == "id":
            if val in ("true", "false"):
                return ("lit", val == "true")
            if val == "has":
                self.take("op", "(")
                inner = self.member()
                self.take("op", ")")
                if inner[0] != "sel":
                    raise CelError("has() needs a field selection")
                return ("has", inner[1], inner[2])
            return ("id", val)
        if kind == "op" and val == "(":
            e = self.cond()
            self.take("op", ")")
            return e
        if kind == "op" and val == "[":
            return ("list", self.args("]"))
        raise CelError("unexpected %r" % ((kind, val),))

def _upper_ascii(s):
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in s)

def evaluate(node, env):
    k = node[0]
    if k == "lit":
        return node[1]
    if k == "id":
        if node[1] not in env:
            raise CelError("undeclared reference %s" % node[1])
        return env[node[1]]
    if k == "list":
        return [evaluate(a, env) for a in node[1]]
    if k == "sel":
        base = evaluate(node[1], env)
        if isinstance(base, Variables):
            return base.get(node[2])
        if not isinstance(base, dict) or node[2] not in base:
            raise CelError("no such key: %s" % node[2])
        return base[node[2]]
    if k == "has":
        base = evaluate(node[1], env)
        return isinstance(base, dict) and node[2] in base and base[node[2]] is not None
    if k == "not":
        return not _bool(evaluate(node[1], env))
    if k == "and":
        return _bool(evaluate(node[1], env)) and _bool(evaluate(node[2], env))
    if k == "or":
        return _bool(evaluate(node[1], env)) or _bool(evaluate(node[2], env))
    if k == "cond":
        return evaluate(node[2], env) if _bool(evaluate(node[1], env)) else evaluate(node[3], env)
    if k == "==":
        return evaluate(node[1], env) == evaluate(node[2], env)
    if k == "!=":
        return evaluate(node[1], env) != evaluate(node[2], env)
    if k == "in":
        return evaluate(node[1], env) in evaluate(node[2], env)
    if k == "+":
        a, b = evaluate(node[1], env), evaluate(node[2], env)
        if not (isinstance(a, list) and isinstance(b, list)):
            raise CelError("+ on non-lists")
        return a + b
    if k == "call":
        return _call(node, env)
    raise CelError("unknown node %r" % (node,))

def _bool(v):
    if not isinstance(v, bool):
        raise CelError("not a bool: %r" % (v,))
    return v

def _call(node, env):
    _, name, target, args = node
    if name in ("all", "exists"):
        lst = evaluate(target, env)
        if not isinstance(lst, list) or len(args) != 2 or args[0][0] != "id":
            raise CelError("bad macro")
        var = args[0][1]
        results = (_bool(evaluate(args[1], dict(env, **{var: x}))) for x in lst)
        return all(results) if name == "all" else any(results)
    s = evaluate(target, env)
    if not isinstance(s, str):
        raise CelError("%s on a non-string" % name)
    a = [evaluate(x, env) for x in args]
    if name == "upperAscii" and not a:
        return _upper_ascii(s)
    if name == "startsWith" and len(a) == 1:
        return s.startswith(a[0])
    if name == "substring" and len(a) == 1:
        return s[a[0]:]
    raise CelError("unknown method %s" % name)

class Variables:
    """variables.NAME, evaluated lazily in the policy's order, as the API server does."""
    def __init__(self, defs, env):
        self.defs, self.env, self.cache = defs, env, {}

    def get(self, name):
        if name not in self.cache:
            if name not in self.defs:
                raise CelError("no variable %s" % name)
            self.cache[name] = evaluate(Parser(self.defs[name]).parse(), self.env)
        return self.cache[name]

def vap_allows(policy, obj):
    """The decision of a ValidatingAdmissionPolicy (as parsed YAML) on obj:
    True when every validation evaluates to true."""
    env = {"object": obj}
    defs = {v["name"]: v["expression"] for v in policy["spec"].get("variables", [])}
    env["variables"] = Variables(defs, env)
    for v in policy["spec"]["validations"]:
        if not _bool(evaluate(Parser(v["expression"]).parse(), env)):
            return False
    return True

_RESOURCES = {"Pod": ("", "pods"), "Deployment": ("apps", "deployments"),
              "ReplicaSet": ("apps", "replicasets"), "StatefulSet": ("apps", "statefulsets"),
              "DaemonSet": ("apps", "daemonsets"), "Job": ("batch", "jobs"),
              "CronJob": ("batch", "cronjobs"), "ReplicationController": ("", "replicationcontrollers"),
              "PodTemplate": ("", "podtemplates"),
              "DeploymentConfig": ("apps.openshift.io", "deploymentconfigs")}

def vap_matches(policy, obj, operation="CREATE"):
    """matchConstraints.resourceRules: does a CREATE of obj reach the policy?"""
    group, resource = _RESOURCES[obj["kind"]]
    for r in policy["spec"]["matchConstraints"]["resourceRules"]:
        if group in r["apiGroups"] and resource in r["resources"] and operation in r["operations"]:
            return True
    return False
