#!/usr/bin/env bash
# asan-too
# execve's E2BIG for a "#!" script under --caps (seventeenth pass, part E).
# The run executes the checked descriptor (/dev/fd/N); the kernel's
# load_script refuses a close-on-exec descriptor's path with ENOENT before
# any splice, and the run then opens and checks the interpreter and
# executes it with the argv it builds as the kernel would: the script's
# path in it, not /dev/fd/N. The dry run spliced /dev/fd/N as for a run by
# path, so it counted less than that second execve copies: a script whose
# path is long was predicted to run (0) where the run says E2BIG (127).
# Each line is run and dry-run at its limit and one byte past it (8 MiB
# stack: 2 MiB), for a script, one with an argument, and a script run by a
# script; both binaries.
. "$(dirname "$0")/../lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "needs python3"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
chmod 755 "$T"
cd "$T" || exit 1
L=$T/$(printf 'd%.0s' $(seq 1 200))
mkdir -p "$L" && chmod 755 "$L" && cp /bin/true "$L/t"
printf '#!%s\n' "$L/t" >"$L/s"
printf '#!%s -x\n' "$L/t" >"$L/a"
printf '#!%s\n' "$L/s" >"$L/n"
chmod 755 "$L/t" "$L/s" "$L/a" "$L/n"
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
cat >go.py <<'PY'
import os, resource, sys
# go.py DIR CMD EXTRA BIN [OPTS...]: BIN OPTS -- CMD WORDS, where the last
# execve of the chain the --caps run makes takes 2 MiB + EXTRA: the
# interpreter's /dev/fd/M (descriptors 0 to 2 only are open before), the
# argv the run builds, the environment {PATH: DIR}.
d, cmd, extra, prog, opts = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(), sys.argv[5:]
env = {"PATH": d}
lim, n = 2 << 20, 20
path = lambda c: len(d) + 3  # DIR/c and its NUL
t = len(d) + 3
# what the last execve has beyond /dev/fd/M, CMD and the words: argv[0]
# (CMD) out; the interpreters, the argument and the scripts' paths in
# (with a pointer each)
more = {"s": -(len(cmd) + 1) + t + path("s") + 8,
        "a": -(len(cmd) + 1) + t + 3 + path("a") + 16,
        "n": -(len(cmd) + 1) + t + path("s") + path("n") + 16}[cmd]
fixed = len("/dev/fd/5") + 1 + len(cmd) + 1 + sum(len(k) + len(v) + 2 for k, v in env.items()) \
    + 8 * (1 + n + len(env)) + more
rest = lim + extra - fixed - n
words = ["w" * (rest // n)] * (n - 1) + ["w" * (rest - rest // n * (n - 1))]
resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, resource.RLIM_INFINITY))
os.closerange(3, 65536)
os.execve(prog[0], prog + opts + ["--", cmd] + words, env)
PY
O="--caps = --user 65534 --clear-groups"
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for cmd in s a n; do
    for extra in 0 1; do
      want=$([ $extra = 0 ] && echo 0 || echo 127)
      # shellcheck disable=SC2086
      python3 go.py "$L" $cmd $extra "$bin" $O >/dev/null 2>err
      is "$?" "$want" "$name --caps: script $cmd at its limit + $extra: the run's exit ($want)"
      # shellcheck disable=SC2086
      python3 go.py "$L" $cmd $extra "$bin" $O --dry-run >out 2>&1
      is "$?" "$want" "$name --caps --dry-run: script $cmd at its limit + $extra: predicts the run's exit ($want)"
    done
    like "$(cat err)" "E2BIG" "$name --caps: script $cmd: the run says E2BIG"
    like "$(cat out)" "execve\.e2big: the \"#!\" interpreter.s /dev/fd/N, the arguments the run gives it .* take 2097153 bytes" \
      "$name --caps --dry-run: script $cmd: the step names the interpreter and the size"
  done
done
done_testing
