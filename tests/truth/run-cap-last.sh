#!/usr/bin/env bash
# asan-too
# capscope run on a kernel that knows more capabilities than it read from
# /proc/sys/kernel/cap_last_cap (a masked file leaves the build's last): a
# process that holds one beyond that last is refused, with nothing run.
# It ran: `--bounding net_raw` as root kept CAP_BPF and
# CAP_CHECKPOINT_RESTORE in the bounding and permitted sets, and the
# read-back agreed (the model kept them too). Both binaries, the run and
# its dry run; made real with a file bound over cap_last_cap in a mount
# namespace of the test's own.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
chmod 755 "$T"
real=$(cat /proc/sys/kernel/cap_last_cap)
[ "$real" -ge 39 ] || skip_all "this kernel's last capability is $real: nothing to hide below it"
echo $((real - 2)) >"$T/lie"
echo "$real" >"$T/true"
unshare -m mount --bind "$T/lie" /proc/sys/kernel/cap_last_cap 2>/dev/null ||
  skip_all "cannot bind a file over /proc/sys/kernel/cap_last_cap in a mount namespace"

bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  # FILE: what cap_last_cap says; the rest: run's options.
  under() { local f=$1; shift
    unshare -m sh -c 'mount --bind "$1" /proc/sys/kernel/cap_last_cap && shift && exec "$@"' \
      sh "$f" $bin "$@"; }
  rm -f "$T/ran"
  out=$(under "$T/lie" --bounding net_raw -- sh -c "grep CapBnd /proc/self/status; touch $T/ran" 2>&1)
  is "$?" 127 "$name: a process holding capabilities past cap_last_cap is refused (exit 127)"
  ok "$([ ! -e "$T/ran" ]; echo $?)" "$name: ...and nothing ran ($out)"
  like "$out" "step 'capabilities' refused: ERANGE \\(this process's [a-z]+ set holds .*beyond the kernel's last capability as read .*nothing was run" \
    "$name: the line says which, and that nothing was run"
  under "$T/lie" --dry-run --bounding net_raw -- true >/dev/null 2>&1
  is "$?" 127 "$name: the dry run says 127 too"
  # Control: the kernel's own value, and the run drops what was asked.
  out=$(under "$T/true" --bounding net_raw -- grep CapBnd /proc/self/status 2>&1)
  is "$?" 0 "$name: with the kernel's own last capability the run runs"
  is "$(awk '{print $2}' <<<"$out")" 0000000000002000 "$name: ...with the bounding set asked for"
done
done_testing
