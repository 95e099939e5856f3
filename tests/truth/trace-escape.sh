#!/usr/bin/env bash
# Terminal injection through capscope trace's text output: the traced
# process picks its comm (PR_SET_NAME) and the command's own name; neither may
# reach the terminal raw (an ESC sequence, a forged line).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
tap_tmpdir
subject=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/helpers/ps-subject
[ -x "$subject" ] || skip_all "ps-subject not built ($subject)"
esc=$'\e'
no_raw() { # TEXT LABEL
  ok "$([[ "$1" != *"$esc"* ]] && echo 0 || echo 1)" "$2: no raw ESC"
  ok "$(grep -qE '^1 root' <<<"$1" && echo 1 || echo 0)" "$2: no forged line"
}

# The subject renames itself "\e[2J\e[31mFAKE\n1" and makes a CAP_SETUID check.
out=$("$CAPSCOPE" trace --events -- "$subject" --evil-name --check-exit)
ok $? "trace of the renamed subject runs"
no_raw "$out" "trace --events and report"
like "$out" "CAP_SETUID" "its CAP_SETUID check is reported"
out=$("$CAPSCOPE" trace -v -- "$subject" --evil-name --check-exit)
no_raw "$out" "trace -v report"
# Fifth pass: the comm's bytes reach each output's own escaping (each
# byte outside ASCII was '?' when decoded: "?[2J" here, "caf??" below).
like "$out" 'x1b\[2J\\x1b\[31mFAKE\\n1' "the comm's ESC and newline shown by the one escaping rule"
cp "$subject" "$T/café"
out=$("$CAPSCOPE" trace -v -- "$T/café" --check-exit)
like "$out" " café " "a UTF-8 comm is shown as it is, not caf??"
out=$("$CAPSCOPE" trace --json -- "$subject" --evil-name --check-exit)
is "$(jq -r '[.checks[].comms[]] | map(select(startswith("\u001b"))) | .[0]' <<<"$out")" \
  $'\e[2J\e[31mFAKE\n1' "--json: the comm exactly (JSON escapes)"

# A command whose file name holds escape sequences and a newline.
evil="$T/run${esc}[2J${esc}[31m"$'\n'"1 root"
cp "$subject" "$evil"
out=$("$CAPSCOPE" trace -- "$evil" --check-exit)
ok $? "trace of a command with a hostile name runs"
no_raw "$out" "trace header with a hostile command name"
like "$out" "traced '.*run\\\\x1b\\[2J\\\\x1b\\[31m\\\\n1 root' via" "the command name is escaped"
# Tenth pass: a row's command list is cut to fit its cell; an escaped comm is
# four times its length, and the list was cut in the middle of a name (a
# name that never ran) with no mark. 20 subshells, each renamed to 15 bytes
# of its letter and ESC, each opening a mode-000 file (CAP_DAC_OVERRIDE).
: >"$T/zero"
chmod 000 "$T/zero"
out=$("$CAPSCOPE" trace -- bash -c '
  for c in A B C D E F G H I J K L M N O P Q R S T; do
    ( printf "%s\e\e\e\e\e\e\e\e\e\e\e\e\e\e" "$c" >/proc/self/comm; : >>"$1" )
  done' bash "$T/zero")
row=$(grep '^CAP_DAC_OVERRIDE ' <<<"$out")
cell=$(awk '{print $4}' <<<"$row")
like "$cell" '^([A-T](\\x1b){14},)+\.\.\.$' "a cut command list holds whole names, then ',...'"
# Eleventh pass, part G: the list's own marks in a comm. "chown,sshd" read as
# two commands (one that never ran), "..." as a cut list; in the text and
# in the HTML page (", " there).
out=$("$CAPSCOPE" trace --html "$T/page.html" -- bash -c '
  for c in "chown,sshd" "..." "x, sshd"; do
    ( printf "%s" "$c" >/proc/self/comm; : >>"$1" )
  done' bash "$T/zero")
cell=$(grep '^CAP_DAC_OVERRIDE ' <<<"$out" | awk '{print $4, $5}')
like "$cell" '\\x2e\.\.' "a comm '...' is not the cut mark"
like "$cell" 'chown\\x2csshd' "a comm 'chown,sshd' is one name: its comma escaped"
ok "$([[ "$cell" =~ (^|,)sshd(,| |$) ]] && echo 1 || echo 0)" "no command 'sshd' that never ran"
page=$(tr -d '\n' <"$T/page.html")
like "$page" 'chown\\x2csshd' "the page: the comma escaped"
like "$page" 'x\\x2c sshd' "the page: 'x, sshd' is one name"
# Twelfth pass, part E: a space in a comm, in a column with others after
# it. "x CAP_SYS_ADMIN" (15 bytes) made the event line read as the comm "x"
# and a check of CAP_SYS_ADMIN, and "sh  chmod" in the table's COMMANDS
# cell as the command sh and the system call chmod. A space is "\x20" there.
out=$("$CAPSCOPE" trace --events -- bash -c '
  for c in "x CAP_SYS_ADMIN" "sh  chmod"; do
    ( printf "%s" "$c" >/proc/self/comm; : >>"$1" )
  done' bash "$T/zero")
is "$(awk '$4 ~ /^x/ && /granted|denied/ {print $4, $5; exit}' <<<"$out")" 'x\x20CAP_SYS_ADMIN CAP_DAC_OVERRIDE' \
  "--events: the comm 'x CAP_SYS_ADMIN' is one field, the capability the next"
is "$(grep '^CAP_DAC_OVERRIDE ' <<<"$out" | awk '{print $4}')" 'sh\x20\x20chmod,x\x20CAP_SYS_ADMIN' \
  "the table's COMMANDS cell: one field, each space escaped"
done_testing
