#!/usr/bin/env bash
# The dry run's ETXTBSY question (execveat with AT_EXECVE_CHECK, Linux 6.14)
# must never execute: what answers the system call may pass it on without
# the flag, and valgrind 3.19 does. Under valgrind `run --dry-run -- CMD`
# executed CMD in the dry run's child (it created its marker), printed no
# prediction and exited 0. The flag is now first tried on an empty memfd
# that no loader takes (lib/exec-busy.c): under valgrind the dry run
# predicts, and the kernel's own answer is still used where it is honoured.
# Not an ASan twin: valgrind runs the plain dynamic build.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v valgrind >/dev/null || skip_all "valgrind is not installed"
IFS=. read -r major minor _ <<<"$(uname -r)"
[ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "${minor%%[!0-9]*}" -ge 14 ]; } ||
  skip_all "AT_EXECVE_CHECK needs Linux 6.14 (this is $(uname -r))"
tap_tmpdir
cd "$T" || exit 1
chmod 755 "$T"
printf '#!/bin/sh\ntouch %s/RAN\n' "$T" >prog && chmod 755 prog
for o in "" "--user 1000 --clear-groups"; do
  rm -f RAN
  # shellcheck disable=SC2086
  valgrind -q "$CAPSCOPE_DYN" run $o --dry-run -- ./prog >out 2>vg.log
  rc=$?
  ok "$([ ! -e RAN ]; echo $?)" "valgrind, run $o --dry-run: the command is not executed"
  is "$rc" 0 "valgrind, run $o --dry-run: exit 0 (it would run)"
  like "$(cat out)" "After execve: uid" "valgrind, run $o --dry-run: the prediction is printed"
done
# Where the flag is honoured, the kernel's answer is still asked: busy.
exec 3>>prog
"$CAPSCOPE" run --dry-run -- ./prog >out 3>&- 2>&1
is "$?" 127 "no valgrind: a busy file is still predicted to fail (127)"
like "$(cat out)" "execve\.text-busy: \./prog is held open" "no valgrind: the step says ETXTBSY"
exec 3>&-
[ ! -e RAN ]; ok $? "no valgrind: nothing executed"
done_testing
