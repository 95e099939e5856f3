#!/usr/bin/env bash
# asan-too
# The caller's own credentials, read for the model and read back after the
# plan (lib/cred-self.c): a securebits read that fails (a seccomp filter of
# the caller's makes prctl(PR_GET_SECUREBITS) say EPERM) was taken as 0.
# Under a locked noroot, `run --dry-run` predicted root's full sets after
# execve (the command got none), and the run's read-back compared the same
# 0 with itself. Now nothing runs and the step says why. Both binaries.
# The same pattern in `file set` and `file rm`: a capget that fails was
# "needs CAP_SETFCAP, which this process does not have", untrue of root.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
filter=$CAPSCOPE_TOP/tests/lib/seccomp-no-secbits-read.py
"$filter" true || skip_all "cannot install the seccomp filter here"
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for o in "" "--dry-run" "--securebits noroot-locked,no-setuid-fixup-locked" "--user 1000 --clear-groups --caps ="; do
    # shellcheck disable=SC2086
    out=$("$filter" $bin $o -- echo ran 2>"$T/err")
    is "$?" 127 "$name $o, securebits unreadable: exit 127"
    is "$out" "" "$name $o: nothing ran, nothing predicted"
    like "$(cat "$T/err")" "^capscope run: step 'read credentials' failed; nothing was executed: securebits: cannot read this process's securebits \(prctl PR_GET_SECUREBITS\): Operation not permitted$" \
      "$name $o: one line that says why"
  done
  # The control: the same securebits, readable.
  # shellcheck disable=SC2086
  is "$($bin --securebits 0x2f -- $bin --dry-run -- true 2>/dev/null | grep -c 'securebits 0x2f')" 3 \
    "$name --dry-run without the filter: securebits 0x2f now, before and after execve"
done
cp /bin/true "$T/f" || exit 1
for c in "set cap_chown+p" rm; do
  # shellcheck disable=SC2086
  CS_DENY=capget "$filter" "$CAPSCOPE" file $c "$T/f" 2>"$T/err"
  is "$?" 2 "file $c, capget failing: exit 2"
  like "$(head -1 "$T/err")" "^capscope file ${c%% *}: .*/f: cannot read this process's capabilities \(capget\): Operation not permitted; nothing was written$" \
    "file $c: says the read failed, not that CAP_SETFCAP is missing"
  is "$(getcap "$T/f")" "" "file $c: nothing written"
done
done_testing
