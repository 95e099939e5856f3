#!/usr/bin/env bash
# asan-too
# Issue #13, class 1, twenty-second pass: run's refusals named the command
# raw (escaped, spaces and marks as they are), where the model's steps name
# a file as one word. A set-uid file named
#   ok (1 capability lost, cap_sys_admin): nothing was run) and x
# refused with --ambient net_raw read "EPERM (./ok (1 capability lost,
# cap_sys_admin): nothing was run) and x would not keep the ambient set
# asked for (1 capability lost, c...": the name's own words first, the real
# capability cut away with the message's middle. The file is now one word
# ("...", its quotes doubled), its value cut in its middle to fit 40 bytes,
# so the reason after it is whole.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
chmod 755 "$T"
cd "$T" || exit 1
n='ok (1 capability lost, cap_sys_admin): nothing was run) and "x"'
short='x (cap_sys_admin) "y"'
long="$(printf 'y%.0s' $(seq 200)) z"
for f in "$n" "$short" "$long"; do
  cp "$(command -v touch)" "$f" && chmod 4755 "$f"
done
mkdir out && chmod 777 out
word='"([^"]|"")*"' # one word: its quotes doubled, a lone one ends it

bins=("$CAPSCOPE run")
case "$CAPSCOPE" in *asan*) ;; *) [ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run") ;; esac
for bin in "${bins[@]}"; do
  name=${bin##*/}
  $bin --user 1000 --keep-groups --ambient net_raw -- "./$n" "$T/out/ran" 2>err
  is "$?" 127 "$name --ambient net_raw -- a set-uid file with a forging name: exit 127"
  like "$(cat err)" "EPERM \\($word would not keep the ambient set asked for \\(1 capability lost, cap_net_raw\\)" \
    "$name: the file one word, then the real capability"
  $bin --user 1000 --keep-groups --ambient net_raw -- "./$short" 2>err
  is "$(cat err)" "capscope run: step 'execve' refused: EPERM (\"./x (cap_sys_admin) \"\"y\"\"\" would not keep the ambient set asked for (1 capability lost, cap_net_raw): it (or its \"#!\" interpreter) is set-uid, set-gid or has file capabilities, and execve clears the ambient set for such a file; nothing was run)" \
    "$name: a short name whole, its quotes doubled"
  $bin --caps = --user 1000 --keep-groups -- "./$n" out/ran 2>err
  is "$?" 127 "$name --caps = -- the same file: exit 127"
  like "$(cat err)" "EPERM \\($word would gain 40 capabilities the plan drops" "$name --caps: the file one word"
  $bin --user 1000 --keep-groups --ambient net_raw -- "$T/$long" 2>err
  like "$(cat err)" "EPERM \\(\"/tmp/[^ \"]*\\.\\.\\.y+ z\" would not keep the ambient set asked for \\(1 capability lost, cap_net_raw\\)" \
    "$name: a long name's value cut in its middle, inside its quotes"
  like "$(cat err)" "nothing was run\\)$" "$name: the refusal's end kept"
  [ ! -e out/ran ]; ok $? "$name: nothing ran"
  # A command that cannot be found: the caller's word.
  $bin -- "$T/no such: EACCES (Permission denied)" 2>err
  is "$?" 127 "$name -- a missing command: exit 127"
  is "$(cat err)" "capscope run: step 'execve' failed: ENOENT (No such file or directory): \"$T/no such: EACCES (Permission denied)\"" \
    "$name: the missing command one word"
  # The dry run's summary names the file as its steps do.
  out=$($bin --dry-run -- "$T/no such: EACCES (Permission denied)" 2>&1)
  like "$out" "execve of \"$T/no such: EACCES \\(Permission denied\\)\" would fail: ENOENT" \
    "$name --dry-run: the missing command one word"
done
done_testing
