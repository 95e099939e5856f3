#!/usr/bin/env bash
# asan-too
# --ambient asks for the ambient set the command runs with, and execve
# clears that set for a set-uid or set-gid file and for one with file
# capabilities (security/commoncap.c cap_bprm_creds_from_file: "File caps or
# setid cancels ambient"), no_new_privs or not. The run checked the file only
# with --caps: `--user 1000 --ambient net_raw -- FILE` ran, exit 0, with an
# empty ambient set and the file's capabilities instead (cap_chown+ep:
# permitted cap_chown; a set-uid root file: every capability). Twentieth
# pass, part B. Both binaries, the real kernel, the dry run alike.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setcap >/dev/null || skip_all "setcap (libcap2-bin) is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
chmod 755 "$T"
TOUCH=$(command -v touch)
cp "$TOUCH" "$T/fcaps" && setcap cap_chown+ep "$T/fcaps" || skip_all "setcap cannot set file capabilities in $T"
cp "$TOUCH" "$T/suid" && chmod 4755 "$T/suid"
cp "$TOUCH" "$T/sgid" && chmod 2755 "$T/sgid"
cp "$TOUCH" "$T/plain" && chmod 755 "$T/plain"
mkdir "$T/out" && chmod 777 "$T/out"

bins=("$CAPSCOPE run")
case "$CAPSCOPE" in *asan*) ;; *) [ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run") ;; esac
for bin in "${bins[@]}"; do
  name=${bin##*/}
  for f in fcaps suid sgid; do
    rm -f "$T/out/ran"
    $bin --user 1000 --keep-groups --ambient net_raw -- "$T/$f" "$T/out/ran" 2>"$T/err"
    is "$?" 127 "$name --ambient net_raw -- $f: exit 127"
    [ ! -e "$T/out/ran" ]; ok $? "$name --ambient net_raw -- $f: nothing ran"
    like "$(cat "$T/err")" "ambient set asked for.*cap_net_raw.*nothing was run" "$name $f: says the ambient set would be lost"
    # Twenty-first pass: one name lost is one, not "1 capabilities lost, cap_net_raw...".
    like "$(cat "$T/err")" "\(1 capability lost, cap_net_raw\)" "$name $f: one capability lost, no \"...\" after it"
    $bin --dry-run --user 1000 --keep-groups --ambient net_raw -- "$T/$f" "$T/out/ran" >"$T/dry" 2>&1
    is "$?" 127 "$name --dry-run --ambient net_raw -- $f: exit 127, as the run"
    like "$(cat "$T/dry")" "The run refuses it \(exit 127\): .*ambient set" "$name --dry-run $f: says the run refuses it"
  done
  # no_new_privs: a file's capabilities still clear ambient; set-gid is ignored, so kept.
  rm -f "$T/out/ran"
  $bin --user 1000 --keep-groups --ambient net_raw --no-new-privs -- "$T/fcaps" "$T/out/ran" 2>/dev/null
  is "$?" 127 "$name --no-new-privs --ambient net_raw -- fcaps: still refused (the kernel clears ambient)"
  [ ! -e "$T/out/ran" ]; ok $? "$name --no-new-privs fcaps: nothing ran"
  out=$($bin --user 1000 --keep-groups --ambient net_raw --no-new-privs -- "$T/sgid" "$T/out/ran" 2>&1)
  is "$?" 0 "$name --no-new-privs --ambient net_raw -- sgid: runs (set-gid ignored, ambient kept) ($out)"
  # The controls, read from the command's own status: ambient as asked.
  for f in plain; do
    st=$($bin --user 1000 --keep-groups --ambient net_raw -- grep CapAmb /proc/self/status)
    is "$st" $'CapAmb:\t0000000000002000' "$name --ambient net_raw -- a plain file: runs with exactly that ambient set"
  done
  # Without --ambient a set-uid file runs as before (--user alone is the caller's choice).
  rm -f "$T/out/ran"
  $bin --user 1000 --keep-groups -- "$T/suid" "$T/out/ran"
  is "$?" 0 "$name --user 1000 -- suid (no --ambient): runs"
done
done_testing
