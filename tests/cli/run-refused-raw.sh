#!/usr/bin/env bash
# asan-too
# The run's refusals name files; the library holds their raw bytes and the
# output escapes them once (docs/hardening.md, "The rules that stand"): the
# text of `run` (stderr) and of `run --dry-run` (stdout) shows ESC as \x1b
# and a backslash as \\, once; JSON's "refused" holds the name's own bytes.
# A name that is not plain is one quoted word ("...", quotes doubled: the
# twenty-second pass, part A), in the text and in JSON alike.
# Before, lib/launch*.c escaped the names itself: JSON held the escape's
# letters ("\\x1b"). Both binaries (capscope run, the static capscope-run).
source "$(dirname "$0")/../lib/tap.sh"
need_root
tap_tmpdir
cd "$T" || exit 1
chmod 755 "$T"
n=$'su\e[31mX\\b'
cp /bin/true "$n" && chmod 4755 "$n"
bins=("$CAPSCOPE run")
run_bin=$(dirname "$CAPSCOPE")/cli/capscope-run
[ -x "$run_bin" ] && bins+=("$run_bin")
shown='"\./su\\x1b\[31mX\\\\b" would gain [0-9]+ capabilities the plan drops'
for bin in "${bins[@]}"; do
  name=${bin##*/}
  # shellcheck disable=SC2086
  $bin --user 1000 --clear-groups --caps = -- "./$n" 2>err
  is "$?" 127 "$name: a set-uid root file that would gain what --caps drops: refused (127)"
  ok "$(grep -qa $'\e' err; echo $((! $?)))" "$name: no raw ESC on stderr"
  like "$(cat err)" "^capscope run: step 'execve' refused: EPERM \\($shown" "$name: the name escaped once on stderr"
  # shellcheck disable=SC2086
  $bin --dry-run --user 1000 --clear-groups --caps = -- "./$n" >out 2>&1
  is "$?" 127 "$name --dry-run: 127"
  ok "$(grep -qa $'\e' out; echo $((! $?)))" "$name --dry-run: no raw ESC"
  like "$(grep -a 'The run refuses it' out)" "^The run refuses it \\(exit 127\\): $shown" "$name --dry-run: the refusal's name escaped once"
  # shellcheck disable=SC2086
  got=$($bin --dry-run --json --user 1000 --clear-groups --caps = -- "./$n" | jq -r .refused)
  is "${got%% would gain*}" "\"./$n\"" "$name --dry-run --json: refused holds the name's own bytes (one quoted word)"
  # The execve error line names the command: escaped once too.
  # shellcheck disable=SC2086
  $bin -- "./missing"$'\e[2J\\' 2>err
  is "$(cat err)" "capscope run: step 'execve' failed: ENOENT (No such file or directory): \"./missing\\x1b[2J\\\\\"" \
    "$name: the command's name escaped once in the execve error"
done
done_testing
