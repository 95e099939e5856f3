#!/usr/bin/env bash
# asan-too
# execve's E2BIG after a binfmt_misc handler's splice (seventeenth pass,
# part E; an open find of the sixteenth, part K): load_misc_binary takes
# argv[0] out (unless flag P), then copies the file's name and the
# handler's interpreter in front, each checked against the bounds of the
# first copy, before the interpreter is opened; a "#!" chain before the
# claimed file and one after the handler's interpreter splice too. A line
# that fits as a binary's could fail with E2BIG (the run: 127) where the dry
# run predicted a run (0). Each case is run and dry-run at its limit and one
# byte past it (8 MiB stack: 2 MiB), in a user and mount namespace of the
# test's own holding the handlers (binfmt_misc is per user namespace since
# Linux 6.7); both binaries, no --caps (a --caps run refuses a claimed file).
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "needs python3"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
chmod 755 "$T"
# a long directory: the splices must add more than capscope's own words
L=$T/$(printf 'd%.0s' $(seq 1 200))
mkdir -p "$L" && cd "$L" || exit 1
mkdir -m 755 bm && cp /bin/true bm/t && chmod 755 bm/t
printf '#!%s/bm/t\n' "$L" >bm/hs                 # a handler's interpreter that is a script
printf '#!%s/bm/w.zz  -y\n' "$L" >bm/s.sh          # a script whose interpreter a handler claims
printf 'x\n' | tee bm/x.zz bm/x.pp bm/x.ss bm/w.zz >/dev/null
chmod 755 bm/hs bm/s.sh bm/x.zz bm/x.pp bm/x.ss bm/w.zz
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
cat >"$T/go.py" <<'PY'
import os, resource, sys
# go.py CMD SPLICE EXTRA BIN [OPTS...]: BIN OPTS -- CMD WORDS, where execve
# of CMD with WORDS and the environment {PATH: /nowhere} takes 2 MiB +
# EXTRA (pointers counted once) after the splices add SPLICE bytes.
cmd, splice, extra, prog, opts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4].split(), sys.argv[5:]
env = {"PATH": "/nowhere"}
lim, n = 2 << 20, 20
fixed = 2 * (len(cmd) + 1) + sum(len(k) + len(v) + 2 for k, v in env.items()) \
    + 8 * (1 + n + len(env)) + splice
rest = lim + extra - fixed - n
words = ["w" * (rest // n)] * (n - 1) + ["w" * (rest - rest // n * (n - 1))]
resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, resource.RLIM_INFINITY))
os.execve(prog[0], prog + opts + ["--", cmd] + words, env)
PY
I=$L/bm/t H=$L/bm/hs W=$L/bm/w.zz
# What each splice adds (bytes with NULs), the command named as bm/...:
#  x.zz: argv[0] (the name) out, the name and the interpreter in
#  x.pp: flag P, argv[0] kept: the name and the interpreter in front
#  x.ss: as x.zz, then the interpreter's "#!" line: its name out, its name
#        and bm/t in
#  s.sh: the script's splice (name out, name, "-y", w.zz in), then the
#        handler's at w.zz (w.zz out, w.zz and the interpreter in)
declare -A splice=(
  [bm/x.zz]=$((${#I} + 1))
  [bm/x.pp]=$((8 + ${#I} + 1))
  [bm/x.ss]=$((${#H} + 1 + ${#I} + 1))
  [bm/s.sh]=$((3 + ${#W} + 1 + ${#I} + 1))
)
{
  echo 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null || { echo SKIP; exit 0; }'
  echo "echo ':cse2bz:E::zz::$I:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "echo ':cse2bp:E::pp::$I:P' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "echo ':cse2bs:E::ss::$H:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "cd '$L'"
  for bin in "${bins[@]}"; do
    for cmd in bm/x.zz bm/x.pp bm/x.ss bm/s.sh; do
      for extra in 0 1; do
        t="${bin##*/} $cmd +$extra"
        echo "python3 $T/go.py $cmd ${splice[$cmd]} $extra '$bin' >/dev/null 2>&1; echo \"rc=\$? run $t\""
        echo "python3 $T/go.py $cmd ${splice[$cmd]} $extra '$bin' --dry-run >out 2>&1; echo \"rc=\$? dry $t\""
        echo "grep -Eq 'execve\.e2big: .*(binfmt_misc handler|\"#!\" line)' out && echo \"step $t\""
      done
    done
  done
  echo 'echo END'
} >bm/inner.sh
out=$(CS_USERNS_MAP="0 0 65536" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" unshare -m sh bm/inner.sh 2>&1)
if grep -q '^SKIP' <<<"$out" || ! grep -q '^END' <<<"$out"; then
  skip_all "binfmt_misc cannot be mounted in a user namespace here"
fi
for bin in "${bins[@]}"; do
  for cmd in bm/x.zz bm/x.pp bm/x.ss bm/s.sh; do
    t="${bin##*/} $cmd"
    like "$out" "rc=0 run $t \+0" "$t at its limit: the run runs (the kernel's answer)"
    like "$out" "rc=127 run $t \+1" "$t one byte past: the run says E2BIG (127)"
    like "$out" "rc=0 dry $t \+0" "$t --dry-run at its limit: predicts a run"
    like "$out" "rc=127 dry $t \+1" "$t --dry-run one byte past: predicts that nothing runs (127)"
    like "$out" "step $t \+1" "$t --dry-run one byte past: the step names the splice (the handler's, or the \"#!\" line's after it)"
  done
done
done_testing
