#!/usr/bin/env bash
# asan-too
# ETXTBSY: execve refuses a file some process holds open for writing, and
# the run said so (127) while `--dry-run` predicted a run (exit 0): nothing
# in the file's mode or xattrs shows it. The dry run now asks the kernel
# (execveat with AT_EXECVE_CHECK, Linux 6.14; lib/exec-busy.c), for the
# file and each "#!" interpreter, in the run's credentials. Both binaries.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
IFS=. read -r major minor _ <<<"$(uname -r)"
[ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "${minor%%[!0-9]*}" -ge 14 ]; } ||
  skip_all "AT_EXECVE_CHECK needs Linux 6.14 (this is $(uname -r))"
tap_tmpdir
cd "$T" || exit 1
chmod 755 "$T"
cp /bin/true prog && chmod 755 prog
printf '#!%s/prog\n' "$T" >script && chmod 755 script
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
exec 3>>prog # held open for writing by this shell, and by nothing it runs (below)
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for what in prog script; do
    for o in "" "--user 1000 --clear-groups" "--caps = --user 1000 --clear-groups"; do
      # shellcheck disable=SC2086
      $bin $o -- ./$what 3>&- 2>err
      is "$?" 127 "$name $o ./$what while prog is open for writing: the run refuses (127)"
      like "$(cat err)" "ETXTBSY" "$name $o ./$what: says ETXTBSY"
      # shellcheck disable=SC2086
      $bin $o --dry-run -- ./$what >out 3>&- 2>&1
      is "$?" 127 "$name $o --dry-run ./$what: predicts that nothing runs (127)"
      like "$(cat out)" "execve\.text-busy: .*prog is held open for writing" "$name $o --dry-run ./$what: the step names prog"
    done
  done
  # shellcheck disable=SC2086
  is "$($bin --dry-run --json -- ./prog 3>&- | jq -c '[.exec.ok, .exec.error]')" '[false,"ETXTBSY"]' \
    "$name --dry-run --json: exec fails with ETXTBSY"
done
# Fifteenth pass: where the kernel knows the check but it cannot be tried
# (a filter of the caller's on memfd_create, vm.memfd_noexec=2), ETXTBSY is
# not predicted, and the dry run said nothing of it.
for bin in "${bins[@]}"; do
  name=${bin##*/}
  # shellcheck disable=SC2086
  SB=0 CS_DENY=memfd_create "$CAPSCOPE_TOP/tests/lib/seccomp-no-secbits-read.py" $bin --dry-run -- ./prog >out 3>&- 2>&1
  is "$?" 0 "$name --dry-run ./prog, memfd_create refused: the prediction as before (a run)"
  like "$(cat out)" "execve\.text-busy-unasked: whether \./prog is held open for writing was not asked: .*\(Operation not permitted\)" \
    "$name --dry-run ./prog, memfd_create refused: says ETXTBSY was not asked, and why"
done
# ETXTBSY comes at the file's open, before its ELF loader is looked for: a
# busy ELF naming a missing loader first in $PATH is ETXTBSY, not the
# loader's ENOENT on which the walk would go on to the next directory.
mkdir p1 p2 && cp /bin/true p2/prog
python3 - /bin/true p1/prog <<'PY' || skip_all "no ELF loader name to change"
import sys
d = bytearray(open(sys.argv[1], "rb").read())
old = b"/lib64/ld-linux-x86-64.so.2"
i = d.find(old)
if i < 0:
    sys.exit(1)
d[i:i + len(old)] = b"/lib64/ld-missing-x86-64.xx"
open(sys.argv[2], "wb").write(d)
PY
chmod 755 p1/prog
exec 4>>p1/prog
for bin in "${bins[@]}"; do
  name=${bin##*/}
  # shellcheck disable=SC2086
  PATH=$T/p1:$T/p2 $bin -- prog 3>&- 4>&- 2>err
  is "$?" 127 "$name prog (busy, its loader missing) first in PATH: the run refuses (127)"
  like "$(cat err)" "ETXTBSY" "$name prog first in PATH: says ETXTBSY"
  # shellcheck disable=SC2086
  PATH=$T/p1:$T/p2 $bin --dry-run -- prog >out 3>&- 4>&- 2>&1
  is "$?" 127 "$name --dry-run prog first in PATH: predicts that nothing runs (127)"
  like "$(cat out)" "execve of $T/p1/prog would fail: ETXTBSY" "$name --dry-run prog first in PATH: p1's, ETXTBSY"
done
exec 4>&-
# The ELF loader (PT_INTERP) is opened as the file is (load_elf_binary:
# open_exec): held open for writing, execve says ETXTBSY, and the dry run
# predicted a run. A copy of /bin/true whose loader is ./ld-copy.so (a
# relative PT_INTERP is opened from the working directory).
python3 - /bin/true ldprog <<'PY' || skip_all "no ELF loader name to change"
import sys
d = bytearray(open(sys.argv[1], "rb").read())
old = b"/lib64/ld-linux-x86-64.so.2"
i = d.find(old)
if i < 0:
    sys.exit(1)
new = b"./ld-copy.so"
d[i:i + len(old)] = new + b"\0" * (len(old) - len(new))
open(sys.argv[2], "wb").write(d)
PY
chmod 755 ldprog && cp /lib64/ld-linux-x86-64.so.2 ld-copy.so && chmod 755 ld-copy.so
exec 4>>ld-copy.so
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for o in "" "--user 1000 --clear-groups" "--caps = --user 1000 --clear-groups"; do
    # shellcheck disable=SC2086
    $bin $o -- ./ldprog 3>&- 4>&- 2>err
    is "$?" 127 "$name $o ./ldprog while its loader is open for writing: the run refuses (127)"
    # shellcheck disable=SC2086
    $bin $o --dry-run -- ./ldprog >out 3>&- 4>&- 2>&1
    is "$?" 127 "$name $o --dry-run ./ldprog: predicts that nothing runs (127)"
    like "$(cat out)" "execve\.text-busy: \./ld-copy\.so, the ELF loader of \./ldprog, is held open" \
      "$name $o --dry-run ./ldprog: the step names the loader"
  done
done
# A "#!" script whose interpreter is that ELF file: its loader is opened
# after the script and the interpreter; the model saw the chain only.
printf '#!%s/ldprog\n' "$T" >ldscript && chmod 755 ldscript
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for o in "" "--caps = --user 1000 --clear-groups"; do
    # shellcheck disable=SC2086
    $bin $o -- ./ldscript 3>&- 4>&- 2>err
    is "$?" 127 "$name $o ./ldscript, its interpreter's loader open for writing: the run refuses (127)"
    # shellcheck disable=SC2086
    $bin $o --dry-run -- ./ldscript >out 3>&- 4>&- 2>&1
    is "$?" 127 "$name $o --dry-run ./ldscript: predicts that nothing runs (127)"
    like "$(cat out)" "execve\.text-busy: \./ld-copy\.so, the ELF loader of $T/ldprog, is held open" \
      "$name $o --dry-run ./ldscript: the step names the interpreter's loader"
  done
done
exec 4>&-
# shellcheck disable=SC2086
"$CAPSCOPE" run --dry-run -- ./ldprog >/dev/null; is "$?" 0 "./ldprog, its loader closed: predicts a run"
./ldprog; is "$?" 0 "./ldprog, its loader closed: runs"
# A script first in $PATH whose interpreter's loader is missing: execve
# says ENOENT and the run goes on to the next directory, as execvp does;
# the dry run predicted the first script.
mkdir q1 q2 && cp p1/prog noloader
printf '#!%s/noloader\n' "$T" >q1/s && printf '#!/bin/true\n' >q2/s && chmod 755 q1/s q2/s
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for o in "" "--caps = --user 1000 --clear-groups"; do
    # shellcheck disable=SC2086
    is "$(PATH=$T/q1:$T/q2 $bin $o --dry-run --json -- s 3>&- | jq -c '[.exec.path, .exec.ok]')" "[\"$T/q2/s\",true]" \
      "$name $o --dry-run s: q1's interpreter has no loader, q2's script is predicted"
  done
done
exec 3>&- 4>&-
# Fifteenth pass: a binfmt_misc handler's interpreter is opened as the file
# is (load_misc_binary: open_exec), and after it that interpreter's own ELF
# loader: held open for writing, execve says ETXTBSY and the dry run
# predicted a run (the file alone was asked). A user and mount namespace of
# the test's own holds the handlers (binfmt_misc is per user namespace
# since Linux 6.7); no --caps (a --caps run refuses any claimed file).
mkdir -m 755 bm && cp /bin/true bm/interp && cp /bin/true bm/interpf && chmod 755 bm/interp bm/interpf
printf '#!%s/bm/w.zz\n' "$T" >bm/ws.sh && printf 'w\n' >bm/w.zz && chmod 755 bm/ws.sh bm/w.zz
printf 'x\n' >bm/x.zz && printf 'y\n' >bm/y.yy && printf 'f\n' >bm/f.ff && chmod 755 bm/x.zz bm/y.yy bm/f.ff
{
  echo 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null || { echo SKIP; exit 0; }'
  echo "echo ':csbusyz:E::zz::$T/bm/interp:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "echo ':csbusyy:E::yy::$T/ldprog:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "cd '$T'"
  for bin in "${bins[@]}"; do
    for o in "" "--user 1000 --clear-groups"; do
      for f in x.zz y.yy; do
        t="${bin##*/} $o $f"
        echo "exec 5>>bm/interp 6>>ld-copy.so"
        echo "$bin $o -- bm/$f 5>&- 6>&- >/dev/null 2>&1; echo \"rc=\$? run $t\""
        echo "$bin $o --dry-run -- bm/$f 5>&- 6>&- >out 2>&1; echo \"rc=\$? dry $t\""
        echo "grep -o 'execve.text-busy: [^ ]*' out | sed 's/^/step $t /'"
        echo "exec 5>&- 6>&-"
        echo "$bin $o --dry-run -- bm/$f >/dev/null 2>&1; echo \"rc=\$? closed-dry $t\""
        echo "$bin $o -- bm/$f >/dev/null 2>&1; echo \"rc=\$? closed-run $t\""
      done
    done
  done
  # Sixteenth pass: a "#!" script whose interpreter a handler claims. The
  # interpreter file is opened by load_script (open_exec) before the handler
  # is asked of it: held open for writing, execve says ETXTBSY, and the dry
  # run predicted a run (it asked the script and the handler's interpreter).
  for bin in "${bins[@]}"; do
    echo "exec 5>>bm/w.zz"
    echo "$bin -- bm/ws.sh 5>&- >/dev/null 2>&1; echo \"rc=\$? wrun ${bin##*/}\""
    echo "$bin --dry-run -- bm/ws.sh 5>&- >out 2>&1; echo \"rc=\$? wdry ${bin##*/}\""
    echo "grep -o 'execve.text-busy: [^ ]*' out | sed 's/^/wstep ${bin##*/} /'"
    echo "exec 5>&-"
    echo "$bin --dry-run -- bm/ws.sh >/dev/null 2>&1; echo \"rc=\$? wclosed-dry ${bin##*/}\""
    echo "$bin -- bm/ws.sh >/dev/null 2>&1; echo \"rc=\$? wclosed-run ${bin##*/}\""
  done
  # Flag F: the interpreter opened at registration runs, held against
  # writers; its path renamed away and another file put there, held open
  # for writing: the run runs (the file opened then), the dry run predicted
  # ETXTBSY from the file the path names now, and did not say flag F.
  echo "echo ':csbusyf:E::ff::$T/bm/interpf:F' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "mv bm/interpf bm/interpf.old && cp /bin/true bm/interpf && exec 7>>bm/interpf"
  for bin in "${bins[@]}"; do
    echo "$bin -- bm/f.ff 7>&- >/dev/null 2>&1; echo \"rc=\$? F-run ${bin##*/}\""
    echo "$bin --dry-run -- bm/f.ff 7>&- >out 2>&1; echo \"rc=\$? F-dry ${bin##*/}\""
    echo "grep -o 'execve.binfmt-misc-open: flag F' out | sed 's/^/F-step ${bin##*/} /'"
  done
  echo 'echo END'
} >bm/inner.sh
out=$(CS_USERNS_MAP="0 0 65536" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" unshare -m sh bm/inner.sh 2>&1)
if grep -q '^SKIP' <<<"$out" || ! grep -q '^END' <<<"$out"; then
  skip "binfmt_misc cannot be mounted in a user namespace here"
else
  n=$((${#bins[@]} * 2))
  for f in x.zz y.yy; do
    is "$(grep -c "^rc=127 run .* $f\$" <<<"$out")" "$n" "binfmt_misc $f, its interpreter or its loader busy: every run refuses (127)"
    is "$(grep -c "^rc=127 dry .* $f\$" <<<"$out")" "$n" "binfmt_misc $f: every dry run predicts that nothing runs (127)"
    is "$(grep -c "^rc=0 closed-dry .* $f\$" <<<"$out")" "$n" "binfmt_misc $f, closed: every dry run predicts a run"
    is "$(grep -c "^rc=0 closed-run .* $f\$" <<<"$out")" "$n" "binfmt_misc $f, closed: every run runs (control)"
  done
  is "$(grep -c "^step .* x.zz execve.text-busy: $T/bm/interp\$" <<<"$out")" "$n" \
    "binfmt_misc x.zz: the step names the handler's interpreter"
  is "$(grep -c "^step .* y.yy execve.text-busy: ./ld-copy.so,\$" <<<"$out")" "$n" \
    "binfmt_misc y.yy: the step names the interpreter's loader"
  m=${#bins[@]}
  is "$(grep -c "^rc=127 wrun " <<<"$out")" "$m" "a script whose claimed interpreter is busy: every run refuses (127)"
  is "$(grep -c "^rc=127 wdry " <<<"$out")" "$m" "the same: every dry run predicts that nothing runs (127)"
  is "$(grep -c "^wstep .* execve.text-busy: $T/bm/w.zz\$" <<<"$out")" "$m" \
    "the same: the step names the claimed interpreter"
  is "$(grep -c "^rc=0 wclosed-dry " <<<"$out")" "$m" "the same, closed: every dry run predicts a run"
  is "$(grep -c "^rc=0 wclosed-run " <<<"$out")" "$m" "the same, closed: every run runs (control)"
  is "$(grep -c "^rc=0 F-run " <<<"$out")" "${#bins[@]}" "binfmt_misc flag F, the path's new file busy: every run runs (control)"
  is "$(grep -c "^rc=0 F-dry " <<<"$out")" "${#bins[@]}" "binfmt_misc flag F: every dry run predicts a run"
  is "$(grep -c "^F-step " <<<"$out")" "${#bins[@]}" "binfmt_misc flag F: the dry run says the interpreter is the one opened at registration"
fi
# The control: closed, both run and the dry run says so.
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for what in prog script; do
    # shellcheck disable=SC2086
    $bin -- ./$what; is "$?" 0 "$name ./$what, closed: runs"
    # shellcheck disable=SC2086
    $bin --dry-run -- ./$what >out 2>&1; is "$?" 0 "$name --dry-run ./$what, closed: predicts a run"
  done
done
done_testing
