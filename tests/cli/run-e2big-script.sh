#!/usr/bin/env bash
# asan-too
# execve's E2BIG after a "#!" line (sixteenth pass, second round): the
# kernel's load_script takes argv[0] out and copies the script's name, the
# line's argument and the interpreter's name in its place, each checked
# against the bounds the first copy was (copy_string_kernel), before the
# interpreter is opened. A script whose command line fits as a binary's can
# fail with E2BIG (the run: 127) where the dry run predicted a run (0).
# Each line is run and dry-run at the chain's limit and one byte past it
# (8 MiB stack: 2 MiB), for a script, a script with an argument, and a
# script whose interpreter is a script; both binaries.
. "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
cd "$T" || exit 1
L=$T/$(printf 'd%.0s' $(seq 1 200))
mkdir -p "$L" && cp /bin/true "$L/t" && chmod 755 "$L/t"
printf '#!%s\n' "$L/t" >"$L/s"
printf '#!%s -x\n' "$L/t" >"$L/a"
printf '#!%s\n' "$L/s" >"$L/n"
printf '#!/nonexistent/zz\n' >"$L/m"
mkdir -p "$T/b" && cp /bin/true "$T/b/m"
chmod 755 "$L/s" "$L/a" "$L/n" "$L/m"
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
cat >go.py <<'PY'
import os, resource, sys
# go.py DIR CMD EXTRA BIN [OPTS...]: BIN OPTS -- CMD WORDS, where execve of
# DIR/CMD with WORDS and the environment {PATH: DIR} takes 2 MiB + EXTRA
# after load_script's splices (what each "#!" line adds, below).
d, cmd, extra, prog, opts = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(), sys.argv[5:]
env = {"PATH": os.environ.get("GO_PATH", d)}
lim, n = 2 << 20, 20
t = d + "/t"
# each splice: argv[0] out; the file's name, the argument, the interpreter in
splice = {"t": 0,
          "s": -(len(cmd) + 1) + len(d) + 3 + len(t) + 1,
          "a": -(len(cmd) + 1) + len(d) + 3 + 3 + len(t) + 1,
          "n": -(len(cmd) + 1) + len(d) + 3 + len(d) + 3 + len(t) + 1,
          "m": -(len(cmd) + 1) + len(d) + 3 + len("/nonexistent/zz") + 1}[cmd]
fixed = len(d) + 3 + len(cmd) + 1 + sum(len(k) + len(v) + 2 for k, v in env.items()) \
    + 8 * (1 + n + len(env)) + splice
rest = lim + extra - fixed - n
words = ["w" * (rest // n)] * (n - 1) + ["w" * (rest - rest // n * (n - 1))]
resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, resource.RLIM_INFINITY))
os.execve(prog[0], prog + opts + ["--", cmd] + words, env)
PY
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for cmd in s a n; do
    for extra in 0 1; do
      want=$([ $extra = 0 ] && echo 0 || echo 127)
      python3 go.py "$L" $cmd $extra "$bin" >/dev/null 2>err
      is "$?" "$want" "$name: script $cmd's strings at the chain's limit + $extra: the run's exit ($want)"
      python3 go.py "$L" $cmd $extra "$bin" --dry-run >out 2>&1
      is "$?" "$want" "$name --dry-run: script $cmd at the chain's limit + $extra: predicts the run's exit ($want)"
    done
    like "$(cat err)" "E2BIG" "$name: script $cmd: the run says E2BIG"
    like "$(cat out)" "execve\.e2big: .*after a \"#!\" line's interpreter.* take 2097153 bytes" \
      "$name --dry-run: script $cmd: the step says the size after the splice"
  done
  # A script whose interpreter is missing, and a binary of its name in a
  # later $PATH directory: execve says E2BIG at the splice, before the
  # interpreter's ENOENT that would send the walk on, and the walk ends.
  for extra in 0 1; do
    want=$([ $extra = 0 ] && echo 0 || echo 127)
    GO_PATH="$L:$T/b" python3 go.py "$L" m $extra "$bin" >/dev/null 2>err
    is "$?" "$want" "$name: script m (interpreter missing, a binary later in \$PATH) at the limit + $extra: the run's exit ($want)"
    GO_PATH="$L:$T/b" python3 go.py "$L" m $extra "$bin" --dry-run >out 2>&1
    is "$?" "$want" "$name --dry-run: script m at the limit + $extra: predicts the run's exit ($want)"
  done
done
done_testing
