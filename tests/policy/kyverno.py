# SPDX-License-Identifier: MIT
"""A small interpreter of exactly the Kyverno ClusterPolicy that
`capscope policy kyverno` emits: match.any[].resources.kinds/operations,
validate.foreach[].list, and deny.conditions.any with the operators Equals
and AnyNotIn. JMESPath itself is evaluated by python3-jmespath (the
reference implementation of the spec Kyverno's go-jmespath follows), with
Kyverno's two custom functions the policy uses, to_upper (Go's
strings.ToUpper: Unicode-aware, hence the policy's own ASCII guard) and
regex_replace_all(regex, src, repl) (Go's ReplaceAllString).
A variable that resolves to null is an error in Kyverno ("variable
substitution failed"), so it is one here: every path needs its `||` default.
"""
import re

import jmespath
from jmespath import functions

class KyvernoError(Exception):
    pass

def _go_upper(s):
    # Go's strings.ToUpper maps rune by rune with unicode.ToUpper; Python's
    # str.upper() uses full case mapping ("ß" -> "SS"), so map per character
    # and keep characters whose upper case is not a single character.
    return "".join(u if len(u := c.upper()) == 1 else c for c in s)

class _Funcs(functions.Functions):
    @functions.signature({"types": ["string"]})
    def _func_to_upper(self, s):
        return _go_upper(s)

    @functions.signature({"types": ["string"]}, {"types": ["string", "number"]},
                         {"types": ["string", "number"]})
    def _func_regex_replace_all(self, regex, src, repl):
        # Go's RE2 and Python's re agree on these patterns ('^CAP_',
        # '[^A-Za-z0-9_]'); repl has no $ references.
        return re.sub(regex, lambda _m: str(repl), str(src))

_OPTS = jmespath.Options(custom_functions=_Funcs())
_VAR = re.compile(r"^\{\{(.*)\}\}$", re.S)

def _value(v, data):
    """A condition's key or value: a whole "{{ jmespath }}" string is replaced
    by the JSON value of the expression; anything else is a literal."""
    if isinstance(v, str):
        m = _VAR.match(v.strip())
        if m:
            r = jmespath.search(m.group(1).strip(), data, options=_OPTS)
            if r is None:
                raise KyvernoError("variable substitution failed: %s" % v)
            return r
        if "{{" in v:
            raise KyvernoError("partial substitution is not used by the generator: %s" % v)
    return v

def _condition(c, data):
    key, val, op = _value(c["key"], data), _value(c["value"], data), c["operator"]
    if op == "Equals":
        return key == val
    if op == "AnyNotIn":
        if not isinstance(val, list):
            raise KyvernoError("AnyNotIn needs a list value")
        keys = key if isinstance(key, list) else [key]
        return any(k not in val for k in keys)
    raise KyvernoError("operator %s is not used by the generator" % op)

def _matches(rule, obj, operation):
    for m in rule["match"]["any"]:
        r = m["resources"]
        if obj["kind"] in r["kinds"] and operation in r.get("operations", [operation]):
            return True
    return False

def kyverno_allows(policy, obj, operation="CREATE"):
    """True when no rule that matches obj denies it. Also returns how many
    rules matched, so the test can insist every object is checked."""
    data = {"request": {"object": obj, "operation": operation}}
    matched = 0
    for rule in policy["spec"]["rules"]:
        if not _matches(rule, obj, operation):
            continue
        matched += 1
        for fe in rule["validate"]["foreach"]:
            elements = jmespath.search(fe["list"], data, options=_OPTS) or []
            for el in elements:
                d = dict(data, element=el)
                conds = fe["deny"]["conditions"]
                if set(conds) != {"any"}:
                    raise KyvernoError("only deny.conditions.any is generated")
                if any(_condition(c, d) for c in conds["any"]):
                    return False, matched
    return True, matched
