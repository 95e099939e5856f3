#!/usr/bin/env bash
# asan-too
# execve's E2BIG (fifteenth pass, second round, part N): a command line the
# kernel refuses whatever the stack limit and the environment, one word of
# 128 KiB or more (MAX_ARG_STRLEN) or words and pointers past 6 MiB
# (_STK_LIM / 4 * 3), was predicted to start; and the kubelet's $(VAR)
# expansions stopped at 4 MiB without a word (4,000 args "$(E)" of a 60 KB
# E: 240 MB for the kubelet, predicted to start); an env entry "NAME=value"
# of 128 KiB or more fails the same way. Each line is also handed to
# the real kernel's execve (/bin/true, RLIMIT_STACK unlimited, an empty
# environment: the most execve ever takes) and the two must agree.
. "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY'
import resource, subprocess
E = "x" * 60000
def pod(args, env=""):
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
            "  - name: c\n    image: i\n    command: [/bin/app]\n" + env +
            "    args: [" + ",".join(args) + "]\n")
cases = {
    "s131071": (["a" * 131071], None),
    "s131072": (["a" * 131072], None),
    "t60": (["b" * 100000] * 60, None),
    "t63": (["b" * 100000] * 63, None),
    "ex100": (['"$(E)"'] * 100, ["x" * 60000] * 100),
    "ex4000": (['"$(E)"'] * 4000, ["x" * 60000] * 4000),
}
def kernel(argv, env={}):
    def pre():
        resource.setrlimit(resource.RLIMIT_STACK, (resource.RLIM_INFINITY,) * 2)
    try:
        subprocess.run(["/bin/true"] + argv, preexec_fn=pre, env=env, check=True)
        return "starts"
    except OSError as e:
        return "E2BIG" if e.errno == 7 else e.strerror
for name, (args, real) in cases.items():
    env = "    env:\n    - name: E\n      value: " + E + "\n" if real else ""
    open(name + ".yaml", "w").write(pod(args, env))
    open(name + ".kernel", "w").write(kernel(real or args) + "\n")
# An env entry is one string "NAME=value" too: the last of its name counts.
for name, n, later in (("e131069", 131069, ""), ("e131070", 131070, ""),
                       ("e131070-replaced", 131070, "    - {name: E, value: short}\n")):
    env = "    env:\n    - name: E\n      value: " + "v" * n + "\n" + later
    open(name + ".yaml", "w").write(pod(["x"], env))
    open(name + ".kernel", "w").write(
        kernel(["x"], {"E": "short" if later else "v" * n}) + "\n")
PY
for f in s131071 s131072 t60 t63 ex100 ex4000 e131069 e131070 e131070-replaced; do
  $CAPSCOPE explain pod --json $f.yaml >$f.json 2>$f.err
  if grep -q '"error":"E2BIG"' $f.json && grep -q 'execve.e2big' $f.json; then
    got=E2BIG
  elif grep -q '"ok":true' $f.json && ! grep -q E2BIG $f.json; then
    got=starts
  else
    got="other: $(head -c 200 $f.err)"
  fi
  is "$got" "$(cat $f.kernel)" "$f: the model's execve agrees with the kernel's ($got)"
done
# Sixteenth pass: execve fails at its copy of the strings, so none of its
# credential steps happen; they were recorded before execve.e2big.
is "$(jq -c '[.containers[0].steps[].rule | select(startswith("execve."))]' s131072.json)" '["execve.e2big"]' \
  "s131072: execve.e2big is execve's only step (no credential change is recorded)"
# The human text says it too, with the step.
$CAPSCOPE explain pod s131072.yaml >out 2>&1
grep -q 'does not start: E2BIG' out && grep -q 'execve.e2big: .*MAX_ARG_STRLEN' out
ok $? "explain pod's text: E2BIG and the step"
$CAPSCOPE explain pod e131070.yaml >out 2>&1
grep -q 'execve.e2big: env E (line 11) is 131072 bytes as NAME=value' out
ok $? "the env entry named, with its line and size"
done_testing
