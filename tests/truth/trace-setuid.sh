#!/usr/bin/env bash
# Drop to an ordinary user, then read a root-only file: CAP_SETUID (and
# CAP_SETGID) granted, CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH denied and kept
# out of the profile.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
tap_tmpdir

chmod 755 "$T"
echo secret >"$T/secret"
chmod 600 "$T/secret"
out=$("$CAPSCOPE" trace --json -- "$HELPER" drop-read 65534 "$T/secret")
ok $? "trace runs"
is "$(jq -r .exit_status <<<"$out")" 1 "the read failed (exit 1), as it must"
g() { jq -r ".checks[] | select(.capability==\"$1\") | .$2" <<<"$out"; }
is "$(g CAP_SETUID granted)" 1 "CAP_SETUID granted once"
is "$(g CAP_SETUID syscalls[0])" setresuid "in setresuid"
is "$(g CAP_SETGID granted)" 2 "CAP_SETGID granted twice (setgroups, setresgid)"
is "$(g CAP_DAC_OVERRIDE granted)/$(g CAP_DAC_OVERRIDE denied)" "0/1" "CAP_DAC_OVERRIDE denied"
is "$(g CAP_DAC_OVERRIDE denied_only)" true "CAP_DAC_OVERRIDE is denied only"
is "$(g CAP_DAC_READ_SEARCH denied_only)" true "CAP_DAC_READ_SEARCH is denied only"
is "$(g CAP_DAC_OVERRIDE syscalls[0])" openat "the denial is in openat"
is "$(caps_of '.profile.capabilities[]' <<<"$out")" "CAP_SETGID,CAP_SETUID" \
  "profile: SETGID and SETUID, never the denied DAC caps"
is "$(caps_of '.profile.denied_only[]' <<<"$out")" "CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH" \
  "denied-only list"

# The same with util-linux setpriv as the dropper.
out=$("$CAPSCOPE" trace --json -- setpriv --reuid=65534 --regid=65534 --clear-groups \
  cat "$T/secret" 2>/dev/null)
is "$(jq -r '.checks[] | select(.capability=="CAP_SETUID") | .granted' <<<"$out")" 1 \
  "setpriv: CAP_SETUID granted"
like "$(caps_of '.profile.denied_only[]' <<<"$out")" "CAP_DAC_OVERRIDE" \
  "setpriv: cat's CAP_DAC_OVERRIDE denied only"
is "$(jq -r '.checks[] | select(.capability=="CAP_DAC_OVERRIDE") | .comms | join(",")' <<<"$out")" \
  "cat" "the denial belongs to cat, after exec"

txt=$("$CAPSCOPE" trace -- "$HELPER" drop-read 65534 "$T/secret" 2>&1)
like "$txt" "CAP_DAC_OVERRIDE +0 +1 .*denied only: not in profile" "text marks denied only"
like "$txt" "denied only, not added: CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH" "text summary"
done_testing
