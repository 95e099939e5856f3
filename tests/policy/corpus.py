#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The policy corpus: do the generated admission policies decide as the model does?

Why this test proves something:
 * The model is `capscope policy check` (lib/policy/check.c over the manifest
   reader lib/k8s/manifest.c): a pod is allowed when no container is
   privileged, every container drops ALL (any case) and every added
   capability, upper-cased (ASCII) with one CAP_ prefix removed, is in the
   allowed set. That normalisation is what CRI-O, containerd and Docker
   accept (docs/runtimes.md); ALL in add, unknown names, numbers and
   non-ASCII spellings are refused.
 * The engines cannot be installed here, so each generated policy is run by a
   small interpreter of exactly the language the generator emits (cel.py,
   kyverno.py, rego.py), reading the policy text capscope wrote — not a
   re-statement of the rule — so a wrong expression gives a wrong decision.
 * The corpus is generated from a fixed seed: every workload kind the model
   reads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
   OpenShift's DeploymentConfig: Kyverno judges the ReplicationController
   its controller creates, as its policy does not name it) and two it does not (ReplicationController, PodTemplate: the model judges
   the same template as a Deployment or Pod),
   containers, init and ephemeral containers, absent/empty securityContext
   and capabilities, privileged true/false, and capability strings in every
   spelling that matters (NET_RAW, net_raw, CAP_NET_RAW, cap_Net_Raw, ALL,
   all, CAP_ALL, CAP_CAP_NET_RAW, "", "12", " NET_RAW", dotless-i and long-s
   spellings that Go's ToUpper would turn into ASCII names).
 * Every decision must agree, both outcomes must occur often, every kind of
   violation must occur, and mutants of each policy (normalisation or a
   check removed) must disagree somewhere: the corpus can tell a right
   policy from a wrong one.
Prints TAP.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
try:
    import yaml
    import jmespath  # noqa: F401  (kyverno.py needs it)
except ImportError as e:
    print("1..0 # SKIP python3-yaml and python3-jmespath are needed (%s)" % e)
    sys.exit(77)
import cel
import kyverno
import rego

SEED = 20261129
N = 240
KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
         "DeploymentConfig"]
# Kinds the policies cover but the manifest reader does not read: the model
# judges the same pod template as a Deployment (ReplicationController) or a
# Pod (PodTemplate) — the template is all any of the rules looks at.
EXTRA_KINDS = {"ReplicationController": "Deployment", "PodTemplate": "Pod"}
ALLOWED_SETS = [[], ["NET_BIND_SERVICE"], ["NET_BIND_SERVICE", "NET_RAW"], ["CHOWN", "SETGID", "SETUID"]]
OTHER_CAPS = ["SYS_ADMIN", "KILL", "NET_ADMIN", "CHOWN", "NET_RAW", "SETUID"]
ODD_ADDS = ["ALL", "all", "All", "CAP_ALL", "cap_all", "CAP_CAP_NET_RAW", "NET-RAW", "", " NET_RAW",
            "NET_RAW ", "12", "cap_41", "SYS_ADM\u0131N", "\u017fETUID", "net_raw\u200b", "CAP_", "cap"]
DROPS_ALL = ["ALL", "all", "aLl", "All"]
DROPS_OTHER = ["CAP_ALL", " ALL", "ALL ", "NET_RAW", "CHOWN", "SYS_ADMIN", "AL", "ALLL"]

def spell(rng, cap):
    """One of the spellings a runtime reads as cap."""
    body = cap if rng.random() < 0.5 else "".join(
        ch.lower() if rng.random() < 0.5 else ch for ch in cap)
    prefix = rng.choice(["", "", "CAP_", "cap_", "Cap_"])
    return prefix + body

def lookalike(rng, cap):
    """A spelling Go's ToUpper turns into cap (dotless i -> I, long s -> S):
    runtimes written in Go would grant it, the policies must not rely on it."""
    s = spell(rng, cap).replace("CAP_", "cap_")
    for ascii_, uni in (("i", "\u0131"), ("I", "\u0131"), ("s", "\u017f"), ("S", "\u017f")):
        if ascii_ in s[4:] or (not s.startswith("cap_") and ascii_ in s):
            return s.replace(ascii_, uni, 1)
    return None

def container(rng, name, allowed, good_pod=False):
    r = rng.random()
    if good_pod:
        r = 1.0  # without securityContext nothing is dropped: such a container never passes
    c = {"name": name, "image": "registry.example/app:1"}
    if r < 0.12:
        return c
    if r < 0.2:
        c["securityContext"] = {}
        return c
    sc = {}
    good = good_pod or rng.random() < 0.45  # keeps the outcomes balanced
    p = rng.random()
    if p < 0.08 and not good:
        sc["privileged"] = True
    elif p < 0.3:
        sc["privileged"] = False
    if rng.random() < 0.12 and not good:
        c["securityContext"] = sc
        return c
    caps = {}
    if good or rng.random() < 0.6:
        caps["drop"] = [rng.choice(DROPS_ALL)]
        if rng.random() < 0.3:
            caps["drop"].append(rng.choice(DROPS_OTHER))
    elif rng.random() < 0.5:
        caps["drop"] = [rng.choice(DROPS_OTHER)]
    if good:
        pick = [cap for cap in allowed if rng.random() < 0.6]
        if pick:
            caps["add"] = [spell(rng, cap) for cap in pick]
            trap = lookalike(rng, pick[0])
            if trap and rng.random() < 0.15:
                caps["add"].append(trap)
    elif rng.random() < 0.8:
        caps["add"] = []
        for _ in range(rng.randint(1, 3)):
            k = rng.random()
            if k < 0.4 and allowed:
                caps["add"].append(spell(rng, rng.choice(allowed)))
            elif k < 0.7:
                caps["add"].append(spell(rng, rng.choice(OTHER_CAPS)))
            else:
                caps["add"].append(rng.choice(ODD_ADDS))
    if caps or rng.random() < 0.5:
        sc["capabilities"] = {k: v for k, v in caps.items() if v}
    c["securityContext"] = sc
    return c

def pod_spec(rng, allowed, kind):
    good = rng.random() < 0.4  # every container meant to pass (but for look-alike traps)
    spec = {"containers": [container(rng, "app%d" % i, allowed, good)
                           for i in range(rng.randint(1, 3))]}
    if rng.random() < 0.4:
        spec["initContainers"] = [container(rng, "init%d" % i, allowed, good)
                                  for i in range(rng.randint(1, 2))]
    # The API allows ephemeral containers only in pods (kubectl debug adds them).
    if kind == "Pod" and rng.random() < 0.6:
        # Half of them misbehave even in a good pod: a debug container with
        # more privilege is exactly what a policy must not overlook.
        spec["ephemeralContainers"] = [container(rng, "debug", allowed,
                                                 good and rng.random() < 0.5)]
    return spec

def as_model(obj):
    """The object the model reads for obj (itself, or its template under a kind it reads)."""
    kind = EXTRA_KINDS.get(obj["kind"])
    if kind is None:
        return obj
    tmpl = obj["spec"]["template"] if obj["kind"] == "ReplicationController" else obj["template"]
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": obj["metadata"], "spec": tmpl["spec"]}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": obj["metadata"],
            "spec": {"template": tmpl}}

def manifest(rng, i, allowed):
    kind = KINDS[i % len(KINDS)]
    if i % 10 == 9:
        kind = list(EXTRA_KINDS)[(i // 10) % 2]
    meta = {"name": "w%03d" % i, "namespace": "corpus"}
    spec = pod_spec(rng, allowed, kind)
    api = {"Pod": "v1", "Job": "batch/v1", "CronJob": "batch/v1", "PodTemplate": "v1",
           "ReplicationController": "v1",
           "DeploymentConfig": "apps.openshift.io/v1"}.get(kind, "apps/v1")
    tmpl = {"metadata": {"labels": {"app": meta["name"]}}, "spec": spec}
    if kind == "Pod":
        body = {"spec": spec}
    elif kind == "PodTemplate":
        body = {"template": tmpl}
    elif kind == "CronJob":
        body = {"spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": tmpl}}}}
    elif kind == "Job":
        body = {"spec": {"template": tmpl}}
    elif kind == "DeploymentConfig":  # its selector is a map of labels
        body = {"spec": {"replicas": 1, "selector": {"app": meta["name"]}, "template": tmpl}}
    else:
        body = {"spec": {"selector": {"matchLabels": {"app": meta["name"]}}, "template": tmpl}}
    return dict({"apiVersion": api, "kind": kind, "metadata": meta}, **body)

class Tap:
    def __init__(self):
        self.n = self.failed = 0

    def ok(self, cond, desc, diag=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, desc))
        if not cond:
            self.failed += 1
            for line in (diag or "").splitlines()[:40]:
                print("#   " + line)

def capscope(*args):
    exe = os.environ.get("CAPSCOPE") or os.path.join(HERE, "..", "..", "build", "capscope")
    return subprocess.run([exe] + list(args), capture_output=True, text=True)

def policies(caps):
    """The three generated policies for an allowed set, parsed from capscope's output."""
    out = {}
    for engine in ("vap", "kyverno", "gatekeeper"):
        r = capscope("policy", engine, "--name", "corpus-caps", "--caps", ",".join(caps))
        if r.returncode != 0:
            raise SystemExit("capscope policy %s failed: %s" % (engine, r.stderr))
        out[engine] = list(yaml.safe_load_all(r.stdout))
    return out

def controller_rc(dc):
    """The ReplicationController OpenShift's DeploymentConfig controller creates:
    the DeploymentConfig's pod template, under a kind every policy names."""
    return {"apiVersion": "v1", "kind": "ReplicationController", "metadata": dc["metadata"],
            "spec": {"replicas": 1, "selector": dc["spec"]["selector"],
                     "template": dc["spec"]["template"]}}

def decide(pol, obj):
    """Each engine's decision (True = admitted); each must also match the object's kind."""
    vap = pol["vap"][0]
    assert cel.vap_matches(vap, obj), "VAP does not match %s" % obj["kind"]
    kobj = obj
    if obj["kind"] == "DeploymentConfig":
        # not named in the Kyverno policy (lib/policy/gen-kyverno.c says why)
        _, matched = kyverno.kyverno_allows(pol["kyverno"][0], obj)
        assert matched == 0, "Kyverno: %d rules match a DeploymentConfig" % matched
        kobj = controller_rc(obj)
    k_ok, matched = kyverno.kyverno_allows(pol["kyverno"][0], kobj)
    assert matched == 1, "Kyverno: %d rules match %s" % (matched, obj["kind"])
    tmpl, constraint = pol["gatekeeper"]
    assert rego.gatekeeper_matches(constraint, obj), "Gatekeeper does not match %s" % obj["kind"]
    g_ok, _ = rego.gatekeeper_allows(tmpl, constraint, obj)
    return {"vap": cel.vap_allows(vap, obj), "kyverno": k_ok, "gatekeeper": g_ok}

def mutants(pol):
    """Wrong policies the corpus must catch: one check or the normalisation removed."""
    m = {}
    v = yaml.safe_load(yaml.safe_dump(pol["vap"][0]))
    for val in v["spec"]["validations"]:
        val["expression"] = val["expression"].replace("d.upperAscii() == 'ALL'", "d == 'ALL'")
    m["vap: drop ALL compared case-sensitively"] = ("vap", [v])
    k = yaml.safe_load(yaml.safe_dump(pol["kyverno"][0]))
    for rule in k["spec"]["rules"]:
        conds = rule["validate"]["foreach"][0]["deny"]["conditions"]["any"]
        conds[2]["key"] = "{{ element.securityContext.capabilities.add || `[]` }}"
    m["kyverno: add not normalised"] = ("kyverno", [k])
    k2 = yaml.safe_load(yaml.safe_dump(pol["kyverno"][0]))
    for rule in k2["spec"]["rules"]:
        conds = rule["validate"]["foreach"][0]["deny"]["conditions"]["any"]
        conds[2]["key"] = conds[2]["key"].replace(
            "to_upper(regex_replace_all('[^A-Za-z0-9_]', @, '#'))", "to_upper(@)")
    m["kyverno: no ASCII guard before to_upper"] = ("kyverno", [k2])
    v2 = yaml.safe_load(yaml.safe_dump(pol["vap"][0]))
    for var in v2["spec"]["variables"]:
        if var["name"] == "containers":
            var["expression"] = var["expression"].rsplit(" +", 1)[0]
    m["vap: ephemeral containers not checked"] = ("vap", [v2])
    t, c = yaml.safe_load_all(yaml.safe_dump_all(pol["gatekeeper"]))
    t["spec"]["targets"][0]["rego"] = t["spec"]["targets"][0]["rego"].replace(
        "upper(regex.replace(a, \"[^A-Za-z0-9_]\", \"#\"))", "upper(a)")
    m["gatekeeper: no ASCII guard before upper()"] = ("gatekeeper", [t, c])
    t2, c2 = yaml.safe_load_all(yaml.safe_dump_all(pol["gatekeeper"]))
    t2["spec"]["targets"][0]["rego"] = t2["spec"]["targets"][0]["rego"].replace(
        "  not drops_all(c)\n", "  false\n")
    m["gatekeeper: drop ALL not required"] = ("gatekeeper", [t2, c2])
    return m

def main():
    rng = random.Random(SEED)
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="capscope-policy-corpus.")
    totals = {"vap": 0, "kyverno": 0, "gatekeeper": 0}
    outcomes = {True: 0, False: 0}
    rules_seen, kinds_seen, mismatches = set(), set(), []
    mutant_caught = {}
    for si, caps in enumerate(ALLOWED_SETS):
        pol = policies(caps)
        objs, files = [], []
        for i in range(si, N, len(ALLOWED_SETS)):
            obj = manifest(rng, i, caps)
            path = os.path.join(tmp, "m%03d.%s" % (i, "json" if i % 3 == 0 else "yaml"))
            with open(path, "w", encoding="utf-8") as f:
                if path.endswith(".json"):
                    json.dump(as_model(obj), f, ensure_ascii=False)
                else:
                    yaml.safe_dump(as_model(obj), f, allow_unicode=True)
            objs.append(obj)
            files.append(path)
        r = capscope("policy", "check", "--json", "--caps", ",".join(caps), *files)
        if r.returncode not in (0, 1):
            tap.ok(False, "capscope policy check runs on set %d" % si, r.stderr)
            continue
        model = json.loads(r.stdout)["pods"]
        tap.ok(len(model) == len(objs), "model read one pod per manifest (allowed %s)" % caps)
        muts = mutants(pol)
        for obj, m, path in zip(objs, model, files):
            kinds_seen.add(obj["kind"])
            want = m["allowed"]
            outcomes[want] += 1
            rules_seen.update(v["rule"] for v in m["violations"])
            got = decide(pol, obj)
            for engine, dec in got.items():
                if dec == want:
                    totals[engine] += 1
                else:
                    mismatches.append("%s %s: model %s, %s %s" % (
                        os.path.basename(path), obj["kind"], want, engine, dec))
            for name, (engine, mp) in muts.items():
                mpol = dict(pol, **{engine: mp})
                if decide(mpol, obj)[engine] != want:
                    mutant_caught[name] = mutant_caught.get(name, 0) + 1
    total = sum(outcomes.values())
    tap.ok(total >= 200, "corpus has %d manifests (seed %d)" % (total, SEED))
    for engine, n in totals.items():
        tap.ok(n == total, "%s agrees with the model on %d/%d manifests" % (engine, n, total),
               "\n".join(m for m in mismatches if (" " + engine + " ") in m))
    tap.ok(outcomes[True] >= total // 5 and outcomes[False] >= total // 5,
           "both outcomes are common: %d allowed, %d denied" % (outcomes[True], outcomes[False]))
    tap.ok(rules_seen >= {"privileged", "drop-all", "add"},
           "every violation kind occurs: %s" % ", ".join(sorted(rules_seen)))
    tap.ok(kinds_seen == set(KINDS) | set(EXTRA_KINDS),
           "every workload kind occurs: %s" % ", ".join(sorted(kinds_seen)))
    for name in mutants(policies(ALLOWED_SETS[1])):
        tap.ok(mutant_caught.get(name, 0) > 0,
               "a wrong policy is caught (%s): %d disagreements" % (name, mutant_caught.get(name, 0)))
    print("1..%d" % tap.n)
    subprocess.run(["rm", "-rf", tmp])
    return 1 if tap.failed else 0

if __name__ == "__main__":
    sys.exit(main())
