#!/usr/bin/env bash
# asan-too
# execve's E2BIG in explain oci after a "#!" line (sixteenth pass, second
# round): the kernel's load_script takes argv[0] out and copies the
# script's name and the interpreter's name in its place, each checked
# against the bounds of the first copy, before the interpreter is opened:
# an entrypoint script whose strings fit as a binary's was predicted to
# start where execve says E2BIG. Each bundle's strings are handed to the
# real execve too (from the rootfs as working directory; the interpreter's
# absolute name exists on the host and inside the rootfs alike).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/oci-verdict.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
I=$T/rootfs/x/t
mkdir -p rootfs/x "rootfs$T/rootfs/x" && cp /bin/true rootfs/x/t && cp /bin/true "rootfs$I" &&
  chmod 755 rootfs/x/t "rootfs$I"
printf '#!%s\n' "$I" >rootfs/x/s   # a script run by the binary
printf '#!x//s\n' >rootfs/x/n      # a script run by that script (relative: from the cwd)
# the same with the line's optional argument, which load_script copies too
# (one word, blanks inside kept, trailing ones dropped; seventeenth pass)
printf '#!%s  -x  yz \t\n' "$I" >rootfs/x/a
printf '#! x//a arg2\n' >rootfs/x/m
chmod 755 rootfs/x/s rootfs/x/n rootfs/x/a rootfs/x/m
I="$I" python3 - <<'PY'
import json, os, resource
INF = resource.RLIM_INFINITY
I = os.environ["I"]
def total(args, env):
    return 5 + sum(len(a) + 1 for a in args + env) + 8 * (len(args) + len(env))
def fill(name, target, env):
    # words of at most 100,000 bytes (one string is bounded at 128 KiB)
    n = (target // 100000) + 1
    rest = target - total([name] + [""] * n, env)
    a = rest // n
    return [name] + ["w" * a] * (n - 1) + ["w" * (rest - (n - 1) * a)]
def kernel(args, env, soft):
    pid = os.fork()
    if pid == 0:
        os.chdir("rootfs")
        resource.setrlimit(resource.RLIMIT_STACK, (soft, INF))
        try:
            os.execve("x//" + args[0][3:], args, dict(e.split("=", 1) for e in env))
        except OSError as e:
            os._exit(7 if e.errno == 7 else 1)
    _, st = os.waitpid(pid, 0)
    return {0: "starts", 7: "E2BIG"}.get(os.waitstatus_to_exitcode(st), "other")
ENV = ["PATH=/x", "HOME=/root"]
# what each chain adds: the interpreters' names (the script's own name
# replaces argv[0], of its length: args[0] is the name runc passes)
splice = {"s": len(I) + 1, "n": len("x//s") + 1 + len(I) + 1,
          "a": len(I) + 1 + len("-x  yz") + 1,
          "m": len("x//a") + 1 + len("arg2") + 1 + len(I) + 1 + len("-x  yz") + 1}
for cmd in ("s", "n", "a", "m"):
    for soft, lim in ((1 << 20, 1 << 18), (8 << 20, 2 << 20)):
        for d in (0, 1):
            name = "%s-%d-%d" % (cmd, soft, d)
            args, soft_ = fill("/x/" + cmd, lim - splice[cmd] + d, ENV), soft
            os.makedirs(name)
            proc = {"args": args, "env": ENV, "cwd": "/", "user": {"uid": 0, "gid": 0},
                    "rlimits": [{"type": "RLIMIT_STACK", "soft": soft, "hard": soft}]}
            json.dump({"ociVersion": "1.0.2", "root": {"path": "../rootfs"}, "process": proc},
                      open(name + "/config.json", "w"))
            open(name + "/kernel", "w").write(kernel(args, ENV, soft) + "\n")
            open(name + "/want", "w").write(("E2BIG" if d else "starts") + "\n")
PY
for d in */; do
  d=${d%/}
  [ -f "$d/kernel" ] || continue
  is "$(cat "$d/kernel")" "$(cat "$d/want")" "$d: the kernel's execve ($(cat "$d/want"))"
  got=$(oci_exec_verdict "$d")
  is "$got" "$(cat "$d/kernel")" "$d: explain oci's execve agrees with the kernel's ($got)"
done
"$CAPSCOPE" explain oci --caller root n-8388608-1 >out 2>&1
like "$(cat out)" "execve\.e2big: .* take 2097153 bytes .*once each \"#!\" line's interpreter" \
  "n-8388608-1: the step gives the size after the splices"
done_testing
