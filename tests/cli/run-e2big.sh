#!/usr/bin/env bash
# asan-too
# execve's E2BIG in run --dry-run (sixteenth pass): the command's argv, the
# environment the run passes and RLIMIT_STACK are all known to the dry run,
# yet a command line execve refuses (the run: 127, E2BIG) was predicted to
# run (exit 0). capscope's own command line can fit where the command's does
# not: the command's name is looked up in $PATH, and a long directory makes
# its file name longer than the words capscope drops ("run", "--"...). Each
# line is run and dry-run, at execve's limit and one byte past it (8 MiB
# stack: 2 MiB), both binaries.
. "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
cd "$T" || exit 1
L=$T/$(printf 'd%.0s' $(seq 1 200))
mkdir -p "$L" && cp /bin/true "$L/t" && chmod 755 "$L/t"
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
cat >go.py <<'PY'
import os, resource, sys
# go.py DIR EXTRA BIN [OPTS...]: BIN OPTS -- t WORDS, where execve of
# DIR/t with WORDS and the environment {PATH: DIR} takes 2 MiB + EXTRA.
d, extra, prog, opts = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
env = {"PATH": d}
lim, n = 2 << 20, 20
fixed = len(d) + 3 + 2 + sum(len(k) + len(v) + 2 for k, v in env.items()) + 8 * (1 + n + len(env))
rest = lim + extra - fixed - n
words = ["w" * (rest // n)] * (n - 1) + ["w" * (rest - rest // n * (n - 1))]
resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, resource.RLIM_INFINITY))
os.execve(prog[0], prog + opts + ["--", "t"] + words, env)
PY
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for extra in 0 1; do
    want=$([ $extra = 0 ] && echo 0 || echo 127)
    python3 go.py "$L" $extra "$bin" >/dev/null 2>err
    is "$?" "$want" "$name: the command's strings at execve's limit + $extra: the run's exit ($want)"
    python3 go.py "$L" $extra "$bin" --dry-run >out 2>&1
    is "$?" "$want" "$name --dry-run at the limit + $extra: predicts the run's exit ($want)"
  done
  like "$(cat err)" "E2BIG" "$name: the run says E2BIG"
  like "$(cat out)" "execve\.e2big: the file's name, arguments and environment take 2097153 bytes" \
    "$name --dry-run: the step says the size"
  # the step follows the file's open; no credential step of execve comes after it
  is "$(python3 go.py "$L" 1 "$bin" --dry-run --json | jq -c '[.exec.error, [.steps[].rule | select(startswith("execve."))]]')" \
    '["E2BIG",["execve.e2big"]]' "$name --dry-run --json: E2BIG, execve's only step"
done
done_testing
