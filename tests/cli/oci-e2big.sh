#!/usr/bin/env bash
# asan-too
# execve's E2BIG in explain oci (sixteenth pass): process.args, process.env
# and the stack rlimit are all in the bundle, yet a process whose strings
# execve refuses was predicted to start. execve's bound is a quarter of
# RLIMIT_STACK's soft limit (at least 128 KiB, at most 6 MiB) over the
# file's name, args and env with their NULs and pointers, and 128 KiB for
# one string. Each bundle's strings are also handed to the real execve
# (the name runc passes, the env as runc 1.1 passes it: one entry a name,
# the last value; RLIMIT_STACK as the bundle sets it, unlimited when it
# does not) and the two must agree.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/oci-verdict.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
mkdir -p rootfs/x && cp /bin/true rootfs/x/t && chmod 755 rootfs/x/t
python3 - <<'PY'
import json, os, resource
INF = resource.RLIM_INFINITY
NAME = "/x/t"  # runc passes args[0] as written; the oracle runs "x//t" from rootfs (same length)
def total(args, env):
    return len(NAME) + 1 + sum(len(a) + 1 for a in args + env) + 8 * (len(args) + len(env))
def fill(target, env, soft=None):
    # args "/x/t" and three words, sized so the total is exactly target
    rest = target - total(["/x/t", "", "", ""], env)
    a = rest // 3
    return ["/x/t", "a" * a, "b" * a, "c" * (rest - 2 * a)]
def runc_env(env):
    out, at = [], {}
    for e in env:
        k = e.split("=", 1)[0]
        if k in at:
            out[at[k]] = e
        else:
            at[k] = len(out)
            out.append(e)
    # runc 1.1 sets a missing or empty HOME to the user's home: "/" here,
    # where the rootfs has no /etc/passwd (seventeenth pass)
    if "HOME" not in at:
        out.append("HOME=/")
    elif out[at["HOME"]] == "HOME=":
        out[at["HOME"]] = "HOME=/"
    return out
def kernel(args, env, soft):
    pid = os.fork()
    if pid == 0:
        os.chdir("rootfs")
        resource.setrlimit(resource.RLIMIT_STACK, (INF if soft is None else soft, INF))
        try:
            os.execve("x//t", args, dict(e.split("=", 1) for e in runc_env(env)))
        except OSError as e:
            os._exit(7 if e.errno == 7 else 1)
    _, st = os.waitpid(pid, 0)
    return {0: "starts", 7: "E2BIG"}.get(os.waitstatus_to_exitcode(st), "other")
ENV = ["PATH=/x", "HOME=/root"]
cases = {}
# a quarter of the soft limit, at least 128 KiB (200,000: the floor)
for soft, lim in ((1 << 20, 1 << 18), (8 << 20, 2 << 20), (200000, 128 << 10)):
    for d in (0, 1):
        cases["s%d-%d" % (soft, d)] = (fill(lim + d, ENV), ENV, soft)
# a soft limit under what the strings need on the new stack (its top word,
# then whole pages): E2BIG under the 128 KiB floor. (Just under it the
# process may die after execve's point of no return: not compared.)
cases["s102400-over"] = (fill(102400 - 8 + 1 + 8 * 6, ENV), ENV, 102400)
cases["none-3m"] = (fill(3 << 20, ENV), ENV, None)
cases["none-6m-0"] = (fill(6 << 20, ENV), ENV, None)
cases["none-6m-1"] = (fill((6 << 20) + 1, ENV), ENV, None)
cases["w131071"] = (["/x/t", "w" * 131071], ENV, None)
cases["w131072"] = (["/x/t", "w" * 131072], ENV, None)
big = "E=" + "v" * 131071
cases["env-big"] = (["/x/t"], ENV + [big], None)
cases["env-big-replaced"] = (["/x/t"], ENV + [big, "E=short"], None)
# an empty HOME is replaced in place (no new entry) by the user's home,
# "/" without /etc/passwd (seventeenth pass: counted as empty before)
EH = ["PATH=/x", "HOME="]
cases["home-empty-0"] = (fill((1 << 18) - 1, EH), EH, 1 << 20)
cases["home-empty-1"] = (fill(1 << 18, EH), EH, 1 << 20)
# one entry a name: duplicates of a long entry past the limit counted once
dup = "D=" + "d" * 100000
cases["env-dups"] = (["/x/t"], ENV + [dup] * 30, 1 << 20)
for name, (args, env, soft) in cases.items():
    os.makedirs(name)
    proc = {"args": args, "env": env, "cwd": "/", "user": {"uid": 0, "gid": 0}}
    if soft is not None:
        proc["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 1024},
                           {"type": "RLIMIT_STACK", "soft": soft, "hard": soft}]
    json.dump({"ociVersion": "1.0.2", "root": {"path": "../rootfs"}, "process": proc},
              open(name + "/config.json", "w"))
    open(name + "/kernel", "w").write(kernel(args, env, soft) + "\n")
PY
for d in */; do
  d=${d%/}
  [ -f "$d/kernel" ] || continue
  got=$(oci_exec_verdict "$d")
  is "$got" "$(cat "$d/kernel")" "$d: explain oci's execve agrees with the kernel's ($got)"
done
# execve fails at its copy of the strings: no credential step of execve
# (the file's own open comes first: Linux 6.8 opens it before the copy).
is "$(jq -c '[.steps[].rule | select(startswith("execve."))]' w131072/out.json)" '["execve.e2big"]' \
  "w131072: execve.e2big is execve's only step"
like "$(jq -r '.steps[-1].text // .steps[-1].message // empty' w131072/out.json; "$CAPSCOPE" explain oci --caller root w131072 2>&1)" \
  "execve\.e2big: process\.args\[1\] is 131073 bytes with its NUL" "w131072: the step names the word and its size"
"$CAPSCOPE" explain oci --caller root s1048576-1 >out 2>&1
like "$(cat out)" "execve\.e2big: .* past the 262144 execve copies under RLIMIT_STACK's soft limit 1048576" \
  "s1048576-1: the step names the limit and the rlimit"
# rlimits runc refuses: an unknown type, a soft limit above the hard one.
mkdir bad
printf '{"root":{"path":"../rootfs"},"process":{"args":["/x/t"],"rlimits":[{"type":"RLIMIT_BOGUS","soft":1,"hard":1}]}}\n' >bad/config.json
"$CAPSCOPE" explain oci bad 2>err; is "$?" 2 "an unknown rlimit type: refused (exit 2)"
like "$(cat err)" "process\.rlimits\[0\]\.type: 'RLIMIT_BOGUS' is not an rlimit runc knows" "an unknown rlimit type: named with its field"
printf '{"root":{"path":"../rootfs"},"process":{"args":["/x/t"],"rlimits":[{"type":"RLIMIT_STACK","soft":2,"hard":1}]}}\n' >bad/config.json
"$CAPSCOPE" explain oci bad 2>err; is "$?" 2 "soft above hard: refused (exit 2)"
like "$(cat err)" "process\.rlimits\[0\]\.soft: a soft limit above the hard one" "soft above hard: named with its field"
done_testing
