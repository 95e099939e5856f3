#!/usr/bin/env bash
# A standard descriptor closed and no /dev/null to hold it (a mount
# namespace whose /dev is empty): both binaries refused, but with exit 2
# and "capscope: ...", where run's contract is 127 whenever the command
# did not start (a wrapper tells "did not run" from the command's own 2
# by it). Now "capscope run: ...; nothing was executed", 127; other
# commands keep 2. Twenty-second pass, part B.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v unshare >/dev/null || skip_all "no unshare"
unshare -m true 2>/dev/null || skip_all "no mount namespace may be made here"
tap_tmpdir
cd "$T" || exit 1
bins=("$CAPSCOPE run")
run_bin=$(dirname "$CAPSCOPE")/cli/capscope-run
[ -x "$run_bin" ] && bins+=("$run_bin")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for fd in 0 1; do
    rm -f marker
    unshare -m sh -c "mount -t tmpfs none /dev && exec $bin -- /bin/touch '$T/marker' $fd>&-" 2>err
    is "$?" 127 "$name, fd $fd closed, no /dev/null: 127"
    ok "$([ ! -e marker ]; echo $?)" "$name, fd $fd closed: nothing ran"
    is "$(cat err)" "capscope run: a standard descriptor (0, 1 or 2) is closed and /dev/null cannot be opened to hold it; nothing was executed" \
      "$name, fd $fd closed: one line, run's"
  done
  rm -f marker
  unshare -m sh -c "mount -t tmpfs none /dev && exec $bin -- /bin/touch '$T/marker' 2>&-"
  is "$?" 127 "$name, fd 2 closed, no /dev/null: 127 (nothing to say it on)"
  ok "$([ ! -e marker ]; echo $?)" "$name, fd 2 closed: nothing ran"
  # /dev/null there: the descriptor is held and the command sees it closed.
  rm -f marker
  $bin -- /bin/sh -c "touch '$T/marker'; [ -e /proc/self/fd/1 ] && echo open >'$T/marker'; true" 1>&- 2>err
  is "$?" 0 "$name, fd 1 closed, /dev/null there: runs"
  is "$(cat marker)" "" "$name: the command sees fd 1 closed, as given"
done
unshare -m sh -c "mount -t tmpfs none /dev && exec $CAPSCOPE decode 0 0>&-" 2>err
is "$?" 2 "decode, fd 0 closed, no /dev/null: 2, as before"
like "$(cat err)" "^capscope: a standard descriptor" "decode: the line without run's tail"
done_testing
