#!/usr/bin/env python3
"""A differential test of capscope's config.toml reader against the real
containerd (tests/truth/containerd-config-diff.sh runs it).

A seeded generator writes config.toml variants (layouts, key spellings,
quoting, dotted keys, inline tables, duplicates, wrong types, imports, odd
handler names, ...); `containerd --config F config dump` says what containerd
parsed (merged with its defaults and imports) or that it refuses the file;
`capscope explain pod --json --containerd-config F` says what capscope read.
The rule (issue #13, class 4): where containerd refuses, capscope refuses;
where containerd reads a value, capscope reads the same or refuses with
file:line:column, never a silently different value. TAP on stdout.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tomllib

CRI = "io.containerd.grpc.v1.cri"
RUNC = "io.containerd.runc.v2"
# Letters that Go's Unicode case folding (strings.EqualFold) takes for ASCII
# ones: the Kelvin sign for k, the long s for s.
FOLD = {"s": "\u017f", "k": "\u212a"}


def qkey(k, rng):
    """k as a TOML key part: bare when it may be, else quoted (either quote)."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", k) and rng.random() < 0.8:
        return k
    if "'" not in k and "\n" not in k and rng.random() < 0.4:
        return "'" + k + "'"
    out = ""
    for ch in k:
        if ch in '"\\':
            out += "\\" + ch
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out += "\\u%04x" % ord(ch)
        elif ch == "." and rng.random() < 0.2:
            out += "\\u002e"  # the same key, spelt with an escape
        else:
            out += ch
    return '"' + out + '"'


def qval(v, rng):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(qval(x, rng) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(qkey(k, rng) + " = " + qval(x, rng) for k, x in v.items()) + "}"
    s = v.replace("\\", "\\\\").replace('"', '\\"')
    if "'" not in v and rng.random() < 0.3:
        return "'" + v + "'"
    return '"' + s + '"'


def flatten(t, pre=()):
    for k, v in t.items():
        if isinstance(v, dict) and v:
            yield from flatten(v, pre + (k,))
        else:
            yield pre + (k,), v


def render(tree, rng, style):
    """tree as TOML text; style: 'headers', 'dotted', 'inline' or 'mixed'
    decides how each sub-table is written."""
    lines = []

    def table(path, t):
        subs = []
        for k, v in t.items():
            if isinstance(v, dict) and v:
                mode = style if style != "mixed" else rng.choice(["headers", "dotted", "inline"])
                if mode == "inline" and path:  # not the root's own tables
                    lines.append(qkey(k, rng) + " = " + qval(v, rng))
                elif mode == "dotted" and path:
                    for ks, leaf in flatten(v):
                        lines.append(".".join(qkey(x, rng) for x in (k,) + ks) + " = " + qval(leaf, rng))
                else:
                    subs.append((k, v))
            else:
                lines.append(qkey(k, rng) + " = " + qval(v, rng))
        for k, v in subs:
            lines.append("[" + ".".join(qkey(x, rng) for x in path + (k,)) + "]")
            table(path + (k,), v)

    table((), tree)
    return "\n".join(lines) + "\n"


def spell(key, rng, how):
    if how == "exact":
        return key
    if how == "upper":
        return key.upper()
    if how == "title":
        return "_".join(p[:1].upper() + p[1:] for p in key.split("_"))
    if how == "first":
        return key[:1].upper() + key[1:]
    if how == "fold":  # a non-ASCII letter Go's EqualFold matches
        idx = [i for i, c in enumerate(key) if c in FOLD]
        if not idx:
            return key.upper()
        i = rng.choice(idx)
        return key[:i] + FOLD[key[i]] + key[i + 1:]
    if how == "mixed":
        return "".join(c.upper() if rng.random() < 0.5 else c for c in key)
    return key


HANDLERS = ["runc", "mine", "my.handler", "a b", "h\u00e9", "RUNC", "kata", "x-y_z", "\u212aata",
            "a]b", 'q"q', "b\\s"]


# stream_idle_timeout values and whether Go's time.ParseDuration reads them
DURATIONS = {"4h0m0s": True, "4x": False, "1.5h": True, "-1s": True, ".s": False, "1": False,
             "0": True, "1h 2m": False, "2\u00b5s": True, "": True, "9999999999h": False}
LINUX_V1 = "io.containerd.runtime.v1.linux"


def cri_rules_case(x, cri, ctrd, runtimes, handler):
    """ValidatePluginConfig's cases (twenty-second pass, part E), drawn from x
    (its own generator, so the earlier cases stay as they were)."""
    k = x.random()
    if k < 0.06:
        cri["systemd_cgroup"] = x.choice([True, False])
    elif k < 0.10:
        ctrd["no_pivot"] = x.choice([True, False])
    elif k < 0.16 and handler in runtimes:
        runtimes[x.choice(list(runtimes))][x.choice(["runtime_root", "runtime_engine"])] = x.choice(["/x", ""])
    elif k < 0.24:
        ctrd["untrusted_workload_runtime"] = {"runtime_type": x.choice([RUNC, ""])}
        if x.random() < 0.5:
            runtimes["untrusted"] = {"runtime_type": RUNC}
    elif k < 0.30:
        cri["registry"] = {"config_path": x.choice(["/etc/containerd/certs.d", ""]),
                           "mirrors": {"docker.io": {"endpoint": ["https://m"]}}}
    elif k < 0.34:
        cri["registry"] = {"auths": {x.choice(["https://r.io", "r.io:5000", "%zz", ":x", "a:b/c"]): {"username": "u"}}}
    elif k < 0.42:
        cri["stream_idle_timeout"] = x.choice(list(DURATIONS))
    elif k < 0.46:
        ctrd["default_runtime"] = {"runtime_type": ""}
    elif k < 0.50:
        ctrd["default_runtime_name"] = ""


def make_case(i, rng, d, x=None):
    """(text, extra files) of case i, written under d."""
    files = {}
    # distinct base specs, one per handler slot
    bases = []
    for j in range(3):
        p = os.path.join(d, "base%d.json" % j)
        caps = ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID"][: j + 1]
        files[p] = json.dumps({"ociVersion": "1.1.0", "process": {"capabilities": {
            s: caps for s in ("bounding", "effective", "permitted")}}})
        bases.append(p)

    def key(k):
        how = rng.choices(["exact", "upper", "title", "first", "fold", "mixed"],
                          [50, 1, 1, 1, 1, 1])[0]
        return spell(k, rng, how)

    handler = rng.choice(HANDLERS)
    rt = {}
    if rng.random() < 0.8:
        rt[key("runtime_type")] = rng.choices([RUNC, "", "io.containerd.runsc.v1", 2], [8, 1, 1, 1])[0]
    if rng.random() < 0.85:
        rt[key("base_runtime_spec")] = rng.choices(
            [bases[0], "", "base0.json", os.path.join(d, "none.json"), True], [10, 1, 1, 1, 1])[0]
    if rng.random() < 0.2:
        rt[key("privileged_without_host_devices")] = rng.choice([True, False, "yes"])
    if rng.random() < 0.2:
        rt[key("options")] = {key("BinaryName"): rng.choice(["runc", "/usr/sbin/runc", "crun", 1])}
    if rng.random() < 0.1:
        rt["unknown_key"] = 1
    runtimes = {handler: rt}
    if rng.random() < 0.3:
        other = rng.choice([h for h in HANDLERS if h != handler])
        runtimes[other] = {"runtime_type": RUNC, key("base_runtime_spec"): bases[1]}
    ctrd = {}
    r = rng.random()
    if r < 0.75:
        ctrd[key("default_runtime_name")] = handler
    elif r < 0.85:
        ctrd[key("default_runtime_name")] = rng.choice([1, True, "nope"])
    ctrd[key("runtimes")] = runtimes
    cri = {}
    if x:
        cri_rules_case(x, cri, ctrd, runtimes, handler)
    if rng.random() < 0.5:
        cri[key("enable_unprivileged_ports")] = rng.choices([True, False, "true", 1], [4, 4, 1, 1])[0]
    cri[key("containerd")] = ctrd
    if rng.random() < 0.1:
        cri["sandbox_image"] = rng.choice(["pause:3.9", 7])
    if rng.random() < 0.08:
        cri["cni"] = {"bin_dir": rng.choice(["/opt/cni/bin", 1]), "max_conf_num": rng.choice([1, "1"])}
    if rng.random() < 0.05:
        cri["zz_unknown"] = rng.choice(["x", 1, [1, "a"], {"a": 1}])
    plugin = rng.choices([CRI, "cri", CRI.upper()], [12, 1, 1])[0]
    plugins = {plugin: cri}
    if rng.random() < 0.15:  # another plugin's key, maybe of the wrong type
        plugins[rng.choice(["io.containerd.gc.v1.scheduler", "gc"])] = {
            "pause_threshold": rng.choice([0.02, "x", 1])}
    if rng.random() < 0.05:
        plugins["io.containerd.runtime.v2.task"] = {"platforms": rng.choice([["linux/amd64"], [1], "x"])}
    tree = {}
    vkey = key("version") if rng.random() < 0.95 else None
    if vkey:
        tree[vkey] = rng.choices([2, 1, 3, "2", 2.0], [24, 1, 1, 1, 1])[0]
    # imports: another file (relative, glob, chain, cycle) holding part of it
    imp = rng.random()
    if imp < 0.15:
        sub = os.path.join(d, "conf.d")
        os.makedirs(sub, exist_ok=True)
        part = {"version": 2, "plugins": {CRI: {"containerd": {"default_runtime_name": rng.choice(HANDLERS[:3])}}}}
        files[os.path.join(sub, "a.toml")] = render(part, rng, "headers")
        tree[key("imports")] = rng.choice(
            [["conf.d/a.toml"], [os.path.join(sub, "*.toml")], [os.path.join(sub, "a.toml")],
             "conf.d/a.toml", []])
        if rng.random() < 0.3:  # a chain back to the top file: a cycle
            files[os.path.join(sub, "a.toml")] += 'imports = ["%s"]\n' % os.path.join(d, "config.toml")
    if rng.random() < 0.08:
        tree[key("disabled_plugins")] = [rng.choice(["io.containerd.grpc.v1.cri", "io.containerd.gc.v1.scheduler",
                                                     "io.containerd.snapshotter.v1.zfs", "zfs"])]
    if rng.random() < 0.05:
        tree["grpc"] = {"address": rng.choice(["/run/x.sock", 1]), "uid": rng.choice([0, "0"])}
    tree[key("plugins")] = plugins
    style = rng.choice(["headers", "dotted", "inline", "mixed"])
    text = render(tree, rng, style)
    # text-level mutations
    m = rng.random()
    lines = text.split("\n")
    if m < 0.06:  # a key twice in its table
        for j, ln in enumerate(lines):
            if re.match(r"\s*[dD]efault_runtime_name\s*=", ln) or re.match(r"\s*[bB]ase_runtime_spec\s*=", ln):
                lines.insert(j + 1, re.sub(r"=.*", '= "' + bases[2] + '"', ln))
                break
    elif m < 0.12:  # a table header twice
        hdrs = [ln for ln in lines if ln.startswith("[")]
        if hdrs:
            lines.append(rng.choice(hdrs))
            lines.append("zzz_unknown = 1")
    elif m < 0.16:  # a byte order mark
        lines[0] = "\ufeff" + lines[0]
    elif m < 0.20:  # CRLF
        lines = [ln + "\r" for ln in lines[:-1]] + [lines[-1]]
    elif 0.24 <= m < 0.27:  # a local date, TOML 1.0 but not go-toml v1's
        lines.insert(rng.randrange(1, len(lines)), "zz_date = 2020-01-0%d" % rng.randrange(1, 10))
    elif m < 0.24:  # a header of a table written by dotted keys before
        for j, ln in enumerate(lines):
            if re.match(r"\s*containerd\.", ln) and not ln.startswith("["):
                lines.append("[" + qkey("plugins", rng) + '."' + CRI + '".containerd]')
                lines.append("snapshotter = \"native\"")
                break
    text = "\n".join(lines)
    files[os.path.join(d, "config.toml")] = text
    return files


def containerd_view(cfg):
    """("refuse", why) or ("read", fields) from containerd's own config dump."""
    p = subprocess.run(["containerd", "--config", cfg, "config", "dump"],
                       capture_output=True, text=True, timeout=20)
    if p.returncode != 0:
        return "refuse", (p.stderr.strip().splitlines() or ["?"])[-1][:200]
    dump = tomllib.loads(p.stdout)
    cri = dump.get("plugins", {}).get(CRI, {})
    c = cri.get("containerd", {})
    name = c.get("default_runtime_name", "runc")
    rts = c.get("runtimes", {})
    # the CRI plugin's own checks when it starts (no pod starts without it)
    dr = c.get("default_runtime", {})
    if dr.get("runtime_type"):
        return "read", {"deprecated_default": dr.get("runtime_type"), "name": "default"}
    # ValidatePluginConfig (1.6.20), each rule seen with the real containerd
    # (twenty-second pass, part E): its CRI plugin does not start
    uw = c.get("untrusted_workload_runtime", {})
    if uw.get("runtime_type"):
        if "untrusted" in rts:
            return "refuse", "CRI: untrusted_workload_runtime and runtimes.untrusted"
        rts = dict(rts, untrusted=uw)
    if name == "":
        return "refuse", "CRI: default_runtime_name is empty"
    if name not in rts:
        return "refuse", "CRI: default runtime %r not in runtimes" % name
    for flag, where in (("systemd_cgroup", cri), ("no_pivot", c)):
        if where.get(flag) and rts[name].get("runtime_type") != LINUX_V1:
            return "refuse", "CRI: %s only works for %s" % (flag, LINUX_V1)
    for h, r in rts.items():
        if (r.get("runtime_engine") or r.get("runtime_root")) and r.get("runtime_type") != LINUX_V1:
            return "refuse", "CRI: runtime_engine/runtime_root of %r" % h
    reg = cri.get("registry", {})
    if reg.get("config_path") and (reg.get("mirrors") or any("tls" in v for v in reg.get("configs", {}).values())):
        return "refuse", "CRI: mirrors or configs.tls beside config_path"
    for u in reg.get("auths", {}):
        if u.startswith(":") or "%zz" in u:
            return "refuse", "CRI: auths key %r is no URL" % u
    if not DURATIONS.get(cri.get("stream_idle_timeout", ""), True):
        return "refuse", "CRI: stream_idle_timeout %r" % cri.get("stream_idle_timeout")
    for h, r in rts.items():
        b = r.get("base_runtime_spec", "")
        if b and not os.path.isfile(b if b.startswith("/") else os.path.join(os.getcwd(), b)):
            return "refuse", "CRI: base spec %r of %r cannot be loaded" % (b, h)
    r = rts[name]
    # RunPodSandbox: "container.Runtime.Name must be set" (seen with 1.6.20)
    if not r.get("runtime_type"):
        return "refuse", "pod: the default handler %r has no runtime_type" % name
    return "read", {"name": name, "base": r.get("base_runtime_spec", ""),
                    "type": r.get("runtime_type", ""),
                    "binary": (r.get("options") or {}).get("BinaryName", ""),
                    "ports": bool(cri.get("enable_unprivileged_ports", False)),
                    "imports": dump.get("imports", [])}


def unquote(word):
    """A quoted word of a step as written: its own quotes doubled."""
    return word.replace("''", "'")


def capscope_view(capscope, cfg, pod):
    p = subprocess.run([capscope, "explain", "pod", "--json", "--runtime", "containerd@1.6",
                        "--containerd-config", cfg, "--check", "bind:80", pod],
                       capture_output=True, text=True, timeout=20)
    if p.returncode == 2:
        return "refuse", p.stderr.strip()
    if p.returncode not in (0, 1):  # 1: the check's answer is no
        return "crash", "exit %d: %s" % (p.returncode, p.stderr.strip()[:200])
    out = p.stdout
    j = json.loads(out)
    steps = [s for c in j.get("containers", []) for s in c.get("steps", [])]
    base = [s["detail"] for s in steps if s.get("rule") == "containerd.base-spec"]
    # "base_runtime_spec 'PATH' of runtime 'NAME' (CONFIG), in place of ...",
    # each a quoted word whose own quotes are doubled
    m = re.search(r"base_runtime_spec '(.*)' of runtime '(.*)' \(" + re.escape(cfg) + r"\), in place",
                  base[0]) if base else None
    return "read", {"base": unquote(m.group(1)) if m else "",
                    "name": unquote(m.group(2)) if m else None,
                    "ports": "ip_unprivileged_port_start=0" in out}


def verdict(ctr, cap, cfg):
    """None when capscope's reading is allowed, else why not."""
    (ck, cv), (sk, sv) = ctr, cap
    if sk == "crash":
        return "capscope failed: " + sv
    if sk == "refuse":
        first = sv.splitlines()[0] if sv else ""
        if len(sv.splitlines()) != 1 or not re.search(r"config\.toml:\d+:\d+[:)]", first):
            return "capscope's refusal is not one line with file:line:column: %r" % sv[:300]
        return None
    if ck == "refuse":
        return "containerd refuses (%s), capscope read %r" % (cv, sv)
    if "deprecated_default" in cv:
        return "containerd uses the deprecated default_runtime %r, capscope read %r" % (cv["deprecated_default"], sv)
    if cv["type"] not in ("", RUNC):
        return "containerd's default handler is %r, capscope predicted runc" % cv["type"]
    if cv["binary"] and os.path.basename(str(cv["binary"])) != "runc":
        return "containerd runs BinaryName %r, capscope predicted runc" % cv["binary"]
    if cv["imports"] and len(cv["imports"]) > 1:
        return "containerd merged imports %r, capscope read one file" % cv["imports"]
    if cv["ports"] != sv["ports"]:
        return "enable_unprivileged_ports: containerd %r, capscope %r" % (cv["ports"], sv["ports"])
    if cv["base"] != sv["base"]:
        return "base_runtime_spec: containerd %r, capscope %r" % (cv["base"], sv["base"])
    if sv["base"] and cv["name"] != sv["name"]:
        return "default runtime: containerd %r, capscope %r" % (cv["name"], sv["name"])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capscope", required=True)
    ap.add_argument("--pod", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--cases", type=int, default=120)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--only", type=int, default=None)
    ap.add_argument("--show", action="store_true", help="print each case's file")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    cases = list(range(a.cases))
    print("1..%d" % (len(cases) if a.only is None else 1))
    counts = {"both refuse": 0, "both read": 0, "capscope refuses what containerd reads": 0}
    bad = 0
    n = 0
    for i in cases:
        d = os.path.join(a.tmp, "c%03d" % i)
        os.makedirs(d, exist_ok=True)
        files = make_case(i, rng, d, random.Random("%d/%d" % (a.seed, i)))
        if a.only is not None and i != a.only:
            continue
        n += 1
        for p, text in files.items():
            with open(p, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        cfg = os.path.join(d, "config.toml")
        ctr = containerd_view(cfg)
        cap = capscope_view(a.capscope, cfg, a.pod)
        why = verdict(ctr, cap, cfg)
        kind = ("both refuse" if ctr[0] == cap[0] == "refuse" else "both read" if ctr[0] == cap[0]
                else "capscope refuses what containerd reads" if cap[0] == "refuse" else "")
        if kind:
            counts[kind] += 1
        if why:
            bad += 1
            print("not ok %d - c%03d: %s" % (n, i, why))
            for ln in files[cfg].splitlines():
                print("#   | " + repr(ln)[1:-1])
        else:
            extra = (": " + cap[1].splitlines()[0][-150:]) if kind.startswith("capscope refuses") else ""
            print("ok %d - c%03d: %s%s" % (n, i, kind, extra))
        if a.show:
            print("# containerd: %r" % (ctr,))
            print("# capscope: %r" % (cap,))
            for ln in files[cfg].splitlines():
                print("#   | " + repr(ln)[1:-1])
    print("# %s" % ", ".join("%s %d" % kv for kv in counts.items()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
