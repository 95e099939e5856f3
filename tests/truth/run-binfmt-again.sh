#!/usr/bin/env bash
# asan-too
# A binfmt_misc handler that claims the interpreter another handler (or it
# itself) put in the file's place (eighteenth pass, part F; an open find of
# the seventeenth, part E): search_binary_handler asks binfmt_misc first at
# every depth, with the interpreter's name as bprm->interp, so a second
# claim runs the second handler's interpreter, and exec_binprm searches no
# deeper than depth 5 (ELOOP). The dry run followed the first claim only:
# a handler claiming its own interpreter was predicted to run (0) where the
# run says ELOOP (127), and a first interpreter that only a second handler
# makes runnable was predicted to fail (ENOEXEC, 127) where the run runs.
# Then chains of 5 and 6 claims against the kernel (5 run, 6 are ELOOP).
# In a user and mount namespace of the test's own holding the handlers
# (binfmt_misc is per user namespace since Linux 6.7); both binaries.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
chmod 755 "$T"
cd "$T" || exit 1
mkdir -m 755 bm && cp /bin/true bm/t && cp /bin/true bm/i.lp
printf 'x\n' | tee bm/i.qb bm/x.lp bm/x.qa bm/x.c0 >/dev/null
for i in 1 2 3 4 5; do printf 'x\n' >"bm/i.c$i"; done
cp /bin/true bm/i.c6
chmod 755 bm/*
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
{
  echo 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null || { echo SKIP; exit 0; }'
  echo "R=/proc/sys/fs/binfmt_misc/register"
  echo "echo ':csself:E::lp::$T/bm/i.lp:' >\$R || exit 1" # claims its own interpreter
  echo "echo ':csa:E::qa::$T/bm/i.qb:' >\$R || exit 1"    # i.qb: text, claimed by csb
  echo "echo ':csb:E::qb::$T/bm/t:' >\$R || exit 1"
  # c0 -> i.c1 -> ... -> i.cN, each claimed in turn; the one after the last
  # handler (i.c6 is ELF) runs
  for n in 5 6; do
    echo "echo -1 >/proc/sys/fs/binfmt_misc/csc5 2>/dev/null"
    for i in $(seq 0 $((n - 1))); do
      echo "[ -e /proc/sys/fs/binfmt_misc/csc$i ] || echo ':csc$i:E::c$i::$T/bm/i.c$((i + 1)):' >\$R || exit 1"
    done
    [ "$n" = 5 ] && echo "cp /bin/true $T/bm/i.c5"
    [ "$n" = 6 ] && echo "printf 'x\n' >$T/bm/i.c5"
    for bin in "${bins[@]}"; do
      echo "cd '$T'"
      echo "$bin -- bm/x.c0 >/dev/null 2>&1; echo \"rc=\$? run ${bin##*/} claims$n\""
      echo "$bin --dry-run -- bm/x.c0 >out 2>&1; echo \"rc=\$? dry ${bin##*/} claims$n\""
    done
  done
  for bin in "${bins[@]}"; do
    for cmd in bm/x.lp bm/x.qa; do
      echo "$bin -- $cmd >/dev/null 2>err; echo \"rc=\$? run ${bin##*/} $cmd\"; grep -q ELOOP err && echo \"ELOOP run ${bin##*/} $cmd\""
      echo "$bin --dry-run -- $cmd >out 2>&1; echo \"rc=\$? dry ${bin##*/} $cmd\"; grep -q ELOOP out && echo \"ELOOP dry ${bin##*/} $cmd\""
      echo "grep -q 'execve.binfmt-misc: the binfmt_misc handler csb claims the interpreter' out && echo \"second dry ${bin##*/} $cmd\""
    done
  done
  echo 'echo END'
} >bm/inner.sh
out=$(CS_USERNS_MAP="0 0 65536" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" unshare -m sh bm/inner.sh 2>&1)
if grep -q '^SKIP' <<<"$out" || ! grep -q '^END' <<<"$out"; then
  skip_all "binfmt_misc cannot be mounted in a user namespace here"
fi
for bin in "${bins[@]}"; do
  t=${bin##*/}
  like "$out" "rc=127 run $t bm/x.lp" "$t: a handler claiming its own interpreter: the run fails (127)"
  like "$out" "ELOOP run $t bm/x.lp" "$t: ... with ELOOP (the kernel's answer)"
  like "$out" "rc=127 dry $t bm/x.lp" "$t --dry-run: predicts that nothing runs (127)"
  like "$out" "ELOOP dry $t bm/x.lp" "$t --dry-run: ... with ELOOP"
  like "$out" "rc=0 run $t bm/x.qa" "$t: a second handler claims the first one's interpreter: the run runs"
  like "$out" "rc=0 dry $t bm/x.qa" "$t --dry-run: predicts a run"
  like "$out" "second dry $t bm/x.qa" "$t --dry-run: the second claim is a step"
  like "$out" "rc=0 run $t claims5" "$t: five claims in a row: the run runs (the kernel's answer)"
  like "$out" "rc=0 dry $t claims5" "$t --dry-run: five claims: predicts a run"
  like "$out" "rc=127 run $t claims6" "$t: six claims in a row: the run fails (ELOOP)"
  like "$out" "rc=127 dry $t claims6" "$t --dry-run: six claims: predicts that nothing runs"
done
done_testing
