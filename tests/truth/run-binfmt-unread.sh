#!/usr/bin/env bash
# asan-too
# binfmt_misc handlers the dry run and the --caps check cannot read: an
# entry that could not be opened (EMFILE between the status file and the
# entry) or was not understood was taken as claiming nothing, so the dry
# run predicted the file itself (here ENOEXEC) where the run, by path, runs
# the handler's interpreter; with --caps the check's own refusal was
# skipped. Now the dry run says so in step execve.binfmt-misc-unread and the
# --caps check refuses, naming the handler. A handler whose name begins
# with '.' was skipped as well, and the --caps dry run asked no "#!"
# interpreter. Every RLIMIT_NOFILE from 3 to 20 is tried,
# so the window between the status file and the entry is always hit. A user
# and mount namespace of the test's own holds the handlers (binfmt_misc is
# per user namespace since Linux 6.7); no host state is touched.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
cd "$T" || exit 1
chmod 755 "$T"
cp /bin/true interp && printf 'x\n' >x.zz && printf 'x\n' >x.dd && chmod 755 interp x.zz x.dd
printf '#!%s/x.zz\n' "$T" >s.sh && chmod 755 s.sh
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
{
  echo 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null || { echo SKIP; exit 0; }'
  echo "echo ':csz:E::zz::$T/interp:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "echo ':.csdot:E::dd::$T/interp:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "cd '$T'"
  for bin in "${bins[@]}"; do
    name=${bin##*/}
    echo "$bin --dry-run -- ./x.dd >out 2>&1; echo \"rc=\$? dot-dry $name\""
    echo "grep -o 'execve.binfmt-misc: the binfmt_misc handler .csdot claims' out | sed 's/^/dot-step $name /'"
    echo "$bin -- ./x.dd >/dev/null 2>&1; echo \"rc=\$? dot-run $name\""
    # a "#!" script whose interpreter a handler claims: the --caps run refuses it
    c="--caps = --user 1000 --clear-groups"
    echo "$bin $c -- ./s.sh 2>&1 | sed 's/^/chain-run $name /'"
    echo "$bin $c --dry-run -- ./s.sh 2>&1 | grep 'The run refuses' | sed 's/^/chain-dry $name /'"
    # without --caps: the handler's interpreter runs, and the dry run follows it there
    echo "$bin -- ./s.sh >/dev/null 2>&1; echo \"rc=\$? chain-plain-run $name\""
    echo "$bin --dry-run -- ./s.sh >out 2>&1; echo \"rc=\$? chain-plain-dry $name\""
    echo "grep -o 'execve.binfmt-misc: .*' out | sed 's/^/chain-step $name /'"
    for o in "" "--caps = --user 1000 --clear-groups"; do
      kind=${o:+caps}
      echo "for n in \$(seq 3 20); do"
      echo "  (ulimit -n \$n; $bin $o --dry-run -- ./x.zz >out.\$n 2>&1); rc=\$?"
      echo "  tr '\\n' ' ' <out.\$n | sed \"s/^/n=\$n rc=\$rc ${kind:-plain} $name /\"; echo"
      echo "done"
    done
  done
  echo 'echo END'
} >inner.sh
out=$(CS_USERNS_MAP="0 0 65536" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" unshare -m bash inner.sh 2>&1)
[ -n "${CS_TEST_KEEP:-}" ] && printf "%s\n" "$out" >"$CS_TEST_KEEP"
if grep -q '^SKIP' <<<"$out" || ! grep -q '^END' <<<"$out"; then
  skip_all "binfmt_misc cannot be mounted in a user namespace here"
fi
n=${#bins[@]}
is "$(grep -c '^rc=0 dot-dry ' <<<"$out")" "$n" "a handler named .csdot: every dry run predicts a run"
is "$(grep -c '^dot-step ' <<<"$out")" "$n" "a handler named .csdot: the step names it"
is "$(grep -c '^rc=0 dot-run ' <<<"$out")" "$n" "a handler named .csdot: every run runs (control)"
# Second round, part J: the --caps dry run asked the file alone, and
# predicted ENOEXEC where the run refuses the claimed interpreter.
is "$(grep -c "^chain-run .*the binfmt_misc handler csz claims $T/x\.zz: execve would run its interpreter $T/interp" <<<"$out")" "$n" \
  "--caps, a script whose interpreter a handler claims: every run refuses, naming it"
is "$(grep -c "^chain-dry .*The run refuses it (exit 127): the binfmt_misc handler csz claims $T/x\.zz: execve would run its interpreter $T/interp" <<<"$out")" "$n" \
  "--caps --dry-run, the same script: every dry run predicts the run's refusal in its words"
is "$(grep -c '^rc=0 chain-plain-run ' <<<"$out")" "$n" "a script whose interpreter a handler claims: every run runs (control)"
is "$(grep -c '^rc=0 chain-plain-dry ' <<<"$out")" "$n" "the same script: every dry run predicts a run (it predicted ENOEXEC)"
is "$(grep -c "^chain-step .*the binfmt_misc handler csz claims $T/x\.zz, the \"#!\" interpreter of \./s\.sh: its interpreter $T/interp runs instead" <<<"$out")" "$n" \
  "the same script: the step names the claimed interpreter and the script"
plain=$(grep -E '^n=[0-9]+ rc=[0-9]+ plain ' <<<"$out")
caps=$(grep -E '^n=[0-9]+ rc=[0-9]+ caps ' <<<"$out")
# Without --caps: every prediction (its steps) says which handler claims the
# file, or that the handlers were not read; never the file itself in silence.
is "$(grep 'Steps:' <<<"$plain" | grep -vc 'execve\.binfmt-misc\(-unread\)\?: ')" 0 \
  "no dry run under any RLIMIT_NOFILE predicts the file itself without saying the handlers were not read"
[ "$(grep -c "execve\.binfmt-misc-unread: the binfmt_misc handler \.csdot cannot be read (Too many open files): whether a handler claims \./x\.zz is not known" <<<"$plain")" -gt 0 ]
ok $? "some RLIMIT_NOFILE hits the window between the status file and the entry, and the step names the entry"
# With --caps: every prediction is the run's refusal.
is "$(grep 'Steps:' <<<"$caps" | grep -vc 'The run refuses it (exit 127)')" 0 \
  "no --caps dry run under any RLIMIT_NOFILE predicts the file itself"
[ "$(grep -c "the binfmt_misc handler \.csdot cannot be read (Too many open files), so whether a handler claims \./x\.zz and would run another program instead cannot be told; nothing was run" <<<"$caps")" -gt 0 ]
ok $? "--caps: the refusal names the entry that could not be read"
done_testing
